"""'You said, we did', the monthly trend and the share fed back on time, at their edges.

Written for mutants of dashboard/metrics.py that survived `make mutation` after the
dashboard's queries were rewritten (docs/testing.md): each test gives a different answer
with its mutant. The definitions are in docs/metrics.md."""

import copy
import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboard.metrics import IMPACT_LIMIT, Scope, feedback_loop, impact, monthly_trend
from dashboard.tests.test_views import PERIOD as PERIOD_FILTER  # the same period, as the form names it
from feedback.models import Outcome
from opportunities.models import Opportunity
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERIOD = Scope(start=date(2026, 1, 1), end=date(2026, 6, 30))
COMPLETED = Opportunity.Status.COMPLETED


def held(*, start: datetime, **fields) -> Opportunity:
    return OpportunityFactory(
        status=COMPLETED,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=start - timedelta(days=3),
        **fields,
    )


def published(opportunity: Opportunity, at: datetime, said: str = "You said") -> Outcome:
    return Outcome.objects.create(
        opportunity=opportunity,
        you_said=said,
        we_did="We did",
        status=Outcome.Status.PUBLISHED,
        published_at=at,
    )


def test_only_outcomes_published_within_the_period_are_listed():
    opportunity = held(start=datetime(2025, 12, 1, 10, tzinfo=LONDON))
    others = [held(start=datetime(2025, 12, 1, 10, tzinfo=LONDON)) for _ in range(3)]
    published(opportunity, datetime(2025, 12, 31, 23, 59, tzinfo=LONDON), said="the day before")
    published(others[0], datetime(2026, 1, 1, 0, 0, tzinfo=LONDON), said="the first moment")
    published(others[1], datetime(2026, 6, 30, 23, 59, tzinfo=LONDON), said="the last minute")
    published(others[2], datetime(2026, 7, 1, 0, 0, tzinfo=LONDON), said="the first moment after")
    assert sorted(row.you_said for row in impact(PERIOD)) == ["the first moment", "the last minute"]


def test_outcomes_are_listed_by_team_then_type_then_the_day_they_were_published():
    wards, community = TeamFactory(name="Wards"), TeamFactory(name="Community")
    training, audit = ActivityTypeFactory(name="Training"), ActivityTypeFactory(name="Audit")
    start = datetime(2026, 1, 5, 10, tzinfo=LONDON)
    # Created in an order that matches none of the three keys.
    for team, kind, day, said in [
        (wards, audit, 20, "wards audit"),
        (community, training, 25, "community training, later"),
        (community, audit, 28, "community audit"),
        (community, training, 21, "community training, earlier"),
    ]:
        published(
            held(start=start, team=team, activity_type=kind), datetime(2026, 3, day, 12, tzinfo=LONDON), said
        )
    assert [row.you_said for row in impact(PERIOD)] == [
        "community audit",
        "community training, earlier",
        "community training, later",
        "wards audit",
    ]


def many_outcomes(count: int) -> None:
    """`count` completed opportunities with an outcome each, written in two statements."""
    model = held(start=datetime(2026, 2, 2, 10, tzinfo=LONDON))
    rows = []
    for n in range(count):
        row = copy.copy(model)
        row.pk = row.id = None
        row.title = f"Panel {n:03}"
        rows.append(row)
    created = Opportunity.objects.bulk_create(rows)
    Outcome.objects.bulk_create(
        Outcome(
            opportunity=opportunity,
            you_said=f"Said {n:03}",
            we_did="Did",
            status=Outcome.Status.PUBLISHED,
            published_at=datetime(2026, 3, 2, 12, tzinfo=LONDON) + timedelta(minutes=n),
        )
        for n, opportunity in enumerate(created)
    )


MORE = "Only the first 200 are shown here; the CSV has them too."


def test_two_hundred_outcomes_are_all_listed_and_the_page_says_nothing_is_left_out(client, manager):
    assert IMPACT_LIMIT == 200
    many_outcomes(200)
    assert len(impact(PERIOD)) == 200
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD_FILTER)
    assert len(page.context["impact"]) == 200
    assert MORE not in page.content.decode()


def test_with_more_than_two_hundred_the_page_lists_two_hundred_and_the_csv_has_them_all(client, manager):
    many_outcomes(203)
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD_FILTER)
    assert len(page.context["impact"]) == 200
    assert MORE in page.content.decode()
    exported = client.get("/dashboard/export/impact.csv", PERIOD_FILTER)
    said = [row[3] for row in csv.reader(io.StringIO(exported.content.decode())) if len(row) > 3]
    assert said == ["You said"] + [f"Said {n:03}" for n in range(203)]


def test_a_period_ending_on_the_first_of_a_month_shows_that_month_in_the_trend():
    months = [row["month"] for row in monthly_trend(Scope(start=date(2026, 1, 15), end=date(2026, 3, 1)))]
    assert months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


def test_an_activity_still_within_its_days_to_feed_back_does_not_lower_the_share_on_time(settings):
    settings.OUTCOME_DUE_DAYS = 28
    now = timezone.now()
    scope = Scope(start=(now - timedelta(days=60)).date(), end=now.date())
    fed_back = held(start=now - timedelta(days=40))
    published(fed_back, fed_back.ends_at + timedelta(days=5))  # on time
    held(start=now - timedelta(days=10))  # no outcome yet, but 18 days left to publish one
    figures = feedback_loop(scope)
    assert figures["completed"] == 2
    assert figures["on_time_share"] == 100.0


def test_an_outcome_published_late_is_not_counted_as_on_time(settings):
    settings.OUTCOME_DUE_DAYS = 28
    early, late = (held(start=datetime(2026, 2, 2, 10, tzinfo=LONDON)) for _ in range(2))
    published(early, early.ends_at + timedelta(days=28))  # the last day allowed
    published(late, late.ends_at + timedelta(days=28, minutes=1))
    figures = feedback_loop(PERIOD)
    assert (figures["with_outcome"], figures["on_time_share"]) == (2, 50.0)


def test_the_median_days_to_an_outcome_counts_days_of_24_hours():
    # 20 days and 4,338 seconds is 20.0502 days: 20.1 to one decimal place. Counted in days of
    # a second longer it would be 20.0498: 20.0.
    opportunity = held(start=datetime(2026, 2, 2, 10, tzinfo=LONDON))
    published(opportunity, opportunity.ends_at + timedelta(days=20, seconds=4338))
    assert feedback_loop(PERIOD)["median_days_to_outcome"] == 20.1
