"""The lead worker writes to the people taking part and opens the register for a session, in
the browser with axe-core on every page (issue 13, items 5 and 6)."""

import re

from playwright.sync_api import expect

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Format
from opportunities.services import signup_create
from opportunities.tests.factories import OpportunityFactory
from tests.browser.test_foundation_journeys import log_in


def test_the_lead_worker_writes_to_the_confirmed_people_and_prints_the_register(checked_page):
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    opportunity = OpportunityFactory(lead_worker=lead, places=2, format=Format.HYBRID, title="Ward panel")
    ann = person(
        roles=[Role.REPRESENTATIVE],
        display_name="Ann",
        access_needs_shared="Step-free access, please.",
        support_needs="Private words.",
    )
    ben = person(roles=[Role.REPRESENTATIVE], display_name="Ben")
    wes = person(roles=[Role.REPRESENTATIVE], display_name="Wes")
    signup_create(opportunity=opportunity, person=ann, attendance_mode="in_person")
    signup_create(opportunity=opportunity, person=ben, attendance_mode="online")
    signup_create(opportunity=opportunity, person=wes, attendance_mode="online")  # waiting
    page = checked_page.page

    log_in(checked_page, lead.email, PASSWORD)
    checked_page.check_accessibility()
    checked_page.goto(f"/opportunities/{opportunity.pk}/participants/")
    checked_page.check_accessibility()
    expect(page.get_by_text("No messages have been sent to the people taking part.")).to_be_visible()

    page.get_by_role("link", name="Write to the people taking part").click()
    checked_page.check_accessibility()
    # A mistake first: nobody chosen. The page says so beside the field and keeps the words.
    page.get_by_label("Subject").fill("Room change")
    page.get_by_label("Message").fill("We are in room 4 now.")
    page.get_by_role("button", name="Send the message").click()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_text("Choose who the message is for").first).to_be_visible()
    expect(page.get_by_label("Message")).to_have_value("We are in room 4 now.")

    page.get_by_label("Confirmed: people with a place").check()
    page.get_by_role("button", name="Send the message").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile(rf"/opportunities/{opportunity.pk}/participants/$"))
    expect(page.get_by_text("Your message has been sent to 2 people.")).to_be_visible()
    expect(page.get_by_role("cell", name="Room change")).to_be_visible()
    assert sorted(
        message.recipient.profile.display_name
        for message in Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE)
    ) == ["Ann", "Ben"]

    page.get_by_role("link", name=re.compile("^Register for ")).click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register: Ward panel")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Step-free access, please.")
    expect(table).to_contain_text("In person")
    expect(table).to_contain_text("Online")
    expect(table).not_to_contain_text("Wes")
    expect(page.locator("main")).not_to_contain_text("Private words.")
    assert AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS, subject=ann).count() == 1
