"""A second hand-worked data set, built so that plausible wrong code gives a different answer.

test_metrics.py checks each figure on a small, even data set. This one is full of traps: rows
in another team and another type that the filters must drop, a draft, a cancelled activity,
people who joined after the period, an inactive person with a place, earlier attendance in
another team, sign-ups that hold no place (withdrawn, waitlisted, cancelled), rows at the very
first and last moment of the period in Europe/London (which is BST then, so UTC midnight is an
hour off), an odd number of values whose median and mean differ, exactly 5 check-ins, and
trend months with 5 or more people so the small-number rule cannot hide a wrong count.

Every expected number is worked out by hand in the comments (docs/metrics.md has the
definitions). The period is April to June 2025, team T, activity type X.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from dashboard.metrics import PLACE_STATES, Scope, activity, feedback_loop, monthly_trend, reach, valued
from feedback.models import CheckIn, FollowUp, Outcome
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# The first and the first moment after the period, in London. Both are in BST (UTC+1), so a
# row at London midnight is at 23:00 UTC the day before: code that cut the period at UTC
# midnight would put the first row outside and the row after the period inside.
PERIOD_START = at(2025, 4, 1, 0, 0)
AFTER_PERIOD = at(2025, 7, 1, 0, 0)


@pytest.fixture
def traps():
    t, u = TeamFactory(name="T"), TeamFactory(name="U")
    x, y = ActivityTypeFactory(name="X"), ActivityTypeFactory(name="Y")
    scope = Scope(start=date(2025, 4, 1), end=date(2025, 6, 30), team_id=t.pk, activity_type_id=x.pk)

    # Representatives. Eleven are active at the end of the period: A to H, J, M and N.
    people = {name: person(roles=[Role.REPRESENTATIVE], display_name=name) for name in "ABCDEFGHIJKLMN"}
    worker = person(roles=[Role.WORKER])  # closes the follow-ups; every lead worker is another
    joined = {
        "J": at(2025, 6, 30, 23, 30),  # the last evening of the period: active
        "K": AFTER_PERIOD,  # the first moment after it: not active (date_joined < end)
        "L": at(2025, 8, 1),  # a month after it: not active
    }
    User.objects.filter(pk=people["I"].pk).update(is_active=False)  # takes part, must not count

    def opportunity(start, *, team=t, kind=x, places, status="completed", level="consulting", end=None):
        sessions = [(start, start + timedelta(hours=2))]
        if end is not None:  # a second session, after the period
            sessions.append((end - timedelta(hours=2), end))
        return OpportunityFactory(
            status=status,
            places=places,
            team=team,
            activity_type=kind,
            involvement_level=level,
            sessions=sessions,
            signup_deadline=start - timedelta(days=3),
        )

    def sign_up(opp, states: dict[str, str]) -> Opportunity:
        for name, state in states.items():
            SignUp.objects.create(opportunity=opp, person=people[name], state=state)
        # Keep the stored counter true to the rows, as the services do (fill rate reads it).
        taken = sum(state in PLACE_STATES for state in states.values())
        Opportunity.objects.filter(pk=opp.pk).update(places_taken=taken)
        return Opportunity.objects.get(pk=opp.pk)

    opps = {}
    # --- In scope: team T, type X, first session in the period ---------------------------------
    # o1 at the period's very first moment: an online event that starts at midnight.
    opps["o1"] = sign_up(
        opportunity(PERIOD_START, places=8),
        {**{n: "attended" for n in "ABCDEF"}, "G": "no_show"},
    )  # taken 7
    opps["o2"] = sign_up(
        opportunity(at(2025, 4, 15), places=4), {"A": "attended", "H": "attended", "B": "withdrawn"}
    )  # taken 2
    opps["o3"] = sign_up(
        opportunity(at(2025, 5, 6), places=6),
        {**{n: "attended" for n in "ABCDE"}, "I": "no_show", "G": "waitlisted"},
    )  # taken 6 (I is inactive)
    # o4 on the period's last day, in the evening.
    opps["o4"] = sign_up(
        opportunity(at(2025, 6, 30, 18), places=3), {"A": "attended", "F": "attended", "M": "no_show"}
    )
    opps["o5"] = sign_up(
        opportunity(at(2025, 6, 10), places=4, status="cancelled", level="engaging"), {"C": "cancelled"}
    )
    opps["o6"] = opportunity(at(2025, 6, 20), places=6, status="draft")  # a draft: in no figure
    opps["o7"] = sign_up(
        opportunity(at(2025, 5, 28), places=2, status="closed", level="engaging"),
        {"G": "confirmed", "M": "confirmed"},
    )
    # o8 starts in the period (places, trend) and ends after it (not involvement, not first-timers).
    opps["o8"] = sign_up(opportunity(at(2025, 6, 25), places=2, end=at(2025, 7, 2, 12)), {"N": "attended"})
    # --- Out of scope --------------------------------------------------------------------------
    opps["u1"] = sign_up(  # another team
        opportunity(at(2025, 5, 12), team=u, places=10), {n: "attended" for n in "AGHMN"}
    )
    opps["y1"] = sign_up(  # another type
        opportunity(at(2025, 4, 22), kind=y, places=4), {"G": "attended", "M": "attended"}
    )
    opps["p0"] = sign_up(  # before the period, another team and type: B is not a first-timer
        opportunity(at(2025, 2, 10), team=u, kind=y, places=2), {"B": "attended"}
    )
    opps["p1"] = sign_up(  # before the period, within 6 months of its end: G is involved (I is not active)
        opportunity(at(2025, 1, 15), places=3), {"G": "attended", "C": "no_show", "I": "attended"}
    )
    opps["p2"] = sign_up(  # more than 183 days before the period's end: M is not involved
        opportunity(at(2024, 12, 1), places=2), {"M": "attended"}
    )
    opps["p3"] = sign_up(  # the evening before the period: E is not a first-timer
        opportunity(at(2025, 3, 31, 18), places=2), {"E": "attended"}
    )
    opps["a1"] = sign_up(opportunity(at(2025, 7, 1), places=2), {"N": "attended"})  # after the period

    # Every account so far (the workers too, who are active but not representatives) joined
    # long before the period; then J, K and L join late.
    User.objects.update(date_joined=at(2024, 1, 1))
    for name, when in joined.items():
        User.objects.filter(pk=people[name].pk).update(date_joined=when)

    # Outcomes. Days from the last session to publication: o1 2, o3 3, o2 15.52 (published at
    # 00:30 on 1 May, London: 23:30 on 30 April in UTC). o4 has a draft outcome, o8 none.
    def publish(opp, when, status="published"):
        Outcome.objects.create(opportunity=opp, you_said="a", we_did="b", status=status, published_at=when)

    publish(opps["o1"], opps["o1"].ends_at + timedelta(days=2))
    publish(opps["o2"], at(2025, 5, 1, 0, 30))
    publish(opps["o3"], opps["o3"].ends_at + timedelta(days=3))
    Outcome.objects.create(opportunity=opps["o4"], you_said="a", we_did="b", status="draft")
    publish(opps["u1"], opps["u1"].ends_at + timedelta(days=40))
    publish(opps["y1"], opps["y1"].ends_at + timedelta(days=1))

    # Check-ins: (person, opportunity, created, felt valued, how it went, hours to close the
    # follow-up or None for an open one). Each asks for a chat.
    rows = [
        # In scope: exactly five.
        ("E", "p3", PERIOD_START, 5, 4, 1),  # the first moment of the period, about last evening
        ("A", "o1", at(2025, 4, 2), 4, 4, 2),
        ("B", "o3", at(2025, 5, 7), 2, 3, 4),
        ("C", "o3", at(2025, 5, 8), 5, 5, 8),
        ("F", "o4", at(2025, 6, 30, 23, 45), 3, 2, 30),  # the last evening of the period
        # Out of scope: every one would pull the means down and the median up.
        ("A", "o4", AFTER_PERIOD, 1, 1, 100),  # the first moment after the period
        ("G", "u1", at(2025, 5, 13), 1, 1, 50),  # another team
        ("M", "y1", at(2025, 4, 23), 1, 1, None),  # another type
        ("D", None, at(2025, 5, 1), 1, 1, 60),  # about no activity: only in unfiltered figures
        ("G", "p1", at(2025, 1, 16), 1, 1, 70),  # before the period
    ]
    for name, opp, created, felt, went, hours in rows:
        check_in = CheckIn.objects.create(
            person=people[name],
            opportunity=opps[opp] if opp else None,
            felt_valued=felt,
            how_it_went=went,
            wants_chat=True,
            created_at=created,
        )
        FollowUp.objects.create(
            check_in=check_in,
            person=people[name],
            worker=worker,
            status="open" if hours is None else "closed",
            requested_at=created,
            closed_at=None if hours is None else created + timedelta(hours=hours),
        )
    return {"scope": scope, "people": people, "opps": opps, "teams": (t, u), "types": (x, y)}


def test_reach_drops_other_teams_types_inactive_and_late_joiners(traps):
    figures = reach(traps["scope"])
    # Active representatives: A-H, J (joined on the period's last evening), M, N = 11. Not I
    # (inactive), not K (joined at the first moment after the period), not L, and not the
    # workers (active, joined long before, but not representatives).
    assert figures["active"] == 11
    # Attended in scope, ending between 30 Dec 2024 (183 days before 1 July) and the end:
    # A-F (o1), H (o2), G (p1, in January) = 8. Not I (p1: inactive), not M (a no-show on o4 is
    # not involvement; p2 on 1 Dec 2024 is too long ago; y1 and u1 are another type and team),
    # not N (o8 ends on 2 July; u1 is another team). 8 of 11 = 72.7%.
    assert figures["involved"] == 8
    assert figures["involved_share"] == 72.7
    # Attended in scope, ending in the period: A, B, C, D, E, F, H. B attended p0 in February
    # (another team and type: earlier attendance counts wherever it was) and E attended p3 the
    # evening before the period; C's earlier no-show is not attendance. A, C, D, F, H = 5.
    assert figures["first_timers"] == 5
    # Places of active people on in-scope activities starting in the period:
    # A 4 (o1-o4), B 2 (o1, o3; o2 withdrawn), C 2 (o1, o3; o5 cancelled), D 2, E 2, F 2 (o1, o4),
    # G 2 (o1 no-show, o7 confirmed; o3 waitlisted), M 2 (o7 confirmed, o4 no-show), H 1,
    # N 1 (o8), J 0 = 20. I's no-show on o3 is a place, but I is not active.
    assert figures["places"] == 20
    # The top ceil(10% of 11) = 2 people: A 4 + one of the 2s = 6 of 20 = 30%
    # (one person, as FLOOR or ROUND would take, gives 20%).
    assert figures["top_decile_share"] == 30.0
    # A float like every other share: PostgreSQL's SUM is numeric, and a Decimal reached the
    # chart's JSON as the string "30.0".
    assert type(figures["top_decile_share"]) is float
    # Ascending [0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 4]: sum(i * x) = 2 + 3 + 2*(4+...+10) + 4*11
    # = 2 + 3 + 98 + 44 = 147. G = 2 * 147 / (11 * 20) - 12/11 = 294/220 - 240/220 = 0.2454...
    assert figures["gini"] == 0.245


def test_activity_drops_drafts_other_teams_and_types(traps):
    figures = activity(traps["scope"])
    # o1, o2, o3, o4, o5 (cancelled), o7 (closed), o8 = 7; not the draft o6, not u1, y1, p*, a1.
    assert figures["opportunities"] == 7
    assert figures["cancelled"] == 1
    # Offered, without the cancelled o5 and the draft o6: 8 + 4 + 6 + 3 + 2 + 2 = 25.
    # Taken: 7 + 2 + 6 + 3 + 2 + 1 = 21. 21 / 25 = 84%.
    assert (figures["places_offered"], figures["places_taken"]) == (25, 21)
    assert figures["fill_rate"] == 84.0
    # Attended 6 (o1) + 2 (o2) + 5 (o3) + 2 (o4) + 1 (o8) = 16; no-shows G (o1), I (o3),
    # M (o4) = 3. 3 / 19 = 15.8%.
    assert figures["no_show_rate"] == 15.8
    # Consulting: o1, o2, o3, o4, o8 = 5; engaging: o5, o7 = 2, shown as it is (opportunities
    # are not people). The draft o6 (consulting) would make it 6.
    counts = {(row["type"], row["level"]): row["count"] for row in figures["by_type"]}
    assert counts == {("X", "Consulting"): 5, ("X", "Engaging"): 2}


def test_feedback_loop_has_an_odd_median_unlike_the_mean(traps):
    figures = feedback_loop(traps["scope"])
    # Completed in scope: o1, o2, o3, o4, o8 = 5; published: o1, o2, o3 = 3 (o4's is a draft).
    assert (figures["completed"], figures["with_outcome"]) == (5, 3)
    assert figures["outcome_share"] == 60.0
    # Days: o1 2, o3 3, o2 15.52 (from 12:00 on 15 April to 00:30 on 1 May: 15 days 12.5 hours).
    # Median 3.0; the mean would be 6.84. u1 (40) and y1 (1) are filtered out.
    assert figures["median_days_to_outcome"] == 3.0
    # Completed, ended long ago, no published outcome: o4 (a draft outcome) and o8 = 2.
    assert figures["overdue"] == 2


def test_exactly_five_check_ins_show_their_means_and_median(traps):
    figures = valued(traps["scope"])
    # In the period and about a T/X activity: E at 00:00 on 1 April (about p3: the period
    # applies to the check-in's date, the team and type through its activity), A, B, C, and
    # F at 23:45 on 30 June = 5. Not A at 00:00 on 1 July, not G (team U), M (type Y), D (no
    # activity) or G in January.
    assert figures["check_ins"] == 5
    assert figures["enough"] is True
    # Felt valued (5 + 4 + 2 + 5 + 3) / 5 = 3.8; how it went (4 + 4 + 3 + 5 + 2) / 5 = 3.6.
    assert figures["mean_felt_valued"] == 3.8
    assert figures["mean_how_it_went"] == 3.6
    # All five asked for a chat, shown as 5 (not "fewer than 5").
    assert figures["follow_ups"] == 5
    # Hours to close: 1, 2, 4, 8, 30: the median is 4.0, the mean would be 9.0.
    assert figures["median_hours_to_follow_up"] == 4.0


def test_check_ins_without_a_team_or_type_include_those_about_no_activity(traps):
    scope = traps["scope"]
    figures = valued(Scope(start=scope.start, end=scope.end))
    # The five above, plus G (u1), M (y1) and D (no activity) = 8; still not the ones dated
    # after or before the period. Felt valued (19 + 1 + 1 + 1) / 8 = 2.75.
    assert figures["check_ins"] == 8
    assert figures["mean_felt_valued"] == 2.75
    # Closed follow-ups: 1, 2, 4, 8, 30, 50 (G), 60 (D); M's is open. Median of 7 = 8.0.
    assert figures["median_hours_to_follow_up"] == 8.0


def test_the_monthly_trend_counts_five_or_more_people(traps):
    rows = {row["month"]: row for row in monthly_trend(traps["scope"])}
    assert list(rows) == [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    # Places by the month of the first session, everyone's (the inactive I included: the
    # trend counts places, not people's accounts):
    # April: o1 7 (6 attended, G no-show) + o2 2 (B withdrew) = 9.
    # May: o3 6 (5 attended, I no-show; G waitlisted) + o7 2 confirmed = 8.
    # June: o4 3 (A, F attended, M no-show) + o8 1 (N; its last session is in July) = 4
    # (o5's sign-up was cancelled, and o6 is a draft with none).
    assert [row["places"] for row in rows.values()] == [9, 8, 4]
    # People who attended, each once: April A-F and H (A twice) = 7; May A-E = exactly 5
    # (u1's six are another team); June A, F, N = 3, shown as "fewer than 5".
    assert [row["people"] for row in rows.values()] == [7, 5, "fewer than 5"]
    # Outcomes published, by month in London: April o1 (3 April); May o2 (00:30 on 1 May, BST,
    # which is still April in UTC) and o3 (9 May) = 2; June none. o4's is a draft.
    assert [row["outcomes"] for row in rows.values()] == [1, 2, 0]
