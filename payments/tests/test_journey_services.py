"""A claim from an attended activity to money paid, through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Message
from payments.models import Claim, FeeChoice
from payments.services import (
    ChoiceData,
    ExpenseData,
    batch_mark_paid,
    claim_approve,
    claim_choose,
    claim_return,
    claim_submit,
    claims_open,
    expense_add,
    export_batch_create,
    export_csv,
)
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


def test_a_claim_goes_from_the_activity_to_paid(representative, finance_officer):
    claim = attended_claim(person=representative, hours=2)
    assert claim.state == Claim.State.DRAFT
    assert claim.hours == Decimal("2.00") and claim.fee == Decimal("23.00")
    lead = claim.opportunity.lead_worker

    expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="mileage", miles=Decimal("10"), vehicle="car", passengers=1),
    )
    claim_submit(claim=claim, by=representative)
    claim_return(claim=claim, by=lead, reason="Which car park did you use?")
    claim.refresh_from_db()
    assert claim.state == Claim.State.RETURNED and claim.return_reason == "Which car park did you use?"
    claim_choose(
        claim=claim,
        by=representative,
        data=ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("10")),
    )
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=lead)

    batch = export_batch_create(by=finance_officer)
    claim.refresh_from_db()
    assert claim.state == Claim.State.EXPORTED and claim.batch == batch
    csv_text = export_csv(batch=batch)
    assert export_csv(batch=batch) == csv_text
    lines = csv_text.splitlines()
    assert len(lines) == 3  # header, the fee, the mileage
    assert ",fee,A smaller amount,10.00,yes," in lines[1]
    assert "10 miles at 45p; 1 passenger at 5p a mile,5.00,no," in lines[2]
    assert batch.total == Decimal("15.00")

    assert batch_mark_paid(batch=batch, on=timezone.localdate(), by=finance_officer) == 1
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID and claim.paid_on == timezone.localdate()
    subjects = list(
        Message.objects.filter(recipient=representative, kind="claim_update").values_list(
            "subject", flat=True
        )
    )
    assert len(subjects) == 3
    assert any(subject.startswith("Your payment has been made") for subject in subjects)


def test_opening_claims_twice_opens_each_once(representative):
    claim = attended_claim(person=representative)
    claim.delete()
    assert claims_open(now=timezone.now() + timedelta(minutes=1)) == 1
    assert claims_open(now=timezone.now() + timedelta(minutes=1)) == 0
    assert Claim.objects.filter(person=representative).count() == 1
