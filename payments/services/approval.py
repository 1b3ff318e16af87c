"""Staff's part of a claim: changing the fee with a reason, returning it with words the person
reads, approving it (the lead worker of the opportunity or a manager, never one's own), and
how long it took to pay."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import to_pence

# The module, not the function: payments.receipts imports this package's errors, so either
# may be imported first without finding the other half-made.
from payments.models import (
    Claim,
    ClaimEvent,
)
from payments.services.errors import ClaimError
from payments.services.states import State, _lock, _move, _tell

# The most a worker may set a fee to: beyond it is a typo.
MOST_FEE = Decimal("5000")


def _approver(claim: Claim, by: User) -> None:
    if not by.has_perm("payments.approve_claim", claim):
        raise ClaimError("Only the activity's lead worker or a manager can do this.")


def claim_adjust_fee(*, claim: Claim, by: User, fee: Decimal, reason: str) -> Claim:
    reason = reason.strip()
    if not reason:
        raise ClaimError("Give a reason: the person sees it with their claim.", field="reason")
    if fee < 0:
        raise ClaimError("The fee cannot be less than £0.", field="fee")
    if fee > MOST_FEE:
        raise ClaimError(f"The fee must be £{MOST_FEE:,.0f} or less.", field="fee")
    with transaction.atomic():
        claim = _lock(claim)
        _approver(claim, by)
        if claim.state not in {State.DRAFT, State.SUBMITTED, State.RETURNED}:
            raise ClaimError("The fee cannot change once the claim is approved.")
        claim.adjusted_fee, claim.adjustment_reason = to_pence(fee), reason[:300]
        ClaimEvent.objects.create(
            claim=claim,
            from_state=claim.state,
            to_state=claim.state,
            actor=by,
            reason=f"Fee changed from £{claim.calculated_fee:,.2f} to £{claim.adjusted_fee:,.2f}: {reason}"[
                :500
            ],
        )
        claim.save()
    return claim


def claim_return(*, claim: Claim, by: User, reason: str) -> Claim:
    reason = reason.strip()
    if not reason:
        raise ClaimError("Say what needs to change: the person sees your words.", field="reason")
    with transaction.atomic():
        claim = _lock(claim)
        _approver(claim, by)
        _move(claim, State.RETURNED, actor=by, reason=reason[:500])
        claim.return_reason = reason[:500]
        claim.save()
        _tell(claim, "returned")
    return claim


def claim_approve(*, claim: Claim, by: User) -> Claim:
    with transaction.atomic():
        claim = _lock(claim)
        _approver(claim, by)
        if claim.state == State.APPROVED:
            raise ClaimError("This claim has already been approved.")
        opportunity = claim.opportunity
        if opportunity.is_paid and opportunity.fee_amount is None and claim.adjusted_fee is None:
            # Published before rate cards, or without one: nobody has said what it pays.
            raise ClaimError(
                "This activity was published without a rate, so its fee is not set: "
                "change the fee, with a reason, before approving."
            )
        _move(claim, State.APPROVED, actor=by)
        claim.approved_at, claim.approved_by = timezone.now(), by
        claim.save()
        _tell(claim, "approved")
    return claim


def days_to_pay(claim: Claim) -> int | None:
    return (claim.paid_on - claim.activity_date).days if claim.paid_on else None


def is_overdue(claim: Claim, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return claim.state != State.PAID and claim.activity_date < today - timedelta(
        days=settings.PAYMENT_TARGET_DAYS
    )
