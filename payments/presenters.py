"""What a person sees of their claim, in plain English: its state in words, what happens
next, and what they may do now. Templates show these; they never compare states themselves."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from catalogue.models import PaymentPolicy
from payments.models import Claim, FeeChoice
from payments.permissions import EDITABLE
from payments.services.limits import LimitCheck

State = Claim.State

TAG_COLOURS: dict[str, str] = {
    State.DRAFT: "nhsuk-tag--grey",
    State.SUBMITTED: "nhsuk-tag--blue",
    State.RETURNED: "nhsuk-tag--orange",
    State.APPROVED: "nhsuk-tag--green",
    State.EXPORTED: "nhsuk-tag--purple",
    State.PAID: "nhsuk-tag--green",
}


def _next_step(state: str) -> str:
    days = settings.PAYMENT_TARGET_DAYS
    return {
        State.DRAFT: (
            "Check the fee, choose what you would like done with it, add any expenses, then send the claim."
        ),
        State.SUBMITTED: (
            "The worker who led the activity will check your claim. "
            "We will tell you when it is approved, or if something needs changing."
        ),
        State.RETURNED: "Read why it came back, change what is needed, then send it again.",
        State.APPROVED: (
            f"Your claim is approved. Finance will pay it; we aim to pay within {days} days of the activity."
        ),
        State.EXPORTED: "Finance has your claim and will pay it soon. We will tell you when it is paid.",
        State.PAID: "Paid. There is nothing more to do.",
    }[State(state)]


@dataclass(frozen=True)
class ClaimSummary:
    """A claim as the person reads it."""

    state_label: str
    tag_class: str
    next_step: str
    can_change: bool
    choice_words: str
    fee: Decimal
    fee_payable: Decimal
    expenses: Decimal
    total: Decimal


def choice_words(claim: Claim) -> str:
    """The person's choice about the fee, as a sentence."""
    if claim.choice == FeeChoice.REDUCED_FEE:
        return f"A smaller amount: £{claim.fee_payable:,.2f}"
    if claim.choice == FeeChoice.CHARITY:
        return f"Paid to {claim.charity_name}" if claim.charity_name else "Paid to a charity"
    if claim.choice == FeeChoice.VOUCHER:
        return "A voucher"
    if claim.choice == FeeChoice.DECLINE:
        return "No payment, thank you"
    return "The full fee"


def claim_summary(claim: Claim, expenses_total: Decimal | None = None) -> ClaimSummary:
    """`expenses_total`: the sum the selectors annotate (claims_of, claim_get); without it the
    claim's expenses are read (prefetched on the claim page)."""
    if expenses_total is None:
        expenses_total = getattr(claim, "expenses_total", None)
    if expenses_total is None:
        expenses_total = sum((line.amount for line in claim.expenses.all()), Decimal("0.00"))
    fee_payable = claim.fee_payable
    return ClaimSummary(
        state_label=claim.get_state_display(),
        tag_class=TAG_COLOURS[claim.state],
        next_step=_next_step(claim.state),
        can_change=claim.state in EDITABLE,
        choice_words=choice_words(claim),
        fee=claim.fee,
        fee_payable=fee_payable,
        expenses=expenses_total,
        total=fee_payable + expenses_total,
    )


@dataclass(frozen=True)
class LimitWarning:
    """What the person sees before choosing a fee that would take them past their own limit."""

    limit: Decimal
    period_name: str
    period_words: str
    left: Decimal
    # The full fee fits within what is left: no warning, no box to tick.
    fee_fits: bool


def limit_warning(claim: Claim, check: LimitCheck | None) -> LimitWarning | None:
    """None when the person has no limit, or the claim can no longer change."""
    if check is None or claim.state not in EDITABLE:
        return None
    return LimitWarning(
        limit=check.limit,
        period_name=check.period_name,
        period_words=check.period_words,
        left=check.left,
        fee_fits=check.allows(claim.fee),
    )


EVENT_WORDS: dict[str, str] = {
    State.SUBMITTED: "Sent for approval",
    State.RETURNED: "Returned to you",
    State.APPROVED: "Approved",
    State.EXPORTED: "Sent to finance",
    State.PAID: "Paid",
}


@dataclass(frozen=True)
class HistoryLine:
    when: datetime
    what: str
    by_you: bool
    reason: str


def claim_history(claim: Claim) -> list[HistoryLine]:
    """The claim's changes, oldest first, as the person reads them (the events are
    prefetched by claim_get). Who on the staff made a change is not named: the team is."""
    lines = [HistoryLine(when=claim.created_at, what="Claim opened", by_you=False, reason="")]
    for event in claim.events.all():
        what = EVENT_WORDS.get(event.to_state, "Changed") if event.from_state != event.to_state else "Changed"
        lines.append(
            HistoryLine(
                when=event.created_at,
                what=what,
                by_you=event.actor_id == claim.person_id,
                reason=event.reason,
            )
        )
    return lines


def promised_rate(claim: Claim) -> str:
    """The rate promised when the activity was published, as a sentence."""
    return claim.opportunity.promised_fee or "No fee was set for this activity"


def _pence(rate: Decimal) -> str:
    pence = rate * 100
    return f"{pence.normalize():f}p" if pence < 100 else f"£{rate:,.2f}"


def mileage_rates(policy: PaymentPolicy) -> str:
    """The mileage rates in force for a claim, as a sentence."""
    return (
        f"Travel by car or van is paid at {_pence(policy.car_rate)} a mile for the first "
        f"{policy.car_step_miles:,} miles in a tax year (6 April to 5 April), then "
        f"{_pence(policy.car_rate_after_step)} a mile. Each passenger adds {_pence(policy.passenger_rate)} "
        f"a mile. Motorcycles are paid {_pence(policy.motorcycle_rate)} a mile and bicycles "
        f"{_pence(policy.bicycle_rate)}."
    )
