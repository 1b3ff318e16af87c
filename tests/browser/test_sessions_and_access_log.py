"""Issue 16, items 5 and 6 in the browser, axe-core on every page: a representative logged
in on two devices sees both and logs the other out; an administrator reviews the access log,
is told beside the field when a date is wrong, and filters to the refusals."""

import re

from playwright.sync_api import expect

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person


def log_in_to(checked_page, path: str, email: str) -> None:
    page = checked_page.page
    checked_page.goto(f"/accounts/login/?next={path}")
    checked_page.check_accessibility()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    checked_page.check_accessibility()


def test_a_representative_logs_out_their_other_device(checked_page, another_browser):
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    phone = another_browser()
    log_in_to(phone, "/me/", robin.email)

    page = checked_page.page
    log_in_to(checked_page, "/me/profile/", robin.email)
    page.get_by_role("link", name="Your signed-in devices").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", name="Your signed-in devices")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("2 devices")
    page.get_by_role("button", name="Log out of all other devices").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("You have logged out of all your other devices.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("1 device")

    phone.goto("/me/")
    expect(phone.page).to_have_url(re.compile("/accounts/login/"))
    phone.check_accessibility()


def test_an_administrator_reviews_the_access_log(checked_page):
    admin = person(roles=[Role.ADMINISTRATOR], display_name="Ada Admin")
    worker = person(roles=[Role.WORKER], display_name="Otto Other")
    robin = person(
        roles=[Role.REPRESENTATIVE], display_name="Robin Rep", support_needs="A seat near the door"
    )
    AccessLogEntry.objects.create(
        viewer=worker, subject=robin, what=AccessLogEntry.What.DENIED, detail="worker:person (404)"
    )
    AccessLogEntry.objects.create(viewer=worker, subject=robin, what=AccessLogEntry.What.SUPPORT_NOTE)
    page = checked_page.page

    log_in_to(checked_page, "/staff/access-log/", admin.email)
    expect(page.get_by_role("heading", name="Access log", exact=True)).to_be_visible()
    # Ada's own log-in as staff is there too.
    expect(page.get_by_role("status")).to_have_text("3 entries")

    # A date that does not exist: said beside the field, what was typed kept.
    page.get_by_role("group", name="From").get_by_label("Day").fill("31")
    page.get_by_role("group", name="From").get_by_label("Month").fill("2")
    page.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    page.get_by_label("Member of staff (who)").fill("otto")
    page.get_by_role("button", name="Filter").click()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("Enter a real date").first).to_be_visible()
    expect(page.get_by_label("Member of staff (who)")).to_have_value("otto")

    page.get_by_role("group", name="From").get_by_label("Day").fill("")
    page.get_by_role("group", name="From").get_by_label("Month").fill("")
    page.get_by_role("group", name="From").get_by_label("Year").fill("")
    page.get_by_label("What").select_option(label="Protected page refused")
    page.get_by_role("button", name="Filter").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("status")).to_have_text("1 entry")
    expect(page.get_by_role("table")).to_contain_text(str(robin))
    expect(page.get_by_role("table")).to_contain_text("worker:person (404)")
    expect(page.get_by_text("A seat near the door")).to_have_count(0)
    expect(page.get_by_role("link", name="Download these entries (CSV)")).to_have_attribute(
        "href", re.compile(r"/staff/access-log/export\.csv\?.*what=denied")
    )
