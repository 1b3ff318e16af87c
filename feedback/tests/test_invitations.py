"""Invitations that widen reach (issue 13, item 10; F4): publishing an opportunity invites,
at once, people whose interests match, never or least involved first; never someone on a
break or at their own pace, once per opportunity, at most once a week each, and through
the outbox with their choices of channel."""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import Invitation
from feedback.services import invitation_candidates, invitations_send, invitations_send_recent
from notifications.kinds import Channel, Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.services import opportunity_publish
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels():
    return ActivityTypeFactory(name="Interview panels")


@pytest.fixture
def training():
    return ActivityTypeFactory(name="Staff training")


def rep(*interests, **profile):
    someone = person(roles=[Role.REPRESENTATIVE], **profile)
    someone.profile.interests.set(interests)
    return someone


def draft(activity_type, **fields) -> Opportunity:
    """A draft to publish, with time to publish it up to a fortnight later."""
    start = timezone.now() + timedelta(days=30)
    return OpportunityFactory(
        status=Opportunity.Status.DRAFT,
        activity_type=activity_type,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=start - timedelta(days=10),
        **fields,
    )


def publish(opportunity, captured) -> None:
    """Publish, then run what waits for the commit (the test's transaction never commits):
    the listener queues the task, which Celery runs at once in tests."""
    with captured(execute=True):
        opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)


def took_part(someone, *, days_ago: int, times: int = 1, hours_ago: int = 0) -> None:
    for _ in range(times):
        ended = timezone.now() - timedelta(days=days_ago, hours=hours_ago)
        activity = OpportunityFactory(
            status=Opportunity.Status.COMPLETED,
            sessions=[(ended - timedelta(hours=2), ended)],
            signup_deadline=ended - timedelta(days=3),
        )
        SignUp.objects.create(opportunity=activity, person=someone, state=SignUp.State.ATTENDED)


def invited(opportunity) -> set:
    return set(Invitation.objects.filter(opportunity=opportunity).values_list("person", flat=True))


def test_publishing_invites_people_whose_interests_match(
    panels, training, django_capture_on_commit_callbacks
):
    match = rep(panels, training)
    other = rep(training)
    nobody = rep()
    staff = person(roles=[Role.WORKER])
    staff.profile.interests.set([panels])
    opportunity = draft(panels, title="Choosing a ward manager")
    publish(opportunity, django_capture_on_commit_callbacks)
    assert invited(opportunity) == {match.pk}
    message = Message.objects.get(kind=Kind.INVITATION)
    assert message.recipient == match
    assert message.dedupe_key == f"invitation:{opportunity.pk}:{match.pk}"
    assert message.subject == "You are invited: Choosing a ward manager"
    assert f"/opportunities/{opportunity.pk}/" in message.body_text
    assert not Message.objects.filter(kind=Kind.INVITATION, recipient__in=[other, nobody, staff]).exists()


def test_first_timers_come_first_then_the_least_involved(panels, settings):
    settings.INVITATIONS_PER_OPPORTUNITY = 3
    busy = rep(panels)
    took_part(busy, days_ago=30, times=3)
    once = rep(panels)
    took_part(once, days_ago=30)
    long_ago = rep(panels)  # took part, but not in the last 12 months
    took_part(long_ago, days_ago=400)
    newcomer, another_newcomer = rep(panels), rep(panels)
    opportunity = OpportunityFactory(activity_type=panels)
    everyone = invitation_candidates(opportunity=opportunity, limit=10)
    assert everyone == [newcomer, another_newcomer, long_ago, once, busy]
    assert invitations_send(opportunity_id=opportunity.pk) == 3
    assert invited(opportunity) == {newcomer.pk, another_newcomer.pk, long_ago.pk}


def test_of_two_who_took_part_as_often_the_longer_ago_comes_first(panels):
    lately, earlier = rep(panels), rep(panels)
    took_part(lately, days_ago=10)
    took_part(earlier, days_ago=100)
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == [earlier, lately]


def test_never_someone_taking_a_break(panels, settings):
    # One place to invite: those on a break, first by age, must not take it and waste it.
    settings.INVITATIONS_PER_OPPORTUNITY = 1
    resting = rep(panels, taking_break=True)
    resting_till_later = rep(panels, taking_break=True, break_until=timezone.localdate() + timedelta(days=3))
    back = rep(panels, taking_break=True, break_until=timezone.localdate() - timedelta(days=1))
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitations_send(opportunity_id=opportunity.pk) == 1
    assert invited(opportunity) == {back.pk}
    assert not Message.objects.filter(recipient__in=[resting, resting_till_later]).exists()


def test_never_someone_at_their_own_pace(panels):
    opportunity = OpportunityFactory(activity_type=panels)
    same_month = opportunity.starts_at + timedelta(hours=3)
    full, room_left, other_month = (
        rep(panels, pace_per_month=1),
        rep(panels, pace_per_month=2),
        rep(panels, pace_per_month=1),
    )
    for someone, start in [
        (full, same_month),
        (room_left, same_month),
        (other_month, same_month + timedelta(days=40)),
    ]:
        elsewhere = OpportunityFactory(sessions=[(start, start + timedelta(hours=1))])
        SignUp.objects.create(opportunity=elsewhere, person=someone, state=SignUp.State.APPLIED)
    invitations_send(opportunity_id=opportunity.pk)
    assert invited(opportunity) == {room_left.pk, other_month.pk}


def test_not_someone_already_signed_up_or_without_an_email_address(panels):
    signed_up = rep(panels)
    opportunity = OpportunityFactory(activity_type=panels)
    SignUp.objects.create(opportunity=opportunity, person=signed_up, state=SignUp.State.APPLIED)
    by_phone = rep(panels)
    by_phone.email = None
    by_phone.save()
    assert invitations_send(opportunity_id=opportunity.pk) == 0


def test_once_per_opportunity_however_often_it_runs(panels, django_capture_on_commit_callbacks):
    someone = rep(panels)
    opportunity = draft(panels)
    publish(opportunity, django_capture_on_commit_callbacks)
    assert invitations_send(opportunity_id=opportunity.pk) == 0
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert invitations_send(opportunity_id=opportunity.pk) == 0
    assert Invitation.objects.get().person == someone
    assert Message.objects.filter(kind=Kind.INVITATION).count() == 1


def test_at_most_one_invitation_a_week(panels, django_capture_on_commit_callbacks):
    someone = rep(panels)
    first, second, third = draft(panels), draft(panels), draft(panels)
    publish(first, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        publish(second, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        publish(third, django_capture_on_commit_callbacks)
    assert (invited(first), invited(second), invited(third)) == ({someone.pk}, set(), {someone.pk})


def test_the_number_invited_to_one_opportunity_is_capped_across_runs(panels, settings):
    settings.INVITATIONS_PER_OPPORTUNITY = 2
    for _ in range(3):
        rep(panels)
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitations_send(opportunity_id=opportunity.pk) == 2
    assert invitations_send(opportunity_id=opportunity.pk) == 0
    assert Invitation.objects.count() == 2


def test_only_a_published_opportunity_still_taking_sign_ups(panels):
    rep(panels)
    closed = OpportunityFactory(activity_type=panels, status=Opportunity.Status.CLOSED)
    still_draft = draft(panels)
    past_deadline = OpportunityFactory(activity_type=panels)
    Opportunity.objects.filter(pk=past_deadline.pk).update(
        signup_deadline=timezone.now() - timedelta(minutes=1)
    )
    for opportunity in (closed, still_draft, past_deadline):
        assert invitations_send(opportunity_id=opportunity.pk) == 0
    assert invitations_send(opportunity_id=999_999) == 0


def test_their_choice_of_channel_is_kept(panels, settings):
    settings.TEXT_MESSAGES_ENABLED = True
    muted = rep(panels, email_muted_kinds=[Kind.INVITATION])
    texted = rep(panels, mobile_number="+447700900123", text_kinds=[Kind.INVITATION])
    opportunity = OpportunityFactory(activity_type=panels)
    invitations_send(opportunity_id=opportunity.pk)
    assert Message.objects.get(recipient=muted).status == Message.Status.INBOX_ONLY
    text = Message.objects.get(recipient=texted, channel=Channel.TEXT)
    assert text.to_phone == "+447700900123" and text.body_text.startswith(
        "Involvement Hub: you are invited to"
    )


def test_the_periodic_job_invites_for_a_publish_whose_task_was_lost(
    panels, django_capture_on_commit_callbacks
):
    someone = rep(panels)
    opportunity = draft(panels)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)
    assert len(callbacks) == 1 and not Invitation.objects.exists()  # queued after commit only
    assert invitations_send_recent() == 1
    assert invited(opportunity) == {someone.pk}
    # Published more than a day ago: left alone.
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        rep(panels)
        assert invitations_send_recent() == 0


@pytest.mark.parametrize("people", [3, 12])
def test_who_to_invite_is_one_query_however_many_match(panels, people, django_assert_num_queries):
    for number in range(people):
        someone = rep(panels, pace_per_month=3)
        if number % 2:
            took_part(someone, days_ago=20 + number)
    opportunity = OpportunityFactory(activity_type=panels)
    with django_assert_num_queries(1):
        found = invitation_candidates(opportunity=opportunity, limit=50)
        assert [someone.profile.display_name for someone in found]  # profiles came with them
    assert len(found) == people


def test_the_periodic_job_is_scheduled(settings):
    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["feedback.tasks.send_recent_invitations"] == 30 * 60.0


def test_with_the_broker_down_the_publish_stands_and_the_log_says_which_opportunity_waits(
    panels, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from feedback.tasks import send_opportunity_invitations

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis://localhost:6379 refused")

    monkeypatch.setattr(send_opportunity_invitations, "delay", broker_down)
    match = rep(panels)
    opportunity = draft(panels)
    with caplog.at_level(logging.WARNING, logger="feedback.services.invitations"):
        publish(opportunity, django_capture_on_commit_callbacks)
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    assert caplog.messages == [
        f"Could not queue invitations to opportunity {opportunity.pk} (ConnectionRefusedError); "
        "the periodic job will send them."
    ]
    assert invited(opportunity) == set()
    assert invitations_send_recent() == 1  # the periodic job's next run
    assert invited(opportunity) == {match.pk}


# Written for mutmut's survivors in feedback/services/invitations.py: the rules at their edges.

LONDON = ZoneInfo("Europe/London")


def signed_up(someone, *, starts_at, state=SignUp.State.APPLIED) -> None:
    """A sign-up of theirs, in `state`, to another activity starting at `starts_at`."""
    elsewhere = OpportunityFactory(sessions=[(starts_at, starts_at + timedelta(hours=1))])
    SignUp.objects.create(opportunity=elsewhere, person=someone, state=state)


def test_the_pace_counts_the_month_of_the_opportunity_in_london_from_its_first_moment_to_its_last(panels):
    # Mid-June, in British Summer Time, at a moment with hours, minutes, seconds and a fraction.
    starts = datetime(2027, 6, 20, 14, 45, 30, 500_000, tzinfo=LONDON)
    opportunity = OpportunityFactory(activity_type=panels, sessions=[(starts, starts + timedelta(hours=2))])
    first_moment, last_moment, month_before, month_after = (rep(panels, pace_per_month=1) for _ in range(4))
    signed_up(first_moment, starts_at=datetime(2027, 6, 1, 0, 0, tzinfo=LONDON))  # 23:00 UTC on 31 May
    signed_up(last_moment, starts_at=datetime(2027, 6, 30, 23, 59, 59, 999_999, tzinfo=LONDON))
    signed_up(month_before, starts_at=datetime(2027, 5, 31, 23, 59, 59, 999_999, tzinfo=LONDON))
    signed_up(month_after, starts_at=datetime(2027, 7, 1, 0, 0, tzinfo=LONDON))
    assert invitation_candidates(opportunity=opportunity, limit=10) == [month_before, month_after]


def test_only_a_place_held_or_asked_for_counts_toward_the_pace(panels):
    opportunity = OpportunityFactory(activity_type=panels)
    same_month = opportunity.starts_at + timedelta(hours=3)
    by_state = {}
    for state in SignUp.State:
        by_state[state] = rep(panels, pace_per_month=1)
        signed_up(by_state[state], starts_at=same_month, state=state)
    free = [
        by_state[state]
        for state in SignUp.State
        if state
        not in {SignUp.State.APPLIED, SignUp.State.OFFERED, SignUp.State.CONFIRMED, SignUp.State.ATTENDED}
    ]
    assert len(free) == 6  # waiting, not selected, declined, withdrawn, cancelled, did not attend
    assert invitation_candidates(opportunity=opportunity, limit=20) == free


def test_someone_who_signed_up_but_never_attended_is_still_a_first_timer(panels):
    long_ago = rep(panels)
    took_part(long_ago, days_ago=400)
    never_came = rep(panels)
    ended = timezone.now() - timedelta(days=30)
    for state in (SignUp.State.NO_SHOW, SignUp.State.WITHDRAWN):
        signed_up(never_came, starts_at=ended - timedelta(hours=1), state=state)
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == [never_came, long_ago]


def test_activities_that_ended_just_over_365_days_ago_count_as_none_in_the_last_year(panels):
    once_lately = rep(panels)
    took_part(once_lately, days_ago=100)
    twice_just_over_a_year_ago = rep(panels)
    took_part(twice_just_over_a_year_ago, days_ago=365, hours_ago=12, times=2)
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == [
        twice_just_over_a_year_ago,
        once_lately,
    ]


def test_an_invitation_elsewhere_within_the_gap_holds_one_back_and_to_this_opportunity_for_good(
    panels, settings
):
    settings.INVITATION_GAP_DAYS = 7
    opportunity, elsewhere = (
        OpportunityFactory(activity_type=panels),
        OpportunityFactory(activity_type=panels),
    )
    now = timezone.now()
    elsewhere_6_days_ago, here_8_days_ago, elsewhere_8_days_ago = rep(panels), rep(panels), rep(panels)
    for someone, to, days in [
        (elsewhere_6_days_ago, elsewhere, 6),
        (here_8_days_ago, opportunity, 8),
        (elsewhere_8_days_ago, elsewhere, 8),
    ]:
        Invitation.objects.create(person=someone, opportunity=to, sent_at=now - timedelta(days=days))
    assert invitation_candidates(opportunity=opportunity, limit=10) == [elsewhere_8_days_ago]


def test_people_alike_are_invited_in_the_order_their_accounts_were_made(panels, settings):
    settings.INVITATIONS_PER_OPPORTUNITY = 3
    people = [rep(panels) for _ in range(8)]
    # Touch them newest first, so that the database holds their rows in the reverse order.
    for someone in reversed(people):
        User.objects.filter(pk=someone.pk).update(first_name="Touched")
        someone.profile.save()
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == people
    assert invitations_send(opportunity_id=opportunity.pk) == 3
    assert invited(opportunity) == {someone.pk for someone in people[:3]}


def test_nobody_whose_account_is_closed_is_invited(panels):
    closed, open_ = rep(panels), rep(panels)
    User.objects.filter(pk=closed.pk).update(is_active=False)
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitations_send(opportunity_id=opportunity.pk) == 1
    assert invited(opportunity) == {open_.pk}


def test_an_empty_email_address_is_no_email_address_and_takes_no_place_to_invite(panels, settings):
    settings.INVITATIONS_PER_OPPORTUNITY = 1
    empty, with_email = rep(panels), rep(panels)
    User.objects.filter(pk=empty.pk).update(email="")
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == [with_email]
    assert invitations_send(opportunity_id=opportunity.pk) == 1
    assert invited(opportunity) == {with_email.pk}
    assert not Message.objects.filter(recipient=empty).exists()


def test_someone_elses_sign_up_does_not_stop_your_invitation(panels):
    opportunity = OpportunityFactory(activity_type=panels)
    already, other = rep(panels), rep(panels)
    SignUp.objects.create(opportunity=opportunity, person=already, state=SignUp.State.APPLIED)
    assert invitations_send(opportunity_id=opportunity.pk) == 1
    assert invited(opportunity) == {other.pk}


def test_a_break_is_judged_on_the_day_of_the_moment_asked_about(panels):
    back_in_three_days = rep(panels, taking_break=True, break_until=timezone.localdate() + timedelta(days=3))
    opportunity = OpportunityFactory(activity_type=panels)
    assert invitation_candidates(opportunity=opportunity, limit=10) == []
    later = timezone.now() + timedelta(days=5)
    assert invitation_candidates(opportunity=opportunity, limit=10, now=later) == [back_in_three_days]


def test_one_invitation_the_database_refuses_is_logged_by_person_and_opportunity_and_the_others_go(
    panels, caplog
):
    refused, fine = rep(panels), rep(panels)
    opportunity = OpportunityFactory(activity_type=panels)
    # A fault nobody foresaw, in the database itself: this one person's invitation is refused
    # (the trigger goes with the test's transaction).
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_one_invitation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.person_id = {refused.pk} THEN RAISE EXCEPTION 'refused {refused.email}'; END IF; "
            "RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_one_invitation BEFORE INSERT ON feedback_invitation "
            "FOR EACH ROW EXECUTE FUNCTION refuse_one_invitation()"
        )
    with caplog.at_level(logging.ERROR, logger="involvement.jobs"):
        assert invitations_send(opportunity_id=opportunity.pk) == 1
    assert invited(opportunity) == {fine.pk}
    assert not Message.objects.filter(recipient=refused).exists()  # rolled back with it
    assert caplog.messages == [
        f"invitations: item person {refused.pk} to opportunity {opportunity.pk} failed (InternalError); "
        "the others go on."
    ]
