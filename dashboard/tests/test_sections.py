"""Charts that fit their section, the trend of the chosen period only, and the impact list
("You said, we did"), on the hand-worked data set (test_metrics.world)."""

from datetime import timedelta

import pytest

from dashboard.metrics import Scope, impact
from dashboard.tests.test_metrics import PERIOD as SCOPE
from dashboard.tests.test_metrics import world  # noqa: F401  (the hand-worked data set)
from dashboard.tests.test_views import PERIOD, csv_rows
from feedback.models import Outcome

pytestmark = pytest.mark.django_db


def test_the_impact_list_is_the_outcomes_published_in_the_period_by_team_and_type(world):  # noqa: F811
    o0, o1, o2, o3, o4 = world["opps"]
    # Not listed: a draft, and one published after the period (o0's, though o0 is earlier).
    Outcome.objects.create(opportunity=o4, you_said="draft", we_did="draft", status="draft")
    Outcome.objects.create(
        opportunity=o0,
        you_said="late",
        we_did="late",
        status="published",
        published_at=o4.ends_at + timedelta(days=60),
    )
    rows = impact(SCOPE)
    assert [(row.team, row.activity_type, row.title) for row in rows] == [
        ("T1", "X", o1.title),  # published in March
        ("T1", "Y", o2.title),  # published in April
    ]
    assert rows[0].you_said == "a" and rows[0].we_did == "b"
    assert rows[0].published == (o1.ends_at + timedelta(days=10)).date()
    t1, t2 = world["teams"]
    assert impact(Scope(SCOPE.start, SCOPE.end, team_id=t2.pk)) == []
    x, y = world["types"]
    assert [row.title for row in impact(Scope(SCOPE.start, SCOPE.end, activity_type_id=y.pk))] == [o2.title]


def test_the_impact_list_is_on_the_page_and_in_its_csv(client, manager, world):  # noqa: F811
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD).content.decode()
    assert "Outcomes published in the period" in page and world["opps"][1].title in page
    rows = csv_rows(client, "impact", PERIOD)
    assert rows[5] == ["Team", "Type of activity", "Activity", "You said", "We did", "Published"]
    assert [row[:2] for row in rows[6:]] == [["T1", "X"], ["T1", "Y"]]


def test_each_chart_draws_one_sections_figures(client, manager, world):  # noqa: F811
    client.force_login(manager)
    charts = client.get("/dashboard/", PERIOD).context["charts"]
    # Reach: its two shares, this period (A took 2 of 4 places; A and B involved of 4) and
    # the previous one (B took the only place; B alone involved).
    assert charts["reach"]["datasets"] == [
        {"label": "This period (%)", "data": [50.0, 50.0]},
        {"label": "Previous period (%)", "data": [25.0, 100.0]},
    ]
    # Opportunities are not people: their counts are drawn as they are, none hidden.
    assert charts["activity_by_type"]["datasets"][0]["data"] == [2, 2]
    assert len(charts["trend"]["labels"]) == 6  # January to June, the period only


def test_a_period_with_nothing_says_so_instead_of_a_trend_of_zeros(client, manager, world):  # noqa: F811
    client.force_login(manager)
    empty = {**PERIOD, "start_year": "2020", "end_year": "2020"}
    page = client.get("/dashboard/", empty).content.decode()
    assert "there is no trend to show" in page
    assert 'data-chart="chart-trend"' not in page and 'data-chart="chart-activity_by_type"' not in page
    full = client.get("/dashboard/", PERIOD).content.decode()
    assert "there is no trend to show" not in full and 'data-chart="chart-trend"' in full
