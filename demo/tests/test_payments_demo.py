"""The payments demo (issue 12): claims in every state, a receipt that is a real image, a
representative near her earnings limit, the finance log-in, rate cards on the opportunities,
and the same data however often seed_demo runs."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.permissions import Role, role_names
from catalogue.models import PaymentPolicy, RateCard
from opportunities.models import Opportunity
from payments.models import Claim, ClaimEvent, ExpenseLine, ExportBatch, PaymentDetails
from payments.selectors import overdue_claims

pytestmark = pytest.mark.django_db
State = Claim.State


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in [Claim, ClaimEvent, ExpenseLine, ExportBatch, PaymentDetails]
    )


def test_the_demo_has_claims_in_every_state_and_stays_the_same_when_run_again(capsys, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    counts = _counts()
    call_command("seed_demo")
    assert _counts() == counts

    assert set(Claim.objects.values_list("state", flat=True)) == set(State.values)
    for claim in Claim.objects.filter(state__in=[State.EXPORTED, State.PAID]):
        assert claim.batch is not None
        assert claim.events.filter(to_state=State.EXPORTED, reason=claim.batch.reference).exists()
    assert not Claim.objects.filter(state=State.PAID, paid_on=None).exists()
    assert Claim.objects.get(state=State.RETURNED).return_reason
    # Each claim's history ends in its state.
    for claim in Claim.objects.exclude(state=State.DRAFT):
        assert claim.events.order_by("created_at", "pk").last().to_state == claim.state
    # Every attended sign-up has its claim, so the hourly job has nothing left to open.
    assert Claim.objects.count() == 11

    output = capsys.readouterr().out
    assert "finance@example.org" in output and "Finance officer" in output
    assert role_names(User.objects.get(email="finance@example.org")) == {Role.FINANCE}


def test_the_demo_claims_have_mileage_a_receipt_and_a_flag_near_the_limit():
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)

    mileage = ExpenseLine.objects.get(claim__person__email="rep@example.org", kind="mileage")
    assert mileage.amount == Decimal("5.40") and mileage.mileage_workings == "12 miles at 45p"
    receipt = ExpenseLine.objects.get(claim__person__email="rep@example.org", kind="parking")
    assert receipt.receipt_content_type == "image/png"
    with receipt.receipt.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG"
    # Only one receipt file, however often the demo runs.
    assert ExpenseLine.objects.exclude(receipt="").count() == 1

    amira = User.objects.get(email="amira@example.org")
    assert PaymentDetails.objects.get(person=amira).earnings_limit == Decimal("100.00")
    flagged = Claim.objects.get(person=amira)
    assert flagged.near_limit and flagged.state == State.SUBMITTED
    assert flagged.fee == Decimal("90.00")  # 6 hours at £15: 90% of her £100 a week

    worker = User.objects.get(email="worker@example.org")
    assert overdue_claims(lead_worker=worker).exists()


def test_the_demo_opportunities_have_rate_cards_and_published_ones_their_promised_fee():
    call_command("seed_demo", quiet=True)
    paid = Opportunity.objects.filter(is_paid=True)
    assert paid.exists() and not paid.filter(rate_card=None).exists()
    assert not Opportunity.objects.filter(is_paid=False).exclude(rate_card=None).exists()
    assert not paid.exclude(status=Opportunity.Status.DRAFT).filter(fee_amount=None).exists()
    assert not Opportunity.objects.filter(status=Opportunity.Status.DRAFT).exclude(fee_amount=None).exists()
    assert {card for card in paid.values_list("rate_card__name", flat=True)} == {
        "Standard",
        "Enhanced: chairing or training",
        "Short activity",
    }
    leaflet = Opportunity.objects.get(title__startswith="Co-production group: rewriting")
    assert leaflet.promised_fee == "£11.50 an hour, preparation included"


def test_the_demo_claims_move_with_today_without_duplicates():
    call_command("seed_demo", quiet=True)
    counts = _counts()
    before = Claim.objects.get(person__email="jo@example.org").activity_date
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        call_command("seed_demo", quiet=True)
        assert _counts() == counts
        assert Claim.objects.get(person__email="jo@example.org").activity_date == before + timedelta(days=40)


def test_the_demo_makes_its_rate_cards_and_mileage_rates_when_the_database_has_none():
    """As in a browser test, whose database is emptied of the migrations' rows."""
    RateCard.objects.all().delete()
    PaymentPolicy.objects.all().delete()
    call_command("seed_demo", quiet=True)
    assert RateCard.objects.count() == 3
    assert ExpenseLine.objects.get(claim__person__email="rep@example.org", kind="mileage").amount == Decimal(
        "5.40"
    )
