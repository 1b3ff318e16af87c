"""The person's part of a claim: their choice about the fee, expenses and receipts, and
sending it. Every change locks the claim's row and re-reads its state first (states.py), so a
claim never changes under someone who is looking at it."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.models import PaymentPolicy, Vehicle, to_pence
from catalogue.selectors import policy_in_force

# The module, not the function: payments.receipts imports this package's errors, so either
# may be imported first without finding the other half-made.
from payments import receipts
from payments.models import (
    EARNING_CHOICES,
    Claim,
    ExpenseKind,
    ExpenseLine,
    FeeChoice,
    PaymentDetails,
)
from payments.selectors import car_miles_before
from payments.services.errors import ClaimError
from payments.services.fees import mileage_for
from payments.services.limits import LimitCheck, earnings_limit_check
from payments.services.opening import _calculated_fee, attended_hours
from payments.services.states import EDITABLE, State, _lock, _move

# The most one expense line may be, and the most miles: beyond them is a typo.
MOST_EXPENSE = Decimal("1000")
MOST_MILES = Decimal("1000")
# "Near their limit": at or past this share of a person's own limit in the claim's period.
NEAR_LIMIT_SHARE = Decimal("0.9")


@dataclass(frozen=True)
class ChoiceData:
    choice: str
    reduced_amount: Decimal | None = None
    charity_name: str = ""
    past_limit_confirmed: bool = False


def _check_choice(claim: Claim, data: ChoiceData) -> None:
    if data.choice not in FeeChoice.values:
        raise ClaimError("Choose what you would like done with the fee.", field="choice")
    if data.choice == FeeChoice.REDUCED_FEE:
        if data.reduced_amount is None:
            raise ClaimError("Enter the amount you would like, in pounds and pence.", field="reduced_amount")
        if data.reduced_amount <= 0:
            raise ClaimError(
                "The amount must be more than £0. To take nothing, choose “No payment, thank you”.",
                field="reduced_amount",
            )
        if data.reduced_amount > claim.fee:
            raise ClaimError(
                f"The amount must be no more than the fee, £{claim.fee:,.2f}.", field="reduced_amount"
            )
    if data.choice == FeeChoice.CHARITY and not data.charity_name.strip():
        raise ClaimError("Enter the name of the charity.", field="charity_name")


def _earnings_of(claim: Claim, data: ChoiceData) -> Decimal:
    if data.choice not in EARNING_CHOICES:
        return Decimal("0.00")
    if data.choice == FeeChoice.REDUCED_FEE:
        return to_pence(min(data.reduced_amount or Decimal(0), claim.fee))
    return claim.fee


def _check_limit(claim: Claim, data: ChoiceData) -> LimitCheck | None:
    """The earnings-limit rule, checked by the service whatever the form did: a fee that takes
    the person past their own limit is refused unless they have said they know."""
    check = earnings_limit_check(person=claim.person, day=claim.activity_date, excluding_claim_id=claim.pk)
    if check is None:
        return None
    earnings = _earnings_of(claim, data)
    if not check.allows(earnings) and not data.past_limit_confirmed:
        raise ClaimError(
            f"This would take you past your {check.period_name} earnings limit of £{check.limit:,.2f}: "
            f"you have £{check.left:,.2f} left {check.period_words}. You could take a smaller amount, "
            "ask for it to go to a charity, or take no payment, or tick the box to say you know.",
            field="choice",
        )
    return check


def claim_choose(*, claim: Claim, by: User, data: ChoiceData) -> Claim:
    """The person's choice about the fee for this activity."""
    with transaction.atomic():
        claim = _lock(claim)
        _editable_by_owner(claim, by)
        _check_choice(claim, data)
        _check_limit(claim, data)
        claim.choice = data.choice
        claim.reduced_amount = (
            to_pence(data.reduced_amount)
            if data.choice == FeeChoice.REDUCED_FEE and data.reduced_amount
            else None
        )
        claim.charity_name = data.charity_name.strip() if data.choice == FeeChoice.CHARITY else ""
        claim.past_limit_confirmed = data.past_limit_confirmed
        claim.save()
    return claim


def _editable_by_owner(claim: Claim, by: User) -> None:
    if claim.person_id != by.pk:
        raise ClaimError("Only the person claiming can change this claim.")
    if claim.state not in EDITABLE:
        raise ClaimError(
            "This claim has been sent, so it can no longer be changed. "
            "Contact the involvement team if something is wrong."
        )


@dataclass(frozen=True)
class ExpenseData:
    kind: str
    amount: Decimal | None = None
    description: str = ""
    miles: Decimal | None = None
    vehicle: str = ""
    passengers: int = 0
    receipt: UploadedFile | None = None


def expense_add(*, claim: Claim, by: User, data: ExpenseData) -> ExpenseLine:
    """Add an expense: repaid at cost, never a fee and never earnings. Mileage is worked out
    from the payment policy in force on the day of the activity, with the 10,000-mile step
    counted over the person's car miles in that tax year."""
    if data.kind not in ExpenseKind.values:
        raise ClaimError("Choose the kind of expense.", field="kind")
    content_type, receipt_name = "", ""
    if data.receipt is not None:
        content_type = receipts.receipt_check(data.receipt)
        receipt_name = (data.receipt.name or "receipt")[-200:]
    with transaction.atomic():
        claim = _lock(claim)
        _editable_by_owner(claim, by)
        policy = policy_in_force(day=claim.activity_date)
        line = ExpenseLine(
            claim=claim,
            kind=data.kind,
            description=data.description.strip()[:200],
            receipt_content_type=content_type,
            receipt_name=receipt_name,
        )
        if data.kind == ExpenseKind.MILEAGE:
            _mileage(line, claim, data, policy)
        else:
            if data.amount is None:
                raise ClaimError("Enter the amount, in pounds and pence.", field="amount")
            if data.amount <= 0:
                raise ClaimError("The amount must be more than £0.", field="amount")
            if data.amount > MOST_EXPENSE:
                raise ClaimError(
                    f"The amount must be £{MOST_EXPENSE:,.0f} or less. "
                    "For more, talk to the involvement team.",
                    field="amount",
                )
            line.amount = to_pence(data.amount)
            if data.kind == ExpenseKind.MEAL and policy is not None:
                meals = sum(
                    (expense.amount for expense in claim.expenses.filter(kind=ExpenseKind.MEAL)), Decimal(0)
                )
                if meals + line.amount > policy.meal_limit:
                    raise ClaimError(
                        f"Meals are repaid up to £{policy.meal_limit:,.2f} for a day: "
                        f"£{max(policy.meal_limit - meals, Decimal(0)):,.2f} is left on this claim.",
                        field="amount",
                    )
        if data.receipt is not None:
            line.receipt.save(_receipt_filename(content_type), data.receipt, save=False)
        line.save()
    return line


def _receipt_filename(content_type: str) -> str:
    # Our own name, never the uploaded one: it may hold a person's name or a path trick.
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
    return f"receipt.{extension.get(content_type, 'bin')}"


def _mileage(line: ExpenseLine, claim: Claim, data: ExpenseData, policy: PaymentPolicy | None) -> None:
    if policy is None:
        raise ClaimError("Mileage cannot be worked out yet: the Trust has no mileage rates for that day.")
    if data.vehicle not in Vehicle.values:
        raise ClaimError("Choose how you travelled.", field="vehicle")
    if data.miles is None or data.miles <= 0:
        raise ClaimError("Enter the miles you travelled, for example 12.5.", field="miles")
    if data.miles > MOST_MILES:
        raise ClaimError(f"Enter {MOST_MILES:,.0f} miles or fewer for one activity.", field="miles")
    if data.passengers < 0 or data.passengers > 8:
        raise ClaimError("Enter between 0 and 8 passengers.", field="passengers")
    if data.vehicle != Vehicle.CAR and data.passengers:
        raise ClaimError("Passengers are paid only in a car or van.", field="passengers")
    # One person's miles are counted one line at a time, so that two lines added at once
    # cannot both be paid at the higher rate past the step.
    PaymentDetails.objects.get_or_create(person_id=claim.person_id)
    PaymentDetails.objects.select_for_update().get(person_id=claim.person_id)
    before = car_miles_before(person_id=claim.person_id, day=claim.activity_date)
    miles = data.miles.quantize(Decimal("0.1"))
    mileage = mileage_for(
        policy=policy, vehicle=data.vehicle, miles=miles, passengers=data.passengers, car_miles_before=before
    )
    line.miles, line.vehicle, line.passengers = miles, data.vehicle, data.passengers
    line.amount, line.mileage_workings = mileage.amount, mileage.workings


def expense_remove(*, line: ExpenseLine, by: User) -> None:
    with transaction.atomic():
        claim = _lock(line.claim)
        _editable_by_owner(claim, by)
        line = ExpenseLine.objects.get(pk=line.pk, claim=claim)
        if line.receipt:
            line.receipt.delete(save=False)
        line.delete()


def claim_submit(*, claim: Claim, by: User) -> Claim:
    """Send the claim for approval. The hours are read again (attendance recorded late
    counts), and the earnings limit is checked again, as the rule is the service's."""
    with transaction.atomic():
        claim = _lock(claim)
        _editable_by_owner(claim, by)
        hours, _last = attended_hours(claim.signup)
        if claim.adjusted_fee is None and hours != claim.hours:
            claim.hours, claim.calculated_fee = hours, _calculated_fee(claim.signup, hours)
        data = ChoiceData(
            choice=claim.choice,
            reduced_amount=claim.reduced_amount,
            charity_name=claim.charity_name,
            past_limit_confirmed=claim.past_limit_confirmed,
        )
        _check_choice(claim, data)
        check = _check_limit(claim, data)
        claim.near_limit = _near(check, claim.earnings)
        claim.over_hours_cap = _over_hours_cap(claim)
        _move(claim, State.SUBMITTED, actor=by)
        claim.submitted_at = timezone.now()
        claim.return_reason = ""
        claim.save()
    return claim


def _over_hours_cap(claim: Claim) -> bool:
    """Whether the person's paid hours in the claim's calendar month, counting this claim and
    the others they have sent, pass the cap in the payment policy of the day (if it has one).
    Only claims with a fee count: hours on an unpaid activity, or declined, are not paid."""
    policy = policy_in_force(day=claim.activity_date)
    if policy is None or policy.monthly_paid_hours_cap is None or claim.fee_payable <= 0:
        return False
    day = claim.activity_date
    others = (
        Claim.objects.filter(
            person_id=claim.person_id, activity_date__year=day.year, activity_date__month=day.month
        )
        .exclude(pk=claim.pk)
        .exclude(state=State.DRAFT)
    )
    hours = claim.hours + sum((other.hours for other in others if other.fee_payable > 0), Decimal(0))
    return hours > policy.monthly_paid_hours_cap


def _near(check: LimitCheck | None, earnings: Decimal) -> bool:
    return check is not None and check.earned + earnings >= check.limit * NEAR_LIMIT_SHARE
