"""The dashboard page and its CSV exports: who may see them, filters, bad input, queries."""

import csv
import io

import pytest

from dashboard.tests.test_metrics import world  # noqa: F401  (the hand-worked data set)

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
    for heading in ["Reach", "Activity", "Feedback loop", "Feeling valued and support", "Monthly trend"]:
        assert f"<h2>{heading}</h2>" in page
    assert "0.375" in page  # the Gini coefficient worked out by hand
    assert "fewer than 5" in page
    assert page.count("Download this table (CSV)") == 6
    assert "canvas" in page and 'id="chart-trend"' in page


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
    assert rows[0] == ["Period", "01 January 2026 to 30 June 2026"]
    assert ["Gini coefficient of places per active representative", "0.375"] in rows
    t1, t2 = world["teams"]
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/dashboard/export/activity.csv", {**PERIOD, "team": t2.pk}).content.decode()
            )
        )
    )
    assert ["Cancelled opportunities", "1"] in rows and ["Opportunities", "2"] in rows


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

    from django.utils import timezone

    from accounts.permissions import Role
    from accounts.tests.factories import person
    from opportunities.models import SignUp
    from opportunities.tests.factories import OpportunityFactory

    for _ in range(rows):
        start = timezone.now() - timedelta(days=40)
        opp = OpportunityFactory(
            status="completed",
            sessions=[(start, start + timedelta(hours=1))],
            signup_deadline=start - timedelta(days=2),
        )
        for _ in range(3):
            SignUp.objects.create(
                opportunity=opp, person=person(roles=[Role.REPRESENTATIVE]), state="attended"
            )
    client.force_login(manager)
    client.get("/dashboard/")
    with django_assert_max_num_queries(24):  # measured: 22, with 1 and with 12 opportunities
        assert client.get("/dashboard/").status_code == 200


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
