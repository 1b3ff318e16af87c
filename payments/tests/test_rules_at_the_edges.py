"""Payments' rules at the edges that mutation testing found untested (docs/testing.md): what
the claim's history says of each change, what the person is told when it is approved or
refused, and how a mileage rate is written."""

from decimal import Decimal

import pytest

from catalogue.models import PaymentPolicy, RateUnit, Vehicle
from notifications.kinds import Kind
from notifications.models import Message
from payments.models import ClaimEvent
from payments.services import ClaimError, claim_approve, claim_return, claim_submit, fee_for, mileage_for
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


def test_the_history_gives_a_reason_only_where_someone_gave_one(representative):
    claim = attended_claim(person=representative)
    lead = claim.opportunity.lead_worker
    claim_submit(claim=claim, by=representative)
    claim_return(claim=claim, by=lead, reason="Add the parking receipt")
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=lead)
    assert list(ClaimEvent.objects.filter(claim=claim).order_by("pk").values_list("to_state", "reason")) == [
        ("submitted", ""),
        ("returned", "Add the parking receipt"),
        ("submitted", ""),
        ("approved", ""),
    ]


def test_an_approved_claim_tells_the_person_how_soon_it_should_be_paid(representative, settings):
    settings.PAYMENT_TARGET_DAYS = 21
    claim = attended_claim(person=representative)
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=claim.opportunity.lead_worker)
    told = Message.objects.get(recipient=representative, kind=Kind.CLAIM_UPDATE)
    assert "we aim to pay within 21 days of the activity" in told.body_text
    assert "we aim to pay within 21 days of the activity" in told.body_html


def test_a_change_the_claims_state_does_not_allow_names_the_state_as_the_person_sees_it(representative):
    claim = attended_claim(person=representative)
    with pytest.raises(ClaimError) as refused:
        claim_approve(claim=claim, by=claim.opportunity.lead_worker)
    assert refused.value.message == "A claim that is “not sent yet” cannot be changed that way."


def policy(car_rate: str = "0.45") -> PaymentPolicy:
    """Only the rates mileage_for reads: the arithmetic needs no database."""
    return PaymentPolicy(
        car_rate=Decimal(car_rate),
        car_rate_after_step=Decimal("0.25"),
        car_step_miles=10000,
        passenger_rate=Decimal("0.05"),
        motorcycle_rate=Decimal("0.24"),
        bicycle_rate=Decimal("0.20"),
    )


def car_workings(miles: str, *, rate: str = "0.45") -> str:
    mileage = mileage_for(
        policy=policy(rate),
        vehicle=Vehicle.CAR,
        miles=Decimal(miles),
        passengers=0,
        car_miles_before=Decimal(0),
    )
    return mileage.workings


@pytest.mark.parametrize(("rate", "written"), [("0.99", "99p"), ("1.00", "£1.00"), ("1.20", "£1.20")])
def test_a_mileage_rate_of_a_pound_or_more_is_written_in_pounds(rate, written):
    """The workings the person and the approver read: pence below £1, pounds from £1."""
    assert car_workings("10", rate=rate) == f"10 miles at {written}"


@pytest.mark.parametrize(("miles", "written"), [("1", "1 mile"), ("2", "2 miles"), ("0.5", "0.5 miles")])
def test_one_mile_is_a_mile_and_any_other_number_miles(miles, written):
    assert car_workings(miles) == f"{written} at 45p"


@pytest.mark.parametrize(
    ("vehicle", "amount", "workings"),
    [(Vehicle.MOTORCYCLE, "2.40", "10 miles at 24p"), (Vehicle.BICYCLE, "2.00", "10 miles at 20p")],
)
def test_a_motorcycle_and_a_bicycle_are_each_paid_at_their_own_rate(vehicle, amount, workings):
    mileage = mileage_for(
        policy=policy(), vehicle=vehicle, miles=Decimal("10"), passengers=0, car_miles_before=Decimal(0)
    )
    assert (mileage.amount, mileage.workings) == (Decimal(amount), workings)


@pytest.mark.parametrize(("passengers", "who"), [(1, "1 passenger"), (2, "2 passengers")])
def test_passengers_are_counted_in_the_workings(passengers, who):
    mileage = mileage_for(
        policy=policy(),
        vehicle=Vehicle.CAR,
        miles=Decimal("10"),
        passengers=passengers,
        car_miles_before=Decimal(0),
    )
    assert mileage.workings == f"10 miles at 45p; {who} at 5p a mile"


def block_fee(hours: str, block_hours: Decimal | None) -> Decimal:
    return fee_for(
        unit=RateUnit.BLOCK,
        amount=Decimal("20"),
        block_hours=block_hours,
        preparation_hours=Decimal(0),
        hours=Decimal(hours),
    )


def test_a_block_rate_of_one_hour_pays_each_hour_begun():
    assert block_fee("2.5", Decimal("1")) == Decimal("60.00")


@pytest.mark.parametrize("block_hours", [None, Decimal(0), Decimal("-3")])
def test_a_block_rate_without_a_positive_length_is_refused_not_paid(block_hours):
    with pytest.raises(ValueError, match="^A block rate needs its hours$"):
        block_fee("2", block_hours)
