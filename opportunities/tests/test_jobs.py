"""The periodic jobs isolate failures: one item that fails is rolled back on its own, logged
without anything that names a person, and the job goes on with everyone else."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import SelectionDraw, SignUp
from opportunities.services import (
    jobs,
    offers_expire,
    reminders_send,
    selections_due,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


def rep(**profile):
    return person(roles=[Role.REPRESENTATIVE], **profile)


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def failing_for(real, *, when, error):
    """`real`, except that it raises `error` for the one item `when` picks out: a fault in
    one opportunity's data, a template or the mail server, that nobody foresaw."""

    def wrapper(*args, **kwargs):
        if when(*args, **kwargs):
            raise error
        return real(*args, **kwargs)

    return wrapper


def assert_logged_without_personal_data(caplog, *, mentions: str, people) -> None:
    """The log names the job and the item, so that whoever reads it knows which run and which
    row to look at, and nothing that names a person."""
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures, "the failure was not logged"
    text = "\n".join(r.getMessage() for r in failures)
    assert mentions in text
    for someone in people:
        assert someone.email not in text
        assert someone.profile.display_name not in text


def an_offer_to_lapse(*, name: str) -> tuple[SignUp, SignUp]:
    """An opportunity of one place: an offer that will lapse, and the next person waiting."""
    opportunity = OpportunityFactory(places=1)
    holder, offered, waiting = rep(), rep(display_name=name), rep()
    held = signup_create(opportunity=opportunity, person=holder)
    offer = signup_create(opportunity=opportunity, person=offered)
    next_one = signup_create(opportunity=opportunity, person=waiting)
    signup_withdraw(signup=held, person=holder)
    assert refreshed(offer).state == State.OFFERED
    return offer, next_one


def test_one_offer_that_fails_to_lapse_does_not_stop_the_others(monkeypatch, caplog):
    broken, broken_next = an_offer_to_lapse(name="Broken Person")
    fine, fine_next = an_offer_to_lapse(name="Fine Person")
    monkeypatch.setattr(
        jobs,
        "_notify",
        failing_for(
            jobs._notify,
            when=lambda signup, event, **_: signup.pk == broken.pk,
            error=RuntimeError(f"The mail server refused {broken.person.email}"),
        ),
    )
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert offers_expire() == 1

    # The other offer lapsed and its place went to the next person.
    assert refreshed(fine).state == State.DECLINED
    assert refreshed(fine_next).state == State.OFFERED
    # The failing one was rolled back whole: still offered, nothing half done, no place moved.
    assert refreshed(broken).state == State.OFFERED
    assert not broken.events.filter(reason="The offer lapsed.").exists()
    assert refreshed(broken_next).state == State.WAITLISTED
    assert_logged_without_personal_data(
        caplog, mentions=f"Offers that lapse: item sign-up {broken.pk} failed", people=[broken.person]
    )

    # Once the fault is mended, the next run lapses it.
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert offers_expire() == 1
    assert refreshed(broken).state == State.DECLINED
    assert refreshed(broken_next).state == State.OFFERED


def a_selection_due() -> tuple:
    opportunity = OpportunityFactory(places=1, selection_method="fair_share")
    applicants = [rep(display_name=f"Applicant {n}") for n in range(2)]
    for someone in applicants:
        signup_create(opportunity=opportunity, person=someone)
    return opportunity, applicants


def test_one_selection_that_fails_does_not_stop_the_others(monkeypatch, caplog):
    broken, broken_people = a_selection_due()
    fine, _ = a_selection_due()
    monkeypatch.setattr(
        jobs,
        "selection_run",
        failing_for(
            jobs.selection_run,
            when=lambda *, opportunity, draw, by: opportunity.pk == broken.pk,
            error=RuntimeError(f"Could not rank {broken_people[0].email}"),
        ),
    )
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert selections_due() == 1

    assert refreshed(fine).selection_done_at is not None
    assert fine.signups.filter(state=State.OFFERED).count() == 1
    # Nothing of the failed selection is left behind: no draw, nobody moved.
    assert refreshed(broken).selection_done_at is None
    assert not SelectionDraw.objects.filter(opportunity=broken).exists()
    assert set(broken.signups.values_list("state", flat=True)) == {State.APPLIED}
    assert_logged_without_personal_data(
        caplog,
        mentions=f"Fair-share selections due: item opportunity {broken.pk} failed",
        people=broken_people,
    )

    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert selections_due() == 1
    assert refreshed(broken).selection_done_at is not None
    assert SelectionDraw.objects.filter(opportunity=broken).count() == 1


def test_one_reminder_that_fails_does_not_stop_the_others(monkeypatch, caplog):
    start = timezone.now() + timedelta(days=3)
    opportunity = OpportunityFactory(
        places=3,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=timezone.now() + timedelta(days=1),
    )
    unlucky, others = rep(display_name="Unlucky Person"), [rep(), rep()]
    for someone in [unlucky, *others]:
        signup_create(opportunity=opportunity, person=someone)
    monkeypatch.setattr(
        jobs,
        "message_create",
        failing_for(
            jobs.message_create,
            when=lambda *, recipient, **_: recipient.pk == unlucky.pk,
            error=RuntimeError(f"No address for {unlucky.email}"),
        ),
    )
    with time_machine.travel(start - timedelta(hours=47)):
        assert reminders_send() == 2

    reminded = set(Message.objects.filter(kind=Kind.REMINDER).values_list("recipient_id", flat=True))
    assert reminded == {someone.pk for someone in others}
    unlucky_signup = opportunity.signups.get(person=unlucky)
    assert_logged_without_personal_data(
        caplog,
        mentions=f"Reminders 48 hours ahead: item sign-up {unlucky_signup.pk}, session",
        people=[unlucky],
    )

    monkeypatch.undo()
    with time_machine.travel(start - timedelta(hours=47)):
        assert reminders_send() == 1  # the one that failed, and nobody twice
    assert Message.objects.filter(kind=Kind.REMINDER, recipient=unlucky).count() == 1
