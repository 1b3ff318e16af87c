"""A sign-up's message is written under the opportunity's lock without being rendered: the
row keeps a snapshot of what it says, and delivery renders it afterwards (issue 18). What it
says is still what was true when the person signed up, and the snapshot says no more than
the message."""

import json
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from involvement.templatetags.nhs_dates import nhs_session
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import messages_deliver, outbox_sweep
from opportunities.models import Session
from opportunities.services import signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def test_the_message_says_what_was_true_when_the_person_signed_up():
    opportunity = OpportunityFactory(places=1, title="Ward panel")
    session = opportunity.sessions.get()
    when = nhs_session(session)
    someone = rep()
    signup_create(opportunity=opportunity, person=someone)
    [message] = Message.objects.filter(recipient=someone)
    assert message.context is not None and message.subject == ""

    # Renamed and moved before the message goes: it still says what the person signed up to.
    opportunity.title = "Ward panel (renamed)"
    opportunity.save()
    Session.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + timedelta(days=1), ends_at=session.ends_at + timedelta(days=1)
    )
    messages_deliver(ids=[message.pk])

    [email] = mail.outbox
    assert email.subject == "Your place is confirmed: Ward panel"
    assert f"- {when}, Central Leeds" in email.body
    assert "renamed" not in email.body
    assert f"/opportunities/{opportunity.pk}/" in email.body


def test_the_snapshot_holds_what_the_message_shows_and_never_the_persons_note():
    opportunity = OpportunityFactory(places=1, title="Ward panel")
    first, second = rep(), rep()
    note = "I use a wheelchair and need a quiet room after my recent treatment."
    signup_create(opportunity=opportunity, person=first, note=note)
    signup_create(opportunity=opportunity, person=second, note=note)
    confirmed = Message.objects.get(recipient=first).context
    waitlisted = Message.objects.get(recipient=second).context
    for snapshot in (confirmed, waitlisted):
        assert "wheelchair" not in json.dumps(snapshot)
        assert "1 Park Row" not in json.dumps(snapshot)  # the address is on the page, never in a message
    assert set(confirmed["opportunity"]) == {"pk", "title", "sessions"}
    # The waiting list's message names no session, so its snapshot holds none.
    assert set(waitlisted["opportunity"]) == {"pk", "title"}
    assert waitlisted["event"] == "waitlisted"
    # Only an offer's message says until when a place is held.
    assert confirmed["signup"] == waitlisted["signup"] == {}


def test_each_event_is_told_once_however_often_the_person_comes_and_goes(
    django_capture_on_commit_callbacks,
):
    opportunity = OpportunityFactory(places=1, title="Ward panel")
    someone = rep()
    with django_capture_on_commit_callbacks(execute=True):
        signup = signup_create(opportunity=opportunity, person=someone)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            signup_withdraw(signup=signup, person=someone)
        with django_capture_on_commit_callbacks(execute=True):
            signup_create(opportunity=opportunity, person=someone)
    keys = list(
        Message.objects.filter(kind=Kind.SIGNUP_UPDATE).order_by("pk").values_list("dedupe_key", flat=True)
    )
    assert keys == [
        f"signup:confirmed:{signup.pk}:1",
        f"signup:withdrawn:{signup.pk}:2",
        f"signup:confirmed:{signup.pk}:3",
        f"signup:withdrawn:{signup.pk}:4",
        f"signup:confirmed:{signup.pk}:5",
    ]
    # Delivered after each commit: every one rendered and sent.
    assert [email.subject.split(":")[0] for email in mail.outbox] == [
        "Your place is confirmed",
        "You have withdrawn",
        "Your place is confirmed",
        "You have withdrawn",
        "Your place is confirmed",
    ]
    assert not Message.objects.filter(context__isnull=False).exists()


def muted_rep():
    someone = rep()
    someone.profile.email_muted_kinds = [Kind.SIGNUP_UPDATE]
    someone.profile.save(update_fields=["email_muted_kinds"])
    return someone


def test_a_message_for_the_inbox_only_is_rendered_once_the_sign_up_commits(
    django_capture_on_commit_callbacks,
):
    opportunity = OpportunityFactory(places=1, title="Ward panel")
    someone = muted_rep()
    with django_capture_on_commit_callbacks(execute=True):
        signup_create(opportunity=opportunity, person=someone)
    message = Message.objects.get(recipient=someone)
    assert message.status == Message.Status.INBOX_ONLY
    assert (message.subject, message.context) == ("Your place is confirmed: Ward panel", None)
    assert not mail.outbox


def test_with_the_broker_down_the_inbox_message_waits_for_the_sweep_and_the_log_says_which(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from notifications.tasks import render_unrendered_message

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis://localhost:6379 refused")

    monkeypatch.setattr(render_unrendered_message, "delay", broker_down)
    opportunity = OpportunityFactory(places=1, title="Ward panel")
    someone = muted_rep()
    with (
        caplog.at_level(logging.WARNING, logger="notifications.services.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signup_create(opportunity=opportunity, person=someone)
    message = Message.objects.get(recipient=someone)
    assert caplog.messages == [
        f"Could not queue rendering message {message.pk} (ConnectionRefusedError); the sweep will."
    ]
    assert message.context is not None  # not rendered yet
    outbox_sweep()
    message.refresh_from_db()
    assert (message.subject, message.context, message.status) == (
        "Your place is confirmed: Ward panel",
        None,
        Message.Status.INBOX_ONLY,
    )
    assert not mail.outbox


def test_the_message_lists_the_sessions_in_the_order_they_happen():
    # The later session made first, as when a worker adds an earlier one afterwards.
    later = timezone.now() + timedelta(days=20)
    earlier = timezone.now() + timedelta(days=10)
    opportunity = OpportunityFactory(
        places=1, sessions=[(later, later + timedelta(hours=2)), (earlier, earlier + timedelta(hours=2))]
    )
    someone = rep()
    signup_create(opportunity=opportunity, person=someone)
    messages_deliver(ids=[Message.objects.get(recipient=someone).pk])
    [email] = mail.outbox
    first, second = (nhs_session(s) for s in opportunity.sessions.order_by("starts_at"))
    assert email.body.index(first) < email.body.index(second)


def test_an_application_says_when_the_deadline_is_and_an_offer_how_long_it_is_held():
    from involvement.templatetags.nhs_dates import nhs_datetime
    from opportunities.models import SelectionMethod, SignUp

    fair = OpportunityFactory(places=1, selection_method=SelectionMethod.FAIR_SHARE, title="Fair panel")
    applicant = rep()
    signup_create(opportunity=fair, person=applicant)
    first_come = OpportunityFactory(places=1, title="Quick panel")
    holder, waiting = rep(), rep()
    held = signup_create(opportunity=first_come, person=holder)
    signup_create(opportunity=first_come, person=waiting)
    signup_withdraw(signup=held, person=holder)
    offered = SignUp.objects.get(person=waiting)
    assert offered.state == SignUp.State.OFFERED
    messages_deliver(ids=[m.pk for m in Message.objects.filter(recipient__in=[applicant, waiting])])
    [application] = [email.body for email in mail.outbox if email.to == [applicant.email]]
    assert f"After the deadline ({nhs_datetime(fair.signup_deadline)})" in application
    [offer] = [email.body for email in mail.outbox if email.subject.startswith("A place is offered to you")]
    assert f"We will hold it for you until {nhs_datetime(offered.offer_expires_at)}" in offer
