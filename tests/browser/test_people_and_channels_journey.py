"""People and channels in the browser, with axe-core on every page (issue 13, "Tests and
figures"): a worker registers a person by phone, confirms their mobile with the code they
read back, signs them up on their behalf; the reminder job sends them a text; the worker logs
the call; then a representative asks for a chat in a check-in, and the named worker picks it
up with a call-by date and closes it.

The person registered by phone has no e-mail address, so they never log in: the check-in is
made by a second representative, with e-mail, in their own browser."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ContactLogEntry, User
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from feedback.models import FollowUp
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import texts
from opportunities.models import SignUp
from opportunities.services.jobs import reminders_send
from opportunities.tests.factories import OpportunityFactory
from tests.browser.test_feedback_journeys import TITLE as FINISHED
from tests.browser.test_feedback_journeys import a_finished_activity
from tests.browser.test_foundation_journeys import log_in

SOON = "Reading group for the new leaflet"
PHONE = "07700 900456"
MOBILE = "+447700900456"
PRIVACY_NOTICE_VERSION = django_settings.PRIVACY_NOTICE_VERSION


@pytest.fixture
def texts_on(settings):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"
    texts.sent.clear()
    yield texts.sent
    texts.sent.clear()


def test_a_worker_reaches_a_person_by_phone_and_text_and_picks_up_a_chat(
    checked_page, another_browser, texts_on
):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    starts = timezone.now() + timedelta(hours=30)
    OpportunityFactory(
        title=SOON,
        signup_deadline=timezone.now() + timedelta(hours=12),
        sessions=[(starts, starts + timedelta(hours=2))],
    )
    page = checked_page.page

    # The worker registers Nadia, who has no e-mail address, while on the phone with her.
    log_in(checked_page, worker.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    checked_page.check_accessibility()
    checked_page.goto("/worker/people/")
    checked_page.check_accessibility()
    page.get_by_role("link", name="Register a person who has no e-mail address").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a person who has no e-mail address")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Phone number").fill(PHONE)
    page.get_by_label(f"I have read them the privacy notice (version {PRIVACY_NOTICE_VERSION})").check()
    page.get_by_label("They agreed to us keeping their details as the privacy notice describes").check()
    page.get_by_role("button", name="Register them").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Nadia is registered, and you are their named worker.")).to_be_visible()
    nadia = User.objects.get(first_name="Nadia")
    expect(page).to_have_url(re.compile(rf"/worker/people/{nadia.pk}/$"))
    assert nadia.email is None and not nadia.has_usable_password()
    assert nadia.profile.named_worker == worker and nadia.profile.phone == PHONE
    assert nadia.profile.privacy_consent_version == PRIVACY_NOTICE_VERSION

    # She gives her mobile; a code goes to it by text, she reads it back, the worker types it.
    page.get_by_role("link", name="Confirm their mobile number for texts").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobile number for texts: Nadia")
    page.get_by_label("Their mobile number").fill(PHONE)
    page.get_by_role("button", name="Send a code").click()
    checked_page.check_accessibility()
    expect(
        page.get_by_text("A code is on its way to their phone by text. Ask them to read it to you.")
    ).to_be_visible()
    [code_text] = texts_on
    assert code_text["to_phone"] == MOBILE
    code = code_text["body"].split()[0]
    assert len(code) == 6 and code.isdigit()
    page.get_by_label("The code from the text").fill(code)
    page.get_by_role("button", name="Confirm their number").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile(rf"/worker/people/{nadia.pk}/$"))
    expect(page.get_by_text(re.compile(r"^Their mobile number .* is confirmed"))).to_be_visible()
    nadia.profile.refresh_from_db()
    assert nadia.profile.mobile_number == MOBILE and nadia.profile.mobile_confirmed_at is not None

    # She asks to join the reading group: the worker signs her up on her behalf.
    page.get_by_label("Sign them up for").select_option(label=SOON)
    page.get_by_role("button", name="Sign them up").click()
    checked_page.check_accessibility()
    expect(page.get_by_text(f"Nadia: confirmed for {SOON}, on their behalf.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=f"{SOON}, confirmed")).to_contain_text(
        "by Wendy Worker on behalf of Nadia"
    )
    signup = SignUp.objects.get(person=nadia)
    assert signup.state == SignUp.State.CONFIRMED
    # With a confirmed mobile, her confirmation came by text rather than as a call to make.
    assert [t["to_phone"] for t in texts_on] == [MOBILE, MOBILE]

    # The reminder job runs; her reminder goes by text to the confirmed mobile.
    assert reminders_send() == 1
    reminder = Message.objects.get(kind=Kind.REMINDER, recipient=nadia)
    assert reminder.to_phone == MOBILE and reminder.status == Message.Status.SENT
    assert len(texts_on) == 3
    assert texts_on[-1]["to_phone"] == MOBILE and SOON in texts_on[-1]["body"]

    # She prefers a phone call: the worker calls her about it and logs the call.
    checked_page.goto(f"/worker/people/{nadia.pk}/")
    checked_page.check_accessibility()
    page.get_by_label("Phone call").check()
    page.get_by_label("Summary").fill("Called Nadia: she has the text and will come on Thursday.")
    page.get_by_role("button", name="Add to the contact log").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("The contact has been added to the log.")).to_be_visible()
    expect(page.get_by_text("Called Nadia: she has the text and will come on Thursday.")).to_be_visible()
    entry = ContactLogEntry.objects.get(person=nadia)
    assert (entry.written_by, entry.channel) == (worker, "phone")

    # Robin, who has e-mail and the same named worker, checks in after an activity and asks for a chat.
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=worker)
    a_finished_activity(lead=person(roles=[Role.WORKER], display_name="Lena Lead"), attended=[robin])
    robin_page = another_browser()
    rp = robin_page.page
    log_in(robin_page, robin.email, PASSWORD)
    expect(rp).to_have_url(re.compile("/me/$"))
    robin_page.check_accessibility()
    rp.get_by_role("link", name=f"Check in about {FINISHED}").click()
    robin_page.check_accessibility()
    rp.get_by_label("5: very well", exact=True).check()
    rp.get_by_label("4: valued", exact=True).check()
    rp.get_by_label("Yes, I would like a chat with my involvement worker").check()
    rp.get_by_label("This week", exact=True).check()
    rp.get_by_role("button", name="Send").click()
    robin_page.check_accessibility()
    expect(
        rp.get_by_text("Thank you. We have asked your involvement worker to get in touch.")
    ).to_be_visible()
    follow_up = FollowUp.objects.get()
    assert (follow_up.person, follow_up.worker) == (robin, worker)

    # The worker picks it up from her home page, saying when she will call.
    checked_page.goto("/worker/")
    checked_page.check_accessibility()
    waiting = page.get_by_role("listitem").filter(has_text=f"after {FINISHED}")
    waiting.get_by_role("link", name="Robin").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin would like a chat")
    call_by = timezone.localdate() + timedelta(days=1)
    group = page.get_by_role("group", name="I will call you by")
    group.get_by_label("Day").fill(str(call_by.day))
    group.get_by_label("Month").fill(str(call_by.month))
    group.get_by_label("Year").fill(str(call_by.year))
    page.get_by_role("button", name="Pick it up").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Picked up. We have told them when you will call.")).to_be_visible()
    robin_page.goto("/me/check-ins/")
    robin_page.check_accessibility()
    expect(
        rp.get_by_text(f"Wendy Worker will call you by {call_by:%A} {call_by.day} {call_by:%B}.")
    ).to_be_visible()

    # She calls Robin and closes it.
    page.get_by_label("What did you do?").fill("Phoned Robin; we will meet before the next panel.")
    page.get_by_role("button", name="Close the follow-up").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("/worker/$"))
    expect(page.get_by_text("The follow-up is closed. Thank you.")).to_be_visible()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.CLOSED and follow_up.closed_by == worker
    assert follow_up.call_by == call_by
    # Nadia, with no e-mail address, was never sent one: her messages went by text.
    assert not Message.objects.filter(recipient=nadia).exclude(to_email="").exists()
