"""Publishing "You said, we did", read as the people told and the worker see it: both halves
written first, only this activity's attendees told, each once, however often it is
published, and a message that names the activity; a cancelled activity never owes one.

Built so that plausible wrong code gives a different answer; `make mutation` showed the
tests before these could not tell."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import Outcome
from feedback.services import FeedbackError, outcome_publish, outcome_save, outcomes_overdue
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def finished(title: str = "Menu review", *, days_ago: int = 3, status=Opportunity.Status.COMPLETED):
    end = timezone.now() - timedelta(days=days_ago)
    return OpportunityFactory(
        title=title,
        status=status,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
        places=5,
    )


def attended(opportunity, someone) -> SignUp:
    return SignUp.objects.create(opportunity=opportunity, person=someone, state=SignUp.State.ATTENDED)


def told() -> list[int]:
    return sorted(Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).values_list("recipient_id", flat=True))


@pytest.mark.parametrize(
    "you_said,we_did", [("Too many forms.", ""), ("", "We cut the form to one page.")], ids=["said", "did"]
)
def test_an_outcome_with_one_half_empty_is_not_published(you_said, we_did):
    opportunity = finished()
    attended(opportunity, person(roles=[Role.REPRESENTATIVE]))
    outcome = outcome_save(
        opportunity=opportunity, by=opportunity.lead_worker, you_said=you_said, we_did=we_did
    )
    with pytest.raises(FeedbackError) as refused:
        outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    assert str(refused.value) == "Write both what people said and what was done before publishing."
    outcome.refresh_from_db()
    assert outcome.status == Outcome.Status.DRAFT
    assert told() == []


def test_only_this_activitys_attendees_are_told_and_the_message_names_it():
    ours, theirs = finished("Menu review"), finished("Car park review")
    came, elsewhere = person(roles=[Role.REPRESENTATIVE]), person(roles=[Role.REPRESENTATIVE])
    attended(ours, came)
    attended(theirs, elsewhere)
    outcome = outcome_save(
        opportunity=ours, by=ours.lead_worker, you_said="Cold food.", we_did="New trolleys."
    )
    assert outcome_publish(outcome=outcome, by=ours.lead_worker) == 1
    message = Message.objects.get(kind=Kind.OUTCOME_PUBLISHED)
    assert message.recipient == came
    assert message.subject == "You said, we did: Menu review"


def test_someone_added_to_the_attendance_later_is_told_when_it_is_published_again():
    opportunity = finished()
    first, second, late = (person(roles=[Role.REPRESENTATIVE]) for _ in range(3))
    attended(opportunity, first)
    attended(opportunity, second)
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    assert outcome_publish(outcome=outcome, by=opportunity.lead_worker) == 2
    attended(opportunity, late)  # the register is corrected after publication
    assert outcome_publish(outcome=outcome, by=opportunity.lead_worker) == 1
    assert told() == sorted([first.pk, second.pk, late.pk])


def test_a_cancelled_or_unfinished_activity_never_owes_an_outcome():
    overdue = finished("Overdue review", days_ago=40)
    finished("Cancelled review", days_ago=40, status=Opportunity.Status.CANCELLED)
    finished("Closed review", days_ago=40, status=Opportunity.Status.CLOSED)
    assert list(outcomes_overdue()) == [overdue]


def test_an_outcome_of_an_activity_not_yet_completed_cannot_be_published_and_says_why():
    """`make mutation` (docs/testing.md): the refusal's words were not checked."""
    opportunity = finished(status=Opportunity.Status.PUBLISHED)
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    with pytest.raises(FeedbackError) as refused:
        outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    assert str(refused.value) == "Mark the opportunity as completed before publishing its outcome."
    outcome.refresh_from_db()
    assert outcome.status == Outcome.Status.DRAFT


def test_publishing_to_three_people_reads_nobody_one_query_at_a_time():
    """`make mutation`: each person told comes with their sign-up, not from a query each."""

    def one_by_one(people: int) -> int:
        opportunity = finished(title=f"Panel for {people}")
        for _ in range(people):
            attended(opportunity, person(roles=[Role.REPRESENTATIVE]))
        outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
        with CaptureQueriesContext(connection) as queries:
            outcome_publish(outcome=outcome, by=opportunity.lead_worker)
        return sum(
            'FROM "accounts_user" WHERE "accounts_user"."id" = ' in q["sql"] for q in queries.captured_queries
        )

    assert one_by_one(3) == one_by_one(1)


def test_an_outcome_saved_without_evidence_has_none_and_a_cancelled_activity_has_no_outcome():
    """`make mutation`: a default link to evidence, and the refusal's words, went unnoticed."""
    opportunity = finished()
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    outcome.refresh_from_db()
    assert outcome.evidence_url == ""
    cancelled = finished(title="Called off", status=Opportunity.Status.CANCELLED)
    with pytest.raises(FeedbackError) as refused:
        outcome_save(opportunity=cancelled, by=cancelled.lead_worker, you_said="a", we_did="b")
    assert str(refused.value) == "A cancelled opportunity has no outcome to write."
