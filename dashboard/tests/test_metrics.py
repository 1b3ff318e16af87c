"""Each figure against a small data set worked out by hand (docs/metrics.md)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from dashboard.metrics import Scope, activity, feedback_loop, monthly_trend, reach, valued
from feedback.models import CheckIn, FollowUp, Outcome
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERIOD = Scope(start=date(2026, 1, 1), end=date(2026, 6, 30))


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def opportunity(
    *, start: datetime, places: int, status: str, team, activity_type, taken: int = 0
) -> Opportunity:
    opp = OpportunityFactory(
        status=status,
        places=places,
        team=team,
        activity_type=activity_type,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=start - timedelta(days=3),
    )
    Opportunity.objects.filter(pk=opp.pk).update(places_taken=taken)
    return Opportunity.objects.get(pk=opp.pk)


@pytest.fixture
def world():
    """Four active representatives A, B, C, D and one inactive; places in the period:
    A 2, B 1, C 1 (did not attend), D 0."""
    people = {}
    for name in "ABCD":
        people[name] = person(roles=[Role.REPRESENTATIVE], display_name=name)
    people["E"] = person(roles=[Role.REPRESENTATIVE], display_name="E")
    User.objects.filter(pk=people["E"].pk).update(is_active=False)
    User.objects.all().update(date_joined=at(1, 1, year=2025))
    t1, t2 = TeamFactory(name="T1"), TeamFactory(name="T2")
    x, y = ActivityTypeFactory(name="X"), ActivityTypeFactory(name="Y")
    o0 = opportunity(start=at(10, 1, year=2025), places=2, status="completed", team=t1, activity_type=x)
    o1 = opportunity(start=at(3, 2), places=4, status="completed", team=t1, activity_type=x, taken=3)
    o2 = opportunity(start=at(4, 6), places=2, status="completed", team=t1, activity_type=y, taken=1)
    o3 = opportunity(start=at(5, 4), places=3, status="cancelled", team=t2, activity_type=x)
    o4 = opportunity(start=at(5, 11), places=2, status="completed", team=t2, activity_type=y)
    for opp, name, state in [
        (o0, "B", "attended"),  # B's first activity was before the period
        (o1, "A", "attended"),
        (o1, "B", "attended"),
        (o1, "C", "no_show"),
        (o2, "A", "attended"),
        (o3, "D", "cancelled"),
    ]:
        SignUp.objects.create(opportunity=opp, person=people[name], state=state)
    # Outcomes: o1 published 10 days after its end, o2 after 3 days; o4 has none (overdue).
    Outcome.objects.create(
        opportunity=o1,
        you_said="a",
        we_did="b",
        status="published",
        published_at=o1.ends_at + timedelta(days=10),
    )
    Outcome.objects.create(
        opportunity=o2,
        you_said="a",
        we_did="b",
        status="published",
        published_at=o2.ends_at + timedelta(days=3),
    )
    return {"people": people, "teams": (t1, t2), "types": (x, y), "opps": (o0, o1, o2, o3, o4)}


def test_reach_worked_by_hand(world):
    figures = reach(PERIOD)
    assert figures["active"] == 4  # E is inactive
    assert figures["involved"] == 2 and figures["involved_share"] == 50.0  # A and B attended
    assert figures["first_timers"] == 1  # A; B first took part in 2025
    assert figures["places"] == 4
    assert figures["top_decile_share"] == 50.0  # ceil(10% of 4) = 1 person, A, with 2 of 4 places
    # Places [0, 1, 1, 2]: G = 2 * (1*0 + 2*1 + 3*1 + 4*2) / (4 * 4) - 5/4 = 0.375
    assert figures["gini"] == 0.375


def test_reach_for_one_team(world):
    t1, _ = world["teams"]
    figures = reach(Scope(start=PERIOD.start, end=PERIOD.end, team_id=t1.pk))
    assert figures["places"] == 4 and figures["gini"] == 0.375


def test_perfect_equality_has_a_gini_of_zero():
    t, x = TeamFactory(), ActivityTypeFactory()
    a, b = person(roles=[Role.REPRESENTATIVE]), person(roles=[Role.REPRESENTATIVE])
    User.objects.all().update(date_joined=at(1, 1, year=2025))
    opp = opportunity(start=at(2, 2), places=2, status="completed", team=t, activity_type=x)
    for someone in (a, b):
        SignUp.objects.create(opportunity=opp, person=someone, state="attended")
    assert reach(PERIOD)["gini"] == 0.0


def test_activity_worked_by_hand(world):
    figures = activity(PERIOD)
    assert figures["opportunities"] == 4  # o1-o4; o0 is before the period
    assert figures["cancelled"] == 1
    assert (figures["places_offered"], figures["places_taken"]) == (8, 4)  # o1+o2+o4 places; o3 cancelled
    assert figures["fill_rate"] == 50.0
    assert figures["no_show_rate"] == 25.0  # 1 of A, A, B, C
    counts = {(row["type"], row["level"]): row["count"] for row in figures["by_type"]}
    # Opportunities are not people: no small-number rule (o1 and o3 are X, o2 and o4 Y).
    assert counts == {("X", "Consulting"): 2, ("Y", "Consulting"): 2}


def test_feedback_loop_worked_by_hand_with_an_even_median(world):
    figures = feedback_loop(PERIOD)
    assert (figures["completed"], figures["with_outcome"]) == (3, 2)
    assert figures["outcome_share"] == 66.7
    assert figures["median_days_to_outcome"] == 6.5  # the median of 10 and 3
    assert figures["overdue"] == 1  # o4
    # Fed back within 28 days: o1 (10 days) and o2 (3 days) of the three due (o4's day is gone).
    assert figures["on_time_share"] == 66.7


def make_check_ins(person_, valued_scores, went_scores, chats=(), closed_hours=()):
    made = []
    for index, (v, w) in enumerate(zip(valued_scores, went_scores, strict=True)):
        made.append(
            CheckIn.objects.create(
                person=person_,
                how_it_went=w,
                felt_valued=v,
                wants_chat=index in chats,
                created_at=at(3, 1 + index),
            )
        )
    worker = person(roles=[Role.WORKER])
    for check_in, hours in zip([made[i] for i in chats], closed_hours, strict=False):
        FollowUp.objects.create(
            check_in=check_in,
            person=person_,
            worker=worker,
            status="closed",
            requested_at=check_in.created_at,
            closed_at=check_in.created_at + timedelta(hours=hours),
        )
    return made


def test_feeling_valued_worked_by_hand():
    someone = person(roles=[Role.REPRESENTATIVE])
    make_check_ins(
        someone, [5, 4, 4, 3, 2, 5], [4] * 6, chats=(0, 1, 2, 3, 4, 5), closed_hours=(2, 6, 1, 3, 10, 4)
    )
    figures = valued(PERIOD)
    assert figures["check_ins"] == 6
    assert figures["mean_felt_valued"] == 3.83  # 23 / 6
    assert figures["mean_how_it_went"] == 4.0
    assert figures["follow_ups"] == 6
    assert figures["median_hours_to_follow_up"] == 3.5  # median of 1, 2, 3, 4, 6, 10


def test_fewer_than_five_check_ins_hide_counts_and_means():
    someone = person(roles=[Role.REPRESENTATIVE])
    make_check_ins(someone, [5, 1, 3], [5, 1, 3], chats=(0,), closed_hours=(2,))
    figures = valued(PERIOD)
    assert figures["check_ins"] == "fewer than 5"
    assert figures["follow_ups"] == "fewer than 5"
    assert figures["mean_felt_valued"] is None and figures["mean_how_it_went"] is None
    assert figures["median_hours_to_follow_up"] is None


def test_an_empty_period_gives_no_figures_not_errors(world):
    empty = Scope(start=date(2020, 1, 1), end=date(2020, 3, 31))
    assert reach(empty)["places"] == 0 and reach(empty)["gini"] is None
    assert reach(empty)["top_decile_share"] is None
    assert activity(empty)["fill_rate"] is None and activity(empty)["by_type"] == []
    assert feedback_loop(empty)["median_days_to_outcome"] is None
    assert valued(empty)["check_ins"] == 0 and valued(empty)["mean_felt_valued"] is None
    assert [row["places"] for row in monthly_trend(empty)] == [0, 0, 0]


def test_the_monthly_trend_worked_by_hand(world):
    rows = {row["month"].month: row for row in monthly_trend(PERIOD)}
    assert len(rows) == 6
    assert rows[3]["places"] == 3 and rows[4]["places"] == 1 and rows[1]["places"] == 0
    assert rows[3]["people"] == "fewer than 5"  # 2 people attended in March
    assert rows[3]["outcomes"] == 1  # o1's outcome, published in March
    assert rows[4]["outcomes"] == 1
