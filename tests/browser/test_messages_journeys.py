"""The inbox and message preferences, in the browser, with axe-core on every page."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from notifications.kinds import Kind
from tests.browser.test_foundation_journeys import DEMO_PASSWORD, log_in


def test_a_representative_reads_the_welcome_and_chooses_which_emails_to_get(checked_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = checked_page.page
    log_in(checked_page, "rep@example.org", DEMO_PASSWORD)
    checked_page.check_accessibility()
    # The welcome, and the outcome of an activity the demo representative took part in.
    page.get_by_role("link", name="Inbox (2 unread)").click()
    checked_page.check_accessibility()
    page.get_by_role("link", name="Welcome to Involvement Hub").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Thank you for joining Involvement Hub.")).to_be_visible()
    page.get_by_role("link", name="Back to your inbox").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("link", name="Inbox (1 unread)", exact=True)).to_be_visible()  # the outcome

    page.get_by_role("link", name="Choose which messages we e-mail you").click()
    checked_page.check_accessibility()
    page.get_by_label("Reminders before my sessions").uncheck()
    page.get_by_label("Every month").check()
    page.get_by_role("button", name="Save your preferences").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Your message preferences have been saved.")).to_be_visible()
    expect(page.get_by_label("Reminders before my sessions")).not_to_be_checked()
    profile = User.objects.get(email="rep@example.org").profile
    assert Kind.REMINDER in profile.email_muted_kinds and profile.digest_frequency == "monthly"


def test_a_worker_has_an_inbox_and_preferences_too(checked_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = checked_page.page
    log_in(checked_page, "worker@example.org", DEMO_PASSWORD)
    checked_page.check_accessibility()
    page.get_by_role("link", name=re.compile("^Inbox")).click()
    checked_page.check_accessibility()
    page.get_by_role("button", name="Mark all as read").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("All your messages are marked as read.")).to_be_visible()
    checked_page.goto("/me/preferences/")
    checked_page.check_accessibility()
    expect(page.get_by_label("Requests for a chat from people on my caseload")).to_be_checked()
