"""Messages about sign-ups, counted: who gets reminders and how many, and one message for
every event however often a person comes and goes (none silently dropped by a reused key)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind, SignUpUpdate
from notifications.models import Message
from notifications.services import render_message
from opportunities.models import SignUp
from opportunities.services import (
    reminders_send,
    signup_create,
    signup_decline,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def messages_to(someone, kind) -> list[Message]:
    return list(Message.objects.filter(recipient=someone, kind=kind).order_by("pk"))


def test_two_sessions_a_week_apart_give_each_confirmed_person_four_reminders_and_nobody_else_any():
    now = timezone.now().replace(second=0, microsecond=0)
    first = now + timedelta(days=3)
    second = first + timedelta(days=7)
    opportunity = OpportunityFactory(
        places=3,
        sessions=[(first, first + timedelta(hours=2)), (second, second + timedelta(hours=2))],
        signup_deadline=now + timedelta(days=1),
    )
    confirmed = [rep(), rep()]
    offered, waiting, withdrawn = rep(), rep(), rep()
    for someone in [*confirmed, withdrawn, offered, waiting]:
        signup_create(opportunity=opportunity, person=someone)
    # The third place is given up: the first person waiting is offered it, the next still waits.
    signup_withdraw(signup=SignUp.objects.get(person=withdrawn), person=withdrawn)
    states = dict(opportunity.signups.values_list("person_id", "state"))
    assert [states[p.pk] for p in (*confirmed, offered, waiting, withdrawn)] == [
        State.CONFIRMED,
        State.CONFIRMED,
        State.OFFERED,
        State.WAITLISTED,
        State.WITHDRAWN,
    ]

    # The reminder job, run every hour from now until after the second session (beat runs it
    # every 15 minutes; hourly is enough to pass through every window many times over).
    created = 0
    with time_machine.travel(now, tick=False) as clock:
        while timezone.now() < second + timedelta(hours=1):
            created += reminders_send()
            clock.shift(timedelta(hours=1))

    sessions = {s.pk: s.starts_at for s in opportunity.sessions.all()}
    for someone in confirmed:
        reminders = messages_to(someone, Kind.REMINDER)
        # reminder:<hours>h:<sign-up>:<session>:...: one 48 and one 2 hours before each session.
        sent = sorted(
            (sessions[int(m.dedupe_key.split(":")[3])], m.dedupe_key.split(":")[1]) for m in reminders
        )
        assert sent == [(first, "2h"), (first, "48h"), (second, "2h"), (second, "48h")]
        assert len({m.subject for m in reminders}) == 2  # each names its own session's time
    for someone in (offered, waiting, withdrawn):
        assert messages_to(someone, Kind.REMINDER) == []
    assert created == 8


def test_signing_up_and_withdrawing_twice_gives_one_message_for_each_event(
    django_capture_on_commit_callbacks,
):
    opportunity = OpportunityFactory(places=1)
    someone = rep()
    with django_capture_on_commit_callbacks(execute=True):
        signup = signup_create(opportunity=opportunity, person=someone)
    for action in ("withdraw", "sign up", "withdraw"):
        with django_capture_on_commit_callbacks(execute=True):
            if action == "withdraw":
                signup_withdraw(signup=signup, person=someone)
            else:
                signup_create(opportunity=opportunity, person=someone)
    subjects = [m.subject.split(":")[0] for m in messages_to(someone, Kind.SIGNUP_UPDATE)]
    assert subjects == [
        "Your place is confirmed",
        "You have withdrawn",
        "Your place is confirmed",
        "You have withdrawn",
    ]
    # And each was e-mailed, not only written.
    assert [m.subject.split(":")[0] for m in mail.outbox] == subjects


def test_joining_and_leaving_the_waiting_list_twice_gives_one_message_for_each_event():
    opportunity = OpportunityFactory(places=1)
    signup_create(opportunity=opportunity, person=rep())
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    signup_withdraw(signup=signup, person=someone)
    signup_create(opportunity=opportunity, person=someone)
    signup_withdraw(signup=signup, person=someone)
    subjects = [m.content.subject.split(":")[0] for m in messages_to(someone, Kind.SIGNUP_UPDATE)]
    assert subjects == [
        "You are on the waiting list",
        "You have withdrawn",
        "You are on the waiting list",
        "You have withdrawn",
    ]


def test_a_place_offered_twice_is_told_twice():
    opportunity = OpportunityFactory(places=1)
    holder, someone, other = rep(), rep(), rep()
    held = signup_create(opportunity=opportunity, person=holder)
    mine = signup_create(opportunity=opportunity, person=someone)
    theirs = signup_create(opportunity=opportunity, person=other)
    signup_withdraw(signup=held, person=holder)  # offered to me
    signup_decline(signup=mine, person=someone)  # passed to the other person
    signup_create(opportunity=opportunity, person=someone)  # I wait again
    signup_withdraw(signup=theirs, person=other)  # offered to me again
    assert SignUp.objects.get(pk=mine.pk).state == State.OFFERED
    offers = messages_to(someone, Kind.PLACE_OFFERED)
    assert len(offers) == 2 and len({m.dedupe_key for m in offers}) == 2


# An offer of a place is a kind of its own (`place_offered`), with its own templates.
@pytest.mark.parametrize("event", [event for event in SignUpUpdate if event != SignUpUpdate.OFFERED])
def test_every_sign_up_event_has_its_own_subject(event):
    opportunity = OpportunityFactory(title="Ward panel")
    rendered = render_message(
        kind=Kind.SIGNUP_UPDATE,
        context={"event": event, "opportunity": opportunity, "signup": None, "changes": []},
    )
    assert "Ward panel" in rendered.subject
    assert not rendered.subject.startswith("An update about"), event
    assert rendered.body_text.strip()


def test_people_confirmed_on_a_closed_opportunity_are_still_reminded():
    """Closing shuts the door to newcomers; the activity still happens for those confirmed."""
    now = timezone.now().replace(second=0, microsecond=0)
    start = now + timedelta(hours=40)
    opportunity = OpportunityFactory(
        places=2, sessions=[(start, start + timedelta(hours=2))], signup_deadline=now + timedelta(hours=1)
    )
    someone = rep()
    signup_create(opportunity=opportunity, person=someone)
    opportunity.status = opportunity.Status.CLOSED
    opportunity.save(update_fields=["status"])

    assert reminders_send() == 1
    assert len(messages_to(someone, Kind.REMINDER)) == 1
