"""The worker's people pages in the browser, with axe-core on every page (issue 13, items
1-3): a worker finds a newcomer waiting for a named worker, takes them on, and records a
phone call in their contact log, correcting a mistake on the way; a manager finds people and
hands one to another worker but cannot open anyone's page."""

import re

from playwright.sync_api import expect

from accounts.models import ContactLogEntry
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from tests.browser.test_foundation_journeys import log_in


def test_a_worker_takes_on_a_newcomer_and_logs_a_call(checked_page):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    newcomer = person(roles=[Role.REPRESENTATIVE], display_name="Nadia", phone="07700 900456")
    person(roles=[Role.REPRESENTATIVE], display_name="Sam", named_worker=worker)
    page = checked_page.page

    log_in(checked_page, worker.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    checked_page.check_accessibility()

    checked_page.goto("/worker/people/")
    checked_page.check_accessibility()
    page.get_by_label("Joined in the last 30 days, with no named worker").check()
    page.get_by_role("button", name="Search").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("status")).to_have_text("1 person")
    expect(page.get_by_role("table")).to_contain_text("Nadia")
    # Not theirs yet: a name, not a link.
    expect(page.get_by_role("link", name="Nadia", exact=True)).to_have_count(0)

    page.get_by_role("link", name="Choose a named worker for Nadia").click()
    checked_page.check_accessibility()
    page.get_by_label("Named involvement worker").select_option(label="Wendy Worker")
    page.get_by_role("button", name="Save the named worker").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile(rf"/worker/people/{newcomer.pk}/$"))
    expect(page.get_by_text("Wendy Worker is now the named worker of Nadia.")).to_be_visible()
    expect(page.get_by_text("07700 900456")).to_be_visible()

    # A mistake first: the summary is forgotten. The page says so beside the field.
    page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Add to the contact log").click()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("Write a short summary of the contact").first).to_be_visible()
    page.get_by_label("Summary").fill("Nadia would like to try a reading group first.")
    page.get_by_role("button", name="Add to the contact log").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("The contact has been added to the log.")).to_be_visible()
    expect(page.get_by_text("Nadia would like to try a reading group first.")).to_be_visible()
    assert ContactLogEntry.objects.get().written_by == worker

    # Back on the list, Nadia is now theirs, and a link.
    checked_page.goto("/worker/people/?named_worker=me")
    checked_page.check_accessibility()
    expect(page.get_by_role("link", name="Nadia", exact=True)).to_be_visible()


def test_a_manager_hands_a_person_to_another_worker(checked_page):
    manager = person(roles=[Role.MANAGER], display_name="Maya Manager")
    leaving = person(roles=[Role.WORKER], display_name="Lou Leaving")
    person(roles=[Role.WORKER], display_name="Kit Keen")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=leaving)
    page = checked_page.page

    log_in(checked_page, manager.email, PASSWORD)
    checked_page.check_accessibility()
    checked_page.goto("/worker/people/?q=rob")
    checked_page.check_accessibility()
    expect(page.get_by_role("table")).to_contain_text("Lou Leaving")
    page.get_by_role("link", name="Change the named worker of Robin").click()
    checked_page.check_accessibility()
    page.get_by_label("Named involvement worker").select_option(label="Kit Keen")
    page.get_by_label("Reason (optional)").fill("Lou is leaving the team")
    page.get_by_role("button", name="Save the named worker").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("/worker/people/$"))
    expect(page.get_by_text("Kit Keen is now the named worker of Robin.")).to_be_visible()
    robin.profile.refresh_from_db()
    assert robin.profile.named_worker.profile.display_name == "Kit Keen"
