"""Closing the loop, in the browser, with axe-core on every page.

The lead worker publishes "You said, we did" for a finished activity; Robin, who took part,
reads it in the inbox and on their home page, checks in and asks for a chat; Robin's named
worker (not the lead) reads the check-in and closes the follow-up.
"""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from feedback.models import CheckIn, FollowUp, Outcome
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.services import attendance_record, opportunity_complete, signup_create
from opportunities.tests.factories import OpportunityFactory
from tests.browser.test_foundation_journeys import log_in

TITLE = "Rewrite the discharge letter"
YOU_SAID = "The discharge letter was full of jargon and did not say who to call."
WE_DID = "We rewrote the letter with you and put the crisis line number at the top."
WENT_WELL = "Being listened to about the letter"


def a_finished_activity(*, lead, attended):
    """An activity whose one session ended three days ago, taken through the services:
    signed up, attended, completed."""
    end = timezone.now() - timedelta(days=3)
    opportunity = OpportunityFactory(
        title=TITLE, lead_worker=lead, sessions=[(end - timedelta(hours=2), end)]
    )
    session = opportunity.sessions.get()
    for someone in attended:
        signup = signup_create(opportunity=opportunity, person=someone)
        attendance_record(signup=signup, session=session, attended=True, by=lead)
    opportunity_complete(opportunity=opportunity, by=lead)
    return opportunity


def test_an_outcome_is_published_and_a_check_in_is_followed_up(checked_page, another_browser):
    lead = person(roles=[Role.WORKER], display_name="Lena Lead")
    named = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=named)
    opportunity = a_finished_activity(lead=lead, attended=[robin])
    # Robin has read the messages about their place already.
    Message.objects.filter(recipient=robin).update(read_at=timezone.now())

    # The lead worker writes the outcome and publishes it.
    page = checked_page.page
    log_in(checked_page, lead.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    checked_page.check_accessibility()
    expect(page.get_by_role("listitem").filter(has_text=TITLE)).to_contain_text("due")
    # The next action on the opportunity; its accessible name ends with the opportunity's title.
    page.get_by_role("link", name=re.compile(rf"^Write the outcome\s*: {TITLE}$")).click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcome: {TITLE}")
    page.get_by_label("You said", exact=True).fill(YOU_SAID)
    page.get_by_label("We did", exact=True).fill(WE_DID)
    page.get_by_role("button", name="Publish and tell participants").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Published. 1 person who took part will be told.")).to_be_visible()
    outcome = Outcome.objects.get(opportunity=opportunity)
    assert outcome.status == Outcome.Status.PUBLISHED and outcome.published_at is not None
    assert (outcome.you_said, outcome.we_did, outcome.written_by) == (YOU_SAID, WE_DID, lead)
    told = Message.objects.get(kind=Kind.OUTCOME_PUBLISHED)
    assert told.recipient == robin and told.status == Message.Status.SENT
    assert [m.subject for m in mail.outbox if m.to == [robin.email]][-1] == f"You said, we did: {TITLE}"

    # Robin reads it in the inbox, then on their home page, and checks in.
    robin_page = another_browser()
    rp = robin_page.page
    log_in(robin_page, robin.email, PASSWORD)
    expect(rp).to_have_url(re.compile("/me/$"))
    robin_page.check_accessibility()
    rp.get_by_role("link", name="Inbox (1 unread)").click()
    robin_page.check_accessibility()
    rp.get_by_role("link", name=f"You said, we did: {TITLE}").click()
    robin_page.check_accessibility()
    expect(rp.get_by_role("heading", level=1)).to_have_text(f"You said, we did: {TITLE}")
    expect(rp.get_by_text(WE_DID)).to_be_visible()
    told.refresh_from_db()
    assert told.read_at is not None

    rp.get_by_role("link", name="My involvement").click()
    robin_page.check_accessibility()
    expect(rp.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    expect(rp.get_by_role("heading", name="You said, we did", level=2)).to_be_visible()
    expect(rp.get_by_role("heading", name=TITLE, level=3)).to_be_visible()
    expect(rp.get_by_text(WE_DID)).to_be_visible()
    rp.get_by_role("link", name=f"Check in about {TITLE}").click()
    robin_page.check_accessibility()
    expect(rp.get_by_role("heading", level=1)).to_have_text(f"How did it go? {TITLE}")
    rp.get_by_label("5: very well", exact=True).check()
    rp.get_by_label("4: valued", exact=True).check()
    rp.get_by_label("What went well? (optional)").fill(WENT_WELL)
    rp.get_by_label("Yes, I would like a chat with my involvement worker").check()
    rp.get_by_label("This week", exact=True).check()
    rp.get_by_role("button", name="Send").click()
    robin_page.check_accessibility()
    expect(rp).to_have_url(re.compile("/me/$"))
    expect(
        rp.get_by_text("Thank you. We have asked your involvement worker to get in touch.")
    ).to_be_visible()
    expect(rp.get_by_role("link", name=f"Check in about {TITLE}")).to_have_count(0)
    check_in = CheckIn.objects.get(person=robin)
    assert (check_in.opportunity, check_in.how_it_went, check_in.felt_valued) == (opportunity, 5, 4)
    assert check_in.wants_chat and check_in.went_well == WENT_WELL
    follow_up = FollowUp.objects.get()
    assert (follow_up.person, follow_up.worker, follow_up.status) == (robin, named, FollowUp.Status.OPEN)
    asked = Message.objects.get(kind=Kind.FOLLOW_UP_REQUESTED)
    assert asked.recipient == named and WENT_WELL not in asked.body_text + asked.body_html + asked.subject

    # Robin's named worker reads the check-in and closes the follow-up.
    named_page = another_browser()
    wp = named_page.page
    log_in(named_page, named.email, PASSWORD)
    expect(wp).to_have_url(re.compile("/worker/$"))
    named_page.check_accessibility()
    waiting = wp.get_by_role("heading", name="People waiting for a chat")
    expect(waiting).to_be_visible()
    # Nothing read yet (logging in as staff is an entry of its own since issue 16).
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.STAFF_LOGIN).exists()
    wp.get_by_role("listitem").filter(has_text=f"after {TITLE}").get_by_role("link", name="Robin").click()
    named_page.check_accessibility()
    expect(wp.get_by_role("heading", level=1)).to_have_text("Robin would like a chat")
    expect(wp.get_by_text(WENT_WELL)).to_be_visible()
    entry = AccessLogEntry.objects.exclude(what=AccessLogEntry.What.STAFF_LOGIN).get()
    assert (entry.viewer, entry.subject, entry.what) == (named, robin, AccessLogEntry.What.CHECK_IN)
    # Wendy picks it up, saying when she will call; Robin sees it on their check-ins page.
    call_by = timezone.localdate() + timedelta(days=1)
    group = wp.get_by_role("group", name="I will call you by")
    group.get_by_label("Day").fill(str(call_by.day))
    group.get_by_label("Month").fill(str(call_by.month))
    group.get_by_label("Year").fill(str(call_by.year))
    wp.get_by_role("button", name="Pick it up").click()
    named_page.check_accessibility()
    expect(wp.get_by_text("Picked up. We have told them when you will call.")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.call_by == call_by and follow_up.is_open
    robin_page.goto("/me/check-ins/")
    robin_page.check_accessibility()
    expect(
        rp.get_by_text(f"Wendy Worker will call you by {call_by:%A} {call_by.day} {call_by:%B}.")
    ).to_be_visible()
    assert Message.objects.get(kind=Kind.CHAT_REPLY).recipient == robin
    wp.get_by_label("What did you do?").fill("Phoned Robin and arranged a coffee on Friday.")
    wp.get_by_role("button", name="Close the follow-up").click()
    named_page.check_accessibility()
    expect(wp).to_have_url(re.compile("/worker/$"))
    expect(wp.get_by_text("The follow-up is closed. Thank you.")).to_be_visible()
    expect(wp.get_by_text("Nobody is waiting for a chat.")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.CLOSED
    assert follow_up.closed_by == named and follow_up.closed_at is not None
    assert follow_up.action_taken == "Phoned Robin and arranged a coffee on Friday."
    assert SignUp.objects.get(person=robin).state == SignUp.State.ATTENDED
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.COMPLETED
