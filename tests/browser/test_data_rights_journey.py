"""Data rights in the browser, with axe-core on every page (issue 16): a representative
downloads a copy of their data, then asks for erasure (refused first without the tick); an
administrator confirms; the representative is logged out and can no longer log in."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from opportunities.services import attendance_record, opportunity_complete, signup_create
from opportunities.tests.factories import OpportunityFactory
from tests.browser.test_foundation_journeys import log_in


def test_a_representative_downloads_their_data_and_is_erased(checked_page, another_browser):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin Quarrington", named_worker=worker)
    admin = person(roles=[Role.ADMINISTRATOR], display_name="Ada Admin")
    end = timezone.now() - timedelta(days=2)
    panel = OpportunityFactory(
        title="Menu tasting", lead_worker=worker, sessions=[(end - timedelta(hours=2), end)]
    )
    signup = signup_create(opportunity=panel, person=robin)
    attendance_record(signup=signup, session=panel.sessions.get(), attended=True, by=worker)
    opportunity_complete(opportunity=panel, by=worker)

    # Robin asks for a copy, and downloads it from the same page once it is ready.
    page = checked_page.page
    log_in(checked_page, robin.email, PASSWORD)
    expect(page).to_have_url(re.compile("/me/$"))
    checked_page.check_accessibility()
    checked_page.goto("/me/profile/")
    checked_page.check_accessibility()
    page.get_by_role("link", name="Get a copy of your data, or ask us to erase it").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    page.get_by_role("button", name="Ask for a copy of your data").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("We are making a copy of your data")).to_be_visible()
    # The download asks for the password again first.
    page.get_by_role("link", name=re.compile("^Download your data")).click()
    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    checked_page.check_accessibility()
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button").filter(has_text=re.compile("Confirm|Continue|Log in", re.I)).first.click()
    assert download.value.suggested_filename == "your-data.zip"
    checked_page.goto("/me/data/")
    checked_page.check_accessibility()

    # Erasure needs the tick; then it waits for an administrator.
    page.get_by_role("button", name="Ask us to erase your data").click()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    page.get_by_label("I understand that my account will be closed").check()
    page.get_by_role("button", name="Ask us to erase your data").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("An administrator will review it soon")).to_be_visible()

    # An administrator reviews and confirms.
    admin_page = another_browser()
    log_in(admin_page, admin.email, PASSWORD)
    admin_page.page.wait_for_load_state()
    admin_page.check_accessibility()
    # The site's navigation links it for administrators (they land in the admin, which has its own).
    admin_page.goto("/dashboard/")
    admin_page.check_accessibility()
    admin_page.page.get_by_role("link", name="Data requests").click()
    admin_page.check_accessibility()
    admin_page.page.get_by_role("link", name="Robin Quarrington").click()
    # Deciding asks for the password again.
    expect(admin_page.page).to_have_url(re.compile("/accounts/reauthenticate/"))
    admin_page.check_accessibility()
    admin_page.page.get_by_label("Password").fill(PASSWORD)
    admin_page.page.get_by_role("button").filter(
        has_text=re.compile("Confirm|Continue|Log in", re.I)
    ).first.click()
    expect(admin_page.page.get_by_role("heading", level=1)).to_have_text(
        "Review a request to erase someone's data"
    )
    admin_page.check_accessibility()
    admin_page.page.get_by_role("button", name="Save your decision").click()
    admin_page.check_accessibility()
    expect(admin_page.page.get_by_text("Choose whether to erase their data or decline").first).to_be_visible()
    admin_page.page.get_by_label("Erase their data now").check()
    admin_page.page.get_by_role("button", name="Save your decision").click()
    admin_page.check_accessibility()
    expect(admin_page.page.get_by_text("The person's data has been erased")).to_be_visible()
    expect(admin_page.page.get_by_text("Robin Quarrington")).to_have_count(0)

    # Robin is logged out, and cannot log in again.
    checked_page.goto("/me/data/")
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.get_by_label("Email").fill(robin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    assert not User.objects.get(pk=robin.pk).is_active
