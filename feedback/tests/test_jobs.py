"""The feedback loop's periodic jobs (digests, the worker's daily summary, check-in
invitations) handle each person, or each batch, on its own: one that fails is logged by its
id alone (never a name, an address or what anyone wrote), the others are still done, and
the next run does the one that failed."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.services import (
    check_in_create,
    check_in_invitations_send,
    check_ins,
    digests,
    digests_build,
    outcome_publish,
    outcome_save,
    summaries,
    worker_summaries_send,
)
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

NAME = "Philippa Private"
WROTE = "Something private about my week"


def rep(**fields):
    return person(roles=[Role.REPRESENTATIVE], display_name=NAME, **fields)


def finished(**fields) -> Opportunity:
    end = timezone.now() - timedelta(days=2)
    return OpportunityFactory(
        status=Opportunity.Status.COMPLETED,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
        places=10,
        **fields,
    )


def attended(opportunity, people) -> None:
    for someone in people:
        SignUp.objects.create(opportunity=opportunity, person=someone, state=SignUp.State.ATTENDED)


def recipients(kind: str) -> set:
    return set(Message.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def assert_logged_without_personal_data(caplog, label: str, someone) -> None:
    assert label in caplog.text
    for private in (someone.email, NAME, WROTE):
        assert private not in caplog.text


def failing_for(real, victim):
    """The real per-person function, except that it fails for `victim`, as a person whose
    data cannot be rendered would."""

    def render(context):
        if context["recipient"].pk == victim.pk:
            raise ValueError(f"cannot render for {victim.email}")
        return real(context)

    return render


def test_one_digest_that_fails_leaves_everyone_else_theirs(monkeypatch, caplog):
    people = [rep() for _ in range(3)]
    opportunity = finished()
    attended(opportunity, people)
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    victim = people[1]

    monkeypatch.setattr(digests, "_digest_render", failing_for(digests._digest_render, victim))
    with caplog.at_level(logging.WARNING, logger="involvement.jobs"):
        assert digests_build() == 2
    assert recipients(Kind.DIGEST) == {people[0].pk, people[2].pk}
    assert_logged_without_personal_data(caplog, f"person {victim.pk}", victim)

    monkeypatch.undo()
    assert digests_build() == 1  # the next run builds the one that failed
    assert recipients(Kind.DIGEST) == {someone.pk for someone in people}


def test_one_digest_that_fails_in_a_later_batch_leaves_the_other_batches_theirs(monkeypatch):
    people = [rep() for _ in range(5)]
    opportunity = finished()
    attended(opportunity, people)
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    monkeypatch.setattr(digests, "_digest_render", failing_for(digests._digest_render, people[2]))
    assert digests_build(batch_size=2) == 4
    assert recipients(Kind.DIGEST) == {someone.pk for someone in people} - {people[2].pk}


def test_one_summary_that_fails_leaves_the_other_workers_theirs(monkeypatch, caplog):
    workers = [person(roles=[Role.WORKER], display_name=NAME) for _ in range(3)]
    for worker in workers:
        someone = rep(named_worker=worker)
        check_in_create(
            person=someone, opportunity=None, how_it_went=2, felt_valued=2, went_well=WROTE, wants_chat=True
        )
    victim = workers[0]

    monkeypatch.setattr(summaries, "_summary_render", failing_for(summaries._summary_render, victim))
    with caplog.at_level(logging.WARNING, logger="involvement.jobs"):
        assert worker_summaries_send() == 2
    assert recipients(Kind.WORKER_SUMMARY) == {workers[1].pk, workers[2].pk}
    assert_logged_without_personal_data(caplog, f"worker {victim.pk}", victim)

    monkeypatch.undo()
    assert worker_summaries_send() == 1
    assert recipients(Kind.WORKER_SUMMARY) == {worker.pk for worker in workers}


def test_one_invitation_that_fails_leaves_the_others_invited(monkeypatch, caplog):
    people = [rep() for _ in range(3)]
    opportunity = finished()
    attended(opportunity, people)
    victim = SignUp.objects.get(opportunity=opportunity, person=people[1])
    send = check_ins._check_in_invitation_send

    def failing_for_one(signup):
        if signup.pk == victim.pk:
            raise ValueError(f"cannot invite {signup.person.email}")
        return send(signup)

    monkeypatch.setattr(check_ins, "_check_in_invitation_send", failing_for_one)
    with caplog.at_level(logging.WARNING, logger="involvement.jobs"):
        assert check_in_invitations_send() == 2
    assert recipients(Kind.CHECK_IN_INVITATION) == {people[0].pk, people[2].pk}
    assert_logged_without_personal_data(caplog, f"sign-up {victim.pk}", people[1])

    monkeypatch.undo()
    assert check_in_invitations_send() == 1
    assert recipients(Kind.CHECK_IN_INVITATION) == {someone.pk for someone in people}
