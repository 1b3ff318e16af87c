"""HMRC's mileage step: a car's first 10,000 business miles in a tax year (6 April to 5
April) at 45p, the rest at 25p, counted over the person's claims by the day of the activity;
through the service and through the claim page."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from payments.models import Claim, ExpenseLine
from payments.services import ExpenseData, expense_add
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def on(person, year, month, day) -> Claim:
    return attended_claim(person=person, starts_at=datetime(year, month, day, 10, tzinfo=LONDON))


def driven(person, year, month, day, miles: str) -> Claim:
    """Car miles already claimed on that day. One activity is at most 1,000 miles, so a year's
    worth is written as a row, as if claimed over many activities."""
    claim = on(person, year, month, day)
    ExpenseLine.objects.create(
        claim=claim, kind="mileage", vehicle="car", miles=Decimal(miles), amount=Decimal("0.01")
    )
    return claim


def car(claim, miles: str, passengers: int = 0) -> ExpenseLine:
    return expense_add(
        claim=claim,
        by=claim.person,
        data=ExpenseData(kind="mileage", miles=Decimal(miles), vehicle="car", passengers=passengers),
    )


def test_miles_on_5_april_do_not_count_in_the_tax_year_from_6_april(representative):
    driven(representative, 2026, 4, 5, "9990")
    line = car(on(representative, 2026, 4, 6), "20")
    assert line.amount == Decimal("9.00")
    assert line.mileage_workings == "20 miles at 45p"


def test_past_10000_miles_in_a_tax_year_the_rest_are_at_25p(representative):
    driven(representative, 2026, 4, 6, "9990")
    line = car(on(representative, 2027, 4, 5), "20")  # the last day of the same tax year
    assert line.amount == Decimal("7.00")  # 10 at 45p and 10 at 25p
    assert line.mileage_workings == "10 miles at 45p; 10 miles at 25p (past 10,000 miles this tax year)"


def test_the_10000th_mile_is_at_45p(representative):
    driven(representative, 2025, 5, 1, "9980")
    line = car(on(representative, 2026, 4, 5), "20")
    assert line.amount == Decimal("9.00")
    assert car(on(representative, 2026, 4, 5), "1").amount == Decimal("0.25")


def test_the_same_days_across_the_step_with_5_april_in_the_old_year(representative):
    driven(representative, 2025, 4, 6, "9990")
    line = car(on(representative, 2026, 4, 5), "20")
    assert line.amount == Decimal("7.00")


def test_other_people_and_other_vehicles_do_not_count_towards_the_step(representative, outsider):
    driven(outsider, 2026, 5, 1, "9999")
    claim = on(representative, 2026, 5, 2)
    expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="mileage", miles=Decimal("999"), vehicle="motorcycle"),
    )
    assert car(claim, "10").amount == Decimal("4.50")


def test_passengers_are_paid_on_every_mile_past_the_step_too(representative):
    driven(representative, 2026, 4, 6, "10000")
    line = car(on(representative, 2026, 6, 1), "10", passengers=2)
    assert line.amount == Decimal("3.50")  # 10 at 25p, and 2 x 10 at 5p


def test_the_claim_page_shows_the_miles_so_far_and_applies_the_step(representative):
    driven(representative, 2026, 4, 6, "9990")
    claim = on(representative, 2026, 7, 1)
    client = Client()
    client.force_login(representative)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "(from Monday 6 April 2026): <strong>9,990 miles</strong>" in text
    response = client.post(
        reverse("me:claim", args=[claim.pk]),
        {"action": "add_expense", "kind": "mileage", "miles": "20", "vehicle": "car"},
    )
    assert response.status_code == 302
    assert claim.expenses.get().amount == Decimal("7.00")
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "10 miles at 45p; 10 miles at 25p (past 10,000 miles this tax year)" in text
    assert "<strong>10,010 miles</strong>" in text


def test_the_claim_page_counts_a_new_tax_year_from_nothing(representative):
    driven(representative, 2026, 4, 5, "9990")
    claim = on(representative, 2026, 4, 6)
    client = Client()
    client.force_login(representative)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "(from Monday 6 April 2026): <strong>0 miles</strong>" in text
