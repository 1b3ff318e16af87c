"""Staff's part of a claim and the person's limit, at their edges, as mutation testing found
them untested (docs/testing.md, "payments/services at c. 19:00"): each refusal word for word
and beside its field, the amounts exactly at the bounds, and when a claim becomes overdue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import Claim, ClaimEvent, PaymentDetails
from payments.services import (
    ClaimError,
    claim_adjust_fee,
    claim_approve,
    claim_return,
    claim_submit,
    earnings_limit_set,
    is_overdue,
    payroll_reference_set,
)
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(representative) -> Claim:
    """The representative's claim (2 hours at £11.50, £23.00), sent for approval."""
    return claim_submit(claim=attended_claim(person=representative), by=representative)


def refusal(call) -> tuple[str, str | None]:
    with pytest.raises(ClaimError) as refused:
        call()
    return refused.value.message, refused.value.field


def test_each_refusal_of_a_change_to_the_fee_or_a_return_says_why_beside_its_field(sent, worker):
    lead = sent.opportunity.lead_worker
    assert refusal(lambda: claim_adjust_fee(claim=sent, by=lead, fee=Decimal("30"), reason="  ")) == (
        "Give a reason: the person sees it with their claim.",
        "reason",
    )
    assert refusal(lambda: claim_adjust_fee(claim=sent, by=lead, fee=Decimal("-0.01"), reason="Typo")) == (
        "The fee cannot be less than £0.",
        "fee",
    )
    assert refusal(lambda: claim_adjust_fee(claim=sent, by=lead, fee=Decimal("5000.01"), reason="Typo")) == (
        "The fee must be £5,000 or less.",
        "fee",
    )
    assert refusal(lambda: claim_return(claim=sent, by=lead, reason=" ")) == (
        "Say what needs to change: the person sees your words.",
        "reason",
    )
    # `worker` is the person's named worker: they see the claim but do not approve it.
    assert refusal(lambda: claim_approve(claim=sent, by=worker)) == (
        "Only the activity's lead worker or a manager can do this.",
        None,
    )
    claim_approve(claim=sent, by=lead)
    approved_twice = refusal(lambda: claim_approve(claim=sent, by=lead))
    assert approved_twice == ("This claim has already been approved.", None)
    assert refusal(lambda: claim_adjust_fee(claim=sent, by=lead, fee=Decimal("1"), reason="Late")) == (
        "The fee cannot change once the claim is approved.",
        None,
    )


def test_a_claim_for_an_activity_published_without_a_rate_says_to_set_the_fee_first(representative):
    claim = claim_submit(claim=attended_claim(person=representative, fee_amount=None), by=representative)
    assert refusal(lambda: claim_approve(claim=claim, by=claim.opportunity.lead_worker)) == (
        "This activity was published without a rate, so its fee is not set: "
        "change the fee, with a reason, before approving.",
        None,
    )


@pytest.mark.parametrize("fee", ["0", "0.50", "5000"])
def test_the_fee_may_be_changed_to_nothing_or_to_exactly_the_most(sent, fee):
    claim = claim_adjust_fee(claim=sent, by=sent.opportunity.lead_worker, fee=Decimal(fee), reason="Agreed")
    assert Claim.objects.get(pk=claim.pk).fee == Decimal(fee)


def test_a_reason_too_long_for_the_record_is_cut_not_refused(sent):
    """The service keeps what fits (the pages already refuse more): the first 300 characters
    of the reason for a fee, 500 of a return's words and of the history's line."""
    lead = sent.opportunity.lead_worker
    claim_adjust_fee(claim=sent, by=lead, fee=Decimal("30"), reason="a" * 600)
    claim_return(claim=sent, by=lead, reason="b" * 600)
    claim = Claim.objects.get(pk=sent.pk)
    assert claim.adjustment_reason == "a" * 300 and claim.return_reason == "b" * 500
    history = ClaimEvent.objects.filter(claim=claim).order_by("pk")
    changed, returned = history[1:3]  # after the claim was sent
    assert changed.reason == ("Fee changed from £23.00 to £30.00: " + "a" * 600)[:500]
    assert returned.reason == "b" * 500


def test_each_refusal_of_a_limit_or_a_reference_says_why_beside_its_field(representative):
    assert refusal(lambda: earnings_limit_set(person=representative, limit=Decimal("10"), period="day")) == (
        "Choose a week or a month.",
        "limit_period",
    )
    below_nothing = Decimal("-0.01")
    assert refusal(lambda: earnings_limit_set(person=representative, limit=below_nothing, period="week")) == (
        "The limit cannot be less than £0.",
        "earnings_limit",
    )
    assert refusal(
        lambda: earnings_limit_set(person=representative, limit=Decimal("100000.01"), period="week")
    ) == ("Enter a limit of £100,000 or less.", "earnings_limit")
    assert refusal(lambda: payroll_reference_set(person=representative, reference="x" * 41)) == (
        "Enter a reference of 40 characters or fewer.",
        "payroll_reference",
    )


@pytest.mark.parametrize("amount", ["0", "0.50", "100000"])
def test_a_limit_of_nothing_or_of_exactly_the_most_may_be_set(representative, amount):
    """£0 is a real limit: someone whose benefits allow no earnings at all."""
    earnings_limit_set(person=representative, limit=Decimal(amount), period="month")
    details = PaymentDetails.objects.get(person=representative)
    assert (details.earnings_limit, details.limit_period) == (Decimal(amount), "month")


def test_a_reference_of_exactly_40_characters_is_kept_without_its_spaces(representative):
    payroll_reference_set(person=representative, reference=" " + "R" * 40 + " ")
    assert PaymentDetails.objects.get(person=representative).payroll_reference == "R" * 40


def test_a_claim_is_overdue_from_the_day_after_the_target_until_it_is_paid(representative, settings):
    settings.PAYMENT_TARGET_DAYS = 14
    claim = Claim(person=representative, state=Claim.State.EXPORTED, activity_date=timezone.localdate())
    on_target_day = claim.activity_date + timedelta(days=14)
    assert is_overdue(claim, today=on_target_day) is False
    assert is_overdue(claim, today=on_target_day + timedelta(days=1)) is True
    assert is_overdue(claim, today=claim.activity_date) is False
    claim.state = Claim.State.PAID
    assert is_overdue(claim, today=on_target_day + timedelta(days=30)) is False
