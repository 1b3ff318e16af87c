"""The dashboard page and its CSV exports: who may see them, filters, bad input, queries."""

import csv
import io

import pytest

from dashboard.models import Targets
from dashboard.tests.test_metrics import world  # noqa: F401  (the hand-worked data set)
from dashboard.tests.test_metrics_payments import claims  # noqa: F401  (claims worked out by hand)

pytestmark = pytest.mark.django_db
PERIOD = {
    "period": "custom",
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "30",
    "end_month": "6",
    "end_year": "2026",
}


@pytest.mark.parametrize(
    "role,status", [("manager", 200), ("administrator", 200), ("worker", 403), ("representative", 403)]
)
def test_only_managers_and_administrators_get_the_dashboard(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/dashboard/").status_code == status
    assert client.get("/dashboard/export/reach.csv").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ["/dashboard/", "/dashboard/export/reach.csv"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_shows_every_section_with_its_table(client, manager, world):  # noqa: F811
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD).content.decode()
    for heading in [
        "Reach",
        "Who we reach",
        "Activity",
        "Feedback loop",
        "Feeling valued and support",
        "Monthly trend",
        "Payments",
    ]:
        assert f">{heading}</h2>" in page
    assert "0.375" in page  # the Gini coefficient worked out by hand
    assert "fewer than 5" in page
    assert page.count("Download this table (CSV)") == 17  # 6 of them who we reach
    assert "canvas" in page and 'id="chart-trend"' in page and 'id="chart-paid_by_team"' in page


def test_the_page_never_shows_individual_check_ins(client, manager):
    from accounts.permissions import Role
    from accounts.tests.factories import person
    from feedback.models import CheckIn

    someone = person(roles=[Role.REPRESENTATIVE])
    for _ in range(6):
        CheckIn.objects.create(person=someone, how_it_went=2, felt_valued=2, went_well="PRIVATE-WORDS")
    client.force_login(manager)
    page = client.get("/dashboard/").content.decode()
    assert "PRIVATE-WORDS" not in page and someone.email not in page


def test_the_csv_export_applies_the_filters(client, manager, world):  # noqa: F811
    client.force_login(manager)
    response = client.get("/dashboard/export/reach.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    assert "involvement-reach-2026-01-01-to-2026-06-30.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # What the figures are about comes first: the period, the one compared with, the filters.
    assert rows[:5] == [
        ["Period", "01 January 2026 to 30 June 2026"],
        ["Previous period", "04 July 2025 to 31 December 2025"],
        ["Team", "All teams"],
        ["Type of activity", "All types"],
        [],
    ]
    assert rows[5] == ["Measure", "This period", "Previous period", "Change", "Better when", "What it means"]
    # The previous period (4 July to 31 December 2025): B alone took a place (o0), so places
    # per person are [0, 0, 0, 1]: G = 2 * (4 * 1) / (4 * 1) - 5/4 = 0.75. Lower is better.
    gini = next(row for row in rows if row and row[0].startswith("Gini"))
    assert gini[:5] == [
        "Gini coefficient of places per active representative",
        "0.375",
        "0.75",
        "Better",
        "Lower",
    ]
    t1, t2 = world["teams"]
    response = client.get("/dashboard/export/activity.csv", {**PERIOD, "team": t2.pk})
    # The team chosen is in the file's name as well as in its first rows.
    assert "involvement-activity-2026-01-01-to-2026-06-30-t2.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Cancelled opportunities", "1"] in [row[:2] for row in rows]
    assert ["Opportunities", "2"] in [row[:2] for row in rows]
    assert rows[2] == ["Team", "T2"]


def test_each_measure_says_better_worse_or_the_same_by_its_own_direction(client, manager, world):  # noqa: F811
    """The hand-worked periods (test_metrics): a count is never judged, a share that rose is
    better where higher is better, a count of cancellations that rose is worse."""
    client.force_login(manager)
    reach = [(row[0], row[3]) for row in csv_rows(client, "reach", PERIOD)[6:]]
    assert reach == [
        ("Active representatives", "No comparison"),  # 4 and 4: a count
        ("Involved at least once in the 6 months to the period's end (%)", "Better"),  # 50.0, 25.0
        ("First-time participants", "The same"),  # 1 and 1
        ("First-timers who came through an invitation", "The same"),
        ("Share of places taken by the 10% most involved (%)", "Better"),  # 50.0, 100.0: lower
        ("Gini coefficient of places per active representative", "Better"),  # 0.375, 0.75: lower
    ]
    activity = dict(row[::3] for row in csv_rows(client, "activity", PERIOD)[6:])
    assert activity["Places taken"] == "No comparison"  # 4 and 0: a count
    assert activity["Fill rate (%)"] == "Better"  # 50.0, 0.0: higher
    assert activity["Cancelled opportunities"] == "Worse"  # 1, 0: lower


def payments_period() -> dict:
    from dashboard.tests.test_metrics_payments import PERIOD as SCOPE

    return {
        "period": "custom",
        **{f"start_{part}": str(getattr(SCOPE.start, part)) for part in ("day", "month", "year")},
        **{f"end_{part}": str(getattr(SCOPE.end, part)) for part in ("day", "month", "year")},
    }


def csv_rows(client, table: str, params: dict) -> list[list[str]]:
    response = client.get(f"/dashboard/export/{table}.csv", params)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_payments_section_shows_its_figures_and_exports_them(client, manager, claims):  # noqa: F811
    client.force_login(manager)
    page = client.get("/dashboard/", payments_period()).content.decode()
    assert "Claims and amounts by status" in page and "Paid by team" in page
    assert "Paid within 14 days (%)" in page

    rows = [row[:2] for row in csv_rows(client, "payments", payments_period())]
    assert ["Median days from the activity to payment", "14.0"] in rows
    assert ["Paid within 14 days (%)", "50.0"] in rows
    assert ["Claims where the person chose not to be paid (%)", "11.1"] in rows
    assert ["Waiting for approval", "5", "115.00", "0.00"] in csv_rows(
        client, "payments_by_status", payments_period()
    )
    assert csv_rows(client, "paid_by_team", payments_period())[5:] == [
        ["Team", "Claims paid", "Fees (£)", "Expenses (£)", "Total (£)"],
        ["T1", "fewer than 5", "33.00", "7.50", "40.50"],
        ["T2", "fewer than 5", "0.00", "0.00", "0.00"],
    ]
    # The team filter applies to payments too.
    by_type = csv_rows(client, "paid_by_type", {**payments_period(), "team": claims["t2"].pk})
    assert by_type[6:] == [["Y", "fewer than 5", "0.00", "0.00", "0.00"]]


def test_a_measure_with_a_target_names_it_beside_the_better_direction(client, manager, claims):  # noqa: F811
    targets = Targets.current()
    targets.paid_on_time_min = 85
    targets.save()
    client.force_login(manager)
    rows = csv_rows(client, "payments", payments_period())
    paid_in_time = next(row for row in rows if row and row[0] == "Paid within 14 days (%)")
    assert paid_in_time[4] == "Higher (target: at least 85%)"
    median = next(row for row in rows if row and row[0].startswith("Median days"))
    assert median[4] == "Lower"


def test_an_unknown_table_is_404(client, manager):
    client.force_login(manager)
    assert client.get("/dashboard/export/passwords.csv").status_code == 404


@pytest.mark.parametrize(
    "data,message",
    [
        ({"period": "custom"}, "Enter the first day of the period"),
        ({**PERIOD, "end_year": "2025"}, "The last day must be on or after the first day"),
        ({**PERIOD, "start_day": "31", "start_month": "2"}, "real date"),
        ({"period": "fortnight"}, "Select a valid choice"),
        ({"team": "abc"}, "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_and_kept_and_the_page_still_works(client, manager, data, message):
    client.force_login(manager)
    response = client.get("/dashboard/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert "<title>Error: " in page


@pytest.mark.parametrize("rows", [1, 12], ids=["few", "many"])
def test_the_query_count_does_not_depend_on_the_data(client, manager, django_assert_max_num_queries, rows):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.equality import EqualityMonitoring
    from accounts.permissions import Role
    from accounts.tests.factories import person
    from feedback.models import Outcome
    from opportunities.models import SignUp
    from opportunities.tests.factories import OpportunityFactory
    from payments.services import ExpenseData, claim_submit, expense_add
    from payments.tests.factories import attended_claim

    for _ in range(rows):
        start = timezone.now() - timedelta(days=40)
        opp = OpportunityFactory(
            status="completed",
            sessions=[(start, start + timedelta(hours=1))],
            signup_deadline=start - timedelta(days=2),
        )
        for _ in range(3):
            someone = person(roles=[Role.REPRESENTATIVE])
            SignUp.objects.create(opportunity=opp, person=someone, state="attended")
            EqualityMonitoring.objects.create(person=someone, age_band="25-34", ethnic_category="A")
        # Each one in the impact list, with its team and type.
        Outcome.objects.create(
            opportunity=opp, you_said="a", we_did="b", status="published", published_at=timezone.now()
        )
    # Claims in every state but paid, each with an expense, on opportunities of their own.
    for number in range(rows):
        claim = attended_claim(person=person(roles=[Role.REPRESENTATIVE]))
        expense_add(claim=claim, by=claim.person, data=ExpenseData(kind="parking", amount=Decimal("2")))
        if number % 2:
            claim_submit(claim=claim, by=claim.person)
    client.force_login(manager)
    client.get("/dashboard/")
    # Measured: 47 with 1 and 12 of each: every section twice (this period and the previous
    # one; 4 each for payments), the trend, the impact list, the targets, who we reach (2:
    # every characteristic in one query, and the population).
    with django_assert_max_num_queries(47):
        response = client.get("/dashboard/")
    assert response.status_code == 200 and len(response.context["impact"]) == rows


@pytest.mark.parametrize(
    "year,message", [("0001", "The year must be 1900 or later"), ("9999", "The year must be")]
)
def test_a_period_outside_the_years_we_count_is_explained_not_a_500(client, manager, year, message):
    """Year 1 used to pass the form and then overflow the figures' date arithmetic."""
    client.force_login(manager)
    period = {**PERIOD, "start_year": year, "end_year": year, "end_month": "12", "end_day": "31"}
    response = client.get("/dashboard/", period)
    assert response.status_code == 200
    assert response.context["form"].errors["start"][0].startswith(message)
    assert client.get("/dashboard/export/reach.csv", period).status_code == 200


def test_the_definitions_page_is_made_from_docs_metrics_md(client, manager):
    from pathlib import Path

    client.force_login(manager)
    page = client.get("/dashboard/definitions/").content.decode()
    source = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text()
    headings = [line.lstrip("#").strip() for line in source.splitlines() if line.startswith("#")]
    assert len(headings) >= 6
    for heading in headings:
        assert f">{heading}</h" in page
    # Tables become tables, code and bold become markup, and nothing else is let through.
    assert '<th class="nhsuk-table__header" scope="col">Definition</th>' in page
    assert "<code>REACH_SQL</code>" in page and "<strong>Scope.</strong>" in page
    # The anchors the dashboard's sections link to are there.
    for anchor in ("reach", "activity", "feedback-loop", "feeling-valued-and-support", "payments"):
        assert f'id="{anchor}"' in page


def test_the_markdown_is_escaped():
    from dashboard.definitions import render_markdown

    html = render_markdown(
        "# A <b>title</b>\n\nSome <script>x</script> and `a<b` text.\n\n"
        "| a | b |\n|---|---|\n| <i> | x \\| y |"
    )
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert '<h2 id="a-btitleb">A &lt;b&gt;title&lt;/b&gt;</h2>' in html
    assert "<code>a&lt;b</code>" in html and "x | y" in html


@pytest.mark.parametrize(
    "role,status", [("manager", 200), ("administrator", 200), ("worker", 403), ("representative", 403)]
)
def test_only_managers_and_administrators_read_the_definitions(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/dashboard/definitions/").status_code == status
