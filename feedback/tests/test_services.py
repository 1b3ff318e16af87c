"""The feedback loop's services: every branch, and each periodic job run twice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import CheckIn, FollowUp, Outcome
from feedback.services import (
    FeedbackError,
    check_in_create,
    check_in_invitations_send,
    digest_period,
    digests_build,
    follow_up_close,
    outcome_due_on,
    outcome_publish,
    outcome_save,
    outcomes_overdue,
    worker_summaries_send,
)
from notifications.kinds import DigestFrequency, Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


def finished(days_ago: int = 3, **fields) -> Opportunity:
    end = timezone.now() - timedelta(days=days_ago)
    return OpportunityFactory(
        status="completed",
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
        **fields,
    )


def took_part(opportunity, someone, state=State.ATTENDED) -> SignUp:
    return SignUp.objects.create(opportunity=opportunity, person=someone, state=state)


def rep(**profile):
    return person(roles=[Role.REPRESENTATIVE], **profile)


# --- outcomes --------------------------------------------------------------------------------


def test_the_outcome_is_due_28_days_after_the_last_session():
    opportunity = finished(days_ago=3)
    assert outcome_due_on(opportunity) == timezone.localdate(opportunity.ends_at) + timedelta(days=28)


def test_publishing_tells_everyone_who_attended_once():
    opportunity = finished()
    came, also, withdrew, missed = rep(), rep(), rep(), rep()
    took_part(opportunity, came)
    took_part(opportunity, also)
    took_part(opportunity, withdrew, State.WITHDRAWN)
    took_part(opportunity, missed, State.NO_SHOW)
    outcome = outcome_save(
        opportunity=opportunity,
        by=opportunity.lead_worker,
        you_said="Too many forms.",
        we_did="We cut the form to one page.",
    )
    assert outcome.status == Outcome.Status.DRAFT
    assert outcome_publish(outcome=outcome, by=opportunity.lead_worker) == 2
    assert outcome_publish(outcome=outcome, by=opportunity.lead_worker) == 0  # twice: nobody told again
    told = set(Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).values_list("recipient_id", flat=True))
    assert told == {came.pk, also.pk}
    outcome.refresh_from_db()
    assert outcome.status == Outcome.Status.PUBLISHED and outcome.published_at is not None
    message = Message.objects.filter(recipient=came, kind=Kind.OUTCOME_PUBLISHED).get()
    assert "We cut the form to one page." in message.body_text


def test_an_outcome_is_published_only_for_a_completed_opportunity():
    opportunity = OpportunityFactory()  # published, still ahead
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    with pytest.raises(FeedbackError, match="completed"):
        outcome_publish(outcome=outcome, by=opportunity.lead_worker)


def test_a_cancelled_opportunity_has_no_outcome():
    opportunity = OpportunityFactory(status="cancelled")
    with pytest.raises(FeedbackError, match="cancelled"):
        outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")


def test_overdue_outcomes_are_completed_ones_past_due_without_a_published_outcome():
    late = finished(days_ago=40)
    recent = finished(days_ago=10)
    published = finished(days_ago=40)
    outcome = outcome_save(opportunity=published, by=published.lead_worker, you_said="a", we_did="b")
    outcome_publish(outcome=outcome, by=published.lead_worker)
    drafted = finished(days_ago=40)
    outcome_save(opportunity=drafted, by=drafted.lead_worker, you_said="a", we_did="b")
    assert set(outcomes_overdue()) == {late, drafted}
    assert recent not in outcomes_overdue()


# --- check-ins and follow-ups -------------------------------------------------------------------


def test_a_check_in_without_a_chat_creates_no_follow_up(representative):
    opportunity = finished()
    took_part(opportunity, representative)
    check_in = check_in_create(person=representative, opportunity=opportunity, how_it_went=4, felt_valued=5)
    assert check_in.pk and not FollowUp.objects.exists()
    assert not Message.objects.filter(kind=Kind.FOLLOW_UP_REQUESTED).exists()


def test_asking_for_a_chat_alerts_the_named_worker_without_the_content_or_the_name(representative, worker):
    opportunity = finished()
    took_part(opportunity, representative)
    check_in_create(
        person=representative,
        opportunity=opportunity,
        how_it_went=2,
        felt_valued=1,
        went_well="SECRET-GOOD",
        could_be_better="SECRET-BAD",
        wants_chat=True,
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.worker == worker and follow_up.status == FollowUp.Status.OPEN
    message = Message.objects.get(kind=Kind.FOLLOW_UP_REQUESTED)
    assert message.recipient == worker
    everything = message.subject + message.body_text + message.body_html
    # Neither what they wrote nor who they are: the stored text keeps the follow-up's id, and
    # the page it links to names them (so erasing them leaves no name in a worker's messages).
    assert "SECRET" not in everything and "Robin" not in everything
    assert f"/worker/follow-ups/{follow_up.pk}/" in message.body_text


def test_without_a_named_worker_the_lead_worker_is_asked():
    someone = rep()
    opportunity = finished()
    took_part(opportunity, someone)
    check_in_create(person=someone, opportunity=opportunity, how_it_went=3, felt_valued=3, wants_chat=True)
    assert FollowUp.objects.get().worker == opportunity.lead_worker


def test_a_general_check_in_needs_a_named_worker_for_a_chat():
    someone = rep()
    with pytest.raises(FeedbackError, match="could not find an involvement worker"):
        check_in_create(person=someone, opportunity=None, how_it_went=3, felt_valued=3, wants_chat=True)
    assert not CheckIn.objects.exists()  # the whole check-in is rolled back, not half-saved


def test_one_check_in_per_activity_and_only_for_activities_taken_part_in(representative):
    opportunity = finished()
    with pytest.raises(FeedbackError, match="took part in"):
        check_in_create(person=representative, opportunity=opportunity, how_it_went=3, felt_valued=3)
    took_part(opportunity, representative)
    check_in_create(person=representative, opportunity=opportunity, how_it_went=3, felt_valued=3)
    with pytest.raises(FeedbackError, match="already checked in"):
        check_in_create(person=representative, opportunity=opportunity, how_it_went=3, felt_valued=3)


def test_closing_a_follow_up_records_what_was_done_and_when(representative, worker):
    opportunity = finished()
    took_part(opportunity, representative)
    check_in_create(
        person=representative, opportunity=opportunity, how_it_went=2, felt_valued=2, wants_chat=True
    )
    follow_up = FollowUp.objects.get()
    with pytest.raises(FeedbackError, match="Write what you did"):
        follow_up_close(follow_up=follow_up, by=worker, action_taken=" ")
    follow_up_close(follow_up=follow_up, by=worker, action_taken="Phoned, meeting on Friday.")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.CLOSED and follow_up.hours_to_close is not None
    with pytest.raises(FeedbackError, match="already closed"):
        follow_up_close(follow_up=follow_up, by=worker, action_taken="Again")


def test_check_in_invitations_go_once_to_attendees_who_have_not_checked_in(representative):
    opportunity = finished(days_ago=2)
    other, absent = rep(), rep()
    took_part(opportunity, representative)
    took_part(opportunity, other)
    took_part(opportunity, absent, State.NO_SHOW)
    check_in_create(person=other, opportunity=opportunity, how_it_went=5, felt_valued=5)
    assert check_in_invitations_send() == 1
    assert check_in_invitations_send() == 0
    assert Message.objects.get(kind=Kind.CHECK_IN_INVITATION).recipient == representative


# --- digests -----------------------------------------------------------------------------------


def test_the_period_is_the_week_from_monday_or_the_month():
    assert digest_period(frequency=DigestFrequency.WEEKLY, today=date(2026, 11, 26)) == (
        "2026-W48",
        date(2026, 11, 23),
    )
    assert digest_period(frequency=DigestFrequency.MONTHLY, today=date(2026, 11, 26)) == (
        "2026-11",
        date(2026, 11, 1),
    )


def digest_with_content(someone) -> Opportunity:
    """Something worth a digest: an outcome published this week for an activity they attended."""
    opportunity = finished()
    took_part(opportunity, someone)
    outcome = outcome_save(
        opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="New leaflet."
    )
    outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    return opportunity


def test_a_digest_is_built_once_per_period_however_often_the_job_runs():
    someone = rep()
    digest_with_content(someone)
    assert digests_build() == 1
    assert digests_build() == 0
    message = Message.objects.get(kind=Kind.DIGEST)
    assert message.recipient == someone and "New leaflet." in message.body_text


def test_an_empty_digest_is_never_sent():
    rep()
    assert digests_build() == 0
    assert not Message.objects.filter(kind=Kind.DIGEST).exists()


def test_a_break_pauses_digests_and_never_stops_them_for_good():
    someone = rep(taking_break=True)
    digest_with_content(someone)
    assert digests_build() == 0
    someone.profile.taking_break = False
    someone.profile.save()
    assert digests_build() == 1


def test_each_person_gets_the_frequency_they_chose():
    weekly, monthly, never = rep(), rep(digest_frequency="monthly"), rep(digest_frequency="never")
    for someone in (weekly, monthly, never):
        digest_with_content(someone)
    assert digests_build(frequency=DigestFrequency.WEEKLY) == 1
    assert digests_build(frequency=DigestFrequency.MONTHLY) == 1
    recipients = set(Message.objects.filter(kind=Kind.DIGEST).values_list("recipient_id", flat=True))
    assert recipients == {weekly.pk, monthly.pk}


def test_a_digest_lists_new_opportunities_matching_interests_and_upcoming_sessions():
    interview = ActivityTypeFactory(name="Interview panel")
    training = ActivityTypeFactory(name="Staff training")
    someone = rep()
    someone.profile.interests.set([interview])
    match = OpportunityFactory(
        activity_type=interview, title="Panel for Oak Ward", published_at=timezone.now()
    )
    OpportunityFactory(activity_type=training, title="Training not for them", published_at=timezone.now())
    booked = OpportunityFactory(
        activity_type=training,
        title="Already booked",
        sessions=[(timezone.now() + timedelta(days=3), timezone.now() + timedelta(days=3, hours=1))],
        signup_deadline=timezone.now() + timedelta(days=1),
    )
    SignUp.objects.create(opportunity=booked, person=someone, state=State.CONFIRMED)
    assert digests_build() == 1
    body = Message.objects.get(kind=Kind.DIGEST).body_text
    assert match.title in body and "Already booked" in body and "Training not for them" not in body


def test_digest_queries_grow_with_batches_not_people(django_assert_max_num_queries):
    people = [rep() for _ in range(12)]
    opportunity = finished(places=12)
    for someone in people:
        took_part(opportunity, someone)
    outcome = outcome_save(opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did="b")
    outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    Message.objects.all().delete()
    # 12 people in batches of 4 = 3 batches (+1 empty fetch); the same 12 in one batch would
    # need fewer: the count follows batches, never people.
    with django_assert_max_num_queries(1 + 4 * 7 + 3) as captured:
        assert digests_build(batch_size=4) == 12
    per_batch = len(captured.captured_queries)
    Message.objects.all().delete()
    with django_assert_max_num_queries(per_batch) as captured_one:
        assert digests_build(batch_size=100) == 12
    assert len(captured_one.captured_queries) < per_batch


# --- the worker's daily summary -----------------------------------------------------------------


def test_the_daily_summary_lists_what_is_waiting_and_is_not_sent_when_nothing_is(worker, representative):
    assert worker_summaries_send() == 0
    late = finished(days_ago=40, lead_worker=worker)
    took_part(late, representative)
    check_in_create(person=representative, opportunity=late, how_it_went=2, felt_valued=2, wants_chat=True)
    assert worker_summaries_send() == 1
    assert worker_summaries_send() == 0  # once a day
    body = Message.objects.get(kind=Kind.WORKER_SUMMARY).body_text
    assert late.title in body and "People waiting for a chat" in body
