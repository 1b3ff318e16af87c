"""The dashboard's figures at their edges: where a bound falls, what an empty period or month
shows, the order of the breakdown, rounding, and a scope with only a team.

test_metrics.py and test_metrics_traps.py work whole data sets by hand; `make mutation`
showed a few changes neither could tell apart (a bound a day off, a count without its filter,
None where a manager reads 0). Each test here is built so that such a change gives a
different figure. docs/metrics.md has the definitions."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import InvolvementLevel
from dashboard.metrics import Scope, activity, feedback_loop, monthly_trend, reach, valued
from feedback.models import CheckIn, FollowUp, Outcome
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERIOD = Scope(start=date(2026, 1, 1), end=date(2026, 6, 30))
PERIOD_END = datetime(2026, 7, 1, tzinfo=LONDON)  # the first moment after the period


def held(*, start: datetime, status=Opportunity.Status.COMPLETED, **fields) -> Opportunity:
    return OpportunityFactory(
        status=status,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=start - timedelta(days=3),
        **fields,
    )


def representative_since_2025() -> User:
    someone = person(roles=[Role.REPRESENTATIVE])
    User.objects.filter(pk=someone.pk).update(date_joined=datetime(2025, 1, 1, tzinfo=LONDON))
    return someone


def test_involved_counts_activities_ending_in_the_183_days_before_the_periods_end():
    inside, outside = representative_since_2025(), representative_since_2025()
    # Ends 182 days and 22 hours before the end: inside. 183 days and 12 hours: outside.
    for someone, before_end in [
        (inside, timedelta(days=182, hours=22)),
        (outside, timedelta(days=183, hours=12)),
    ]:
        opportunity = held(start=PERIOD_END - before_end - timedelta(hours=2))
        SignUp.objects.create(opportunity=opportunity, person=someone, state=SignUp.State.ATTENDED)
    figures = reach(PERIOD)
    assert (figures["active"], figures["involved"]) == (2, 1)
    assert figures["involved_share"] == 50.0


def test_a_period_with_nothing_in_it_offers_and_fills_no_places():
    figures = activity(Scope(start=date(2020, 1, 1), end=date(2020, 3, 31)))
    assert (figures["places_offered"], figures["places_taken"]) == (0, 0)
    assert figures["fill_rate"] is None


def test_the_breakdown_is_in_order_of_activity_type_then_up_the_ladder():
    start = datetime(2026, 2, 2, 10, tzinfo=LONDON)
    panels, audits = ActivityTypeFactory(name="Panels"), ActivityTypeFactory(name="Audits")
    # Made out of order, and with levels whose spelling sorts otherwise ("co-producing" before
    # "consulting" before "informing"): only type, then the ladder, puts them in this order.
    for level in (InvolvementLevel.CO_PRODUCING, InvolvementLevel.INFORMING, InvolvementLevel.CONSULTING):
        held(start=start, activity_type=panels, involvement_level=level)
    held(start=start, activity_type=audits, involvement_level=InvolvementLevel.ENGAGING)
    rows = [(row["type"], row["level"]) for row in activity(PERIOD)["by_type"]]
    assert rows == [
        ("Audits", "Engaging"),
        ("Panels", "Informing"),
        ("Panels", "Consulting"),
        ("Panels", "Co-producing"),
    ]


def test_an_outcome_is_overdue_only_once_the_due_days_have_passed(settings):
    settings.OUTCOME_DUE_DAYS = 28
    now = timezone.now()
    scope = Scope(start=(now - timedelta(days=60)).date(), end=now.date())
    held(start=now - timedelta(days=40))  # due 12 days ago: overdue
    held(start=now - timedelta(days=10))  # due in 18 days: not yet
    assert feedback_loop(scope)["overdue"] == 1


def test_the_median_days_to_an_outcome_is_shown_to_one_decimal_place():
    opportunity = held(start=datetime(2026, 3, 2, 10, tzinfo=LONDON))
    Outcome.objects.create(
        opportunity=opportunity,
        you_said="a",
        we_did="b",
        status=Outcome.Status.PUBLISHED,
        published_at=opportunity.ends_at + timedelta(days=3, hours=4),  # 3.1666... days
    )
    assert feedback_loop(PERIOD)["median_days_to_outcome"] == 3.2


def check_ins(someone, *, team, count: int, chats: int = 0, hours_to_close: float = 1) -> None:
    opportunity = held(start=datetime(2026, 3, 2, 10, tzinfo=LONDON), team=team)
    worker = person(roles=[Role.WORKER])
    # Only the first is about an activity (in `team`); the rest are general check-ins, which
    # belong to no team.
    for index in range(count):
        check_in = CheckIn.objects.create(
            person=someone,
            opportunity=opportunity if index == 0 else None,
            how_it_went=4,
            felt_valued=4,
            wants_chat=index < chats,
            created_at=datetime(2026, 3, 3 + index, 10, tzinfo=LONDON),
        )
        if index < chats:
            FollowUp.objects.create(
                check_in=check_in,
                person=someone,
                worker=worker,
                status=FollowUp.Status.CLOSED,
                requested_at=check_in.created_at,
                closed_at=check_in.created_at + timedelta(hours=hours_to_close),
            )


def test_check_ins_for_a_team_alone_leave_out_other_teams_and_general_ones():
    ours, theirs = TeamFactory(name="Ours"), TeamFactory(name="Theirs")
    check_ins(person(roles=[Role.REPRESENTATIVE]), team=theirs, count=6)
    figures = valued(Scope(start=PERIOD.start, end=PERIOD.end, team_id=ours.pk))
    assert figures["check_ins"] == 0 and figures["enough"] is False


def test_follow_ups_count_the_check_ins_that_asked_for_a_chat_and_their_hours_to_one_decimal():
    # Seven check-ins, five asking for a chat, each closed after 200 hours.
    check_ins(person(roles=[Role.REPRESENTATIVE]), team=TeamFactory(), count=7, chats=5, hours_to_close=200)
    figures = valued(PERIOD)
    assert (figures["check_ins"], figures["follow_ups"]) == (7, 5)
    assert figures["median_hours_to_follow_up"] == 200.0


def test_a_month_with_nobody_taking_part_shows_nobody_not_a_blank():
    rows = monthly_trend(Scope(start=date(2020, 1, 1), end=date(2020, 2, 29)))
    assert [(row["places"], row["people"], row["outcomes"]) for row in rows] == [(0, 0, 0), (0, 0, 0)]


def test_a_period_in_which_nobody_took_part_shows_none_involved_as_0_percent():
    representative_since_2025()
    representative_since_2025()
    figures = reach(PERIOD)
    assert (figures["active"], figures["involved"], figures["involved_share"]) == (2, 0, 0.0)


def test_the_mean_of_how_it_went_is_shown_to_two_decimal_places():
    # 19 over 6 is 3.1666...: 3.17.
    for score in (1, 2, 3, 4, 4, 5):
        CheckIn.objects.create(
            person=person(roles=[Role.REPRESENTATIVE]),
            how_it_went=score,
            felt_valued=4,
            created_at=datetime(2026, 3, 3, 10, tzinfo=LONDON),
        )
    figures = valued(PERIOD)
    assert (figures["mean_how_it_went"], figures["mean_felt_valued"]) == (3.17, 4)


def test_the_median_hours_to_a_follow_up_is_shown_to_one_decimal_place():
    # Five chats closed after 1, 2, 2h20m, 3 and 4 hours: the median, 2.333..., shows as 2.3.
    worker = person(roles=[Role.WORKER])
    for minutes in (60, 120, 140, 180, 240):
        someone = person(roles=[Role.REPRESENTATIVE])
        asked = datetime(2026, 3, 3, 10, tzinfo=LONDON)
        check_in = CheckIn.objects.create(
            person=someone, how_it_went=3, felt_valued=3, wants_chat=True, created_at=asked
        )
        FollowUp.objects.create(
            check_in=check_in,
            person=someone,
            worker=worker,
            status=FollowUp.Status.CLOSED,
            requested_at=asked,
            closed_at=asked + timedelta(minutes=minutes),
        )
    assert valued(PERIOD)["median_hours_to_follow_up"] == 2.3


def test_the_previous_period_keeps_the_team_and_type_chosen():
    ours, kind = TeamFactory(name="Ours"), ActivityTypeFactory(name="Panels")
    scope = Scope(start=date(2026, 4, 1), end=date(2026, 6, 30), team_id=ours.pk, activity_type_id=kind.pk)
    before = scope.previous()
    assert (before.start, before.end, before.team_id, before.activity_type_id) == (
        date(2025, 12, 31),
        date(2026, 3, 31),
        ours.pk,
        kind.pk,
    )
    # Three activities in the previous period, one of them the team's and type's: the
    # comparison counts that one.
    held(start=datetime(2026, 2, 2, 10, tzinfo=LONDON), team=ours, activity_type=kind)
    held(start=datetime(2026, 2, 3, 10, tzinfo=LONDON), activity_type=kind)
    held(start=datetime(2026, 2, 4, 10, tzinfo=LONDON), team=ours)
    assert activity(before)["opportunities"] == 1
