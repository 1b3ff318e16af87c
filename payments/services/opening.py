"""Opening claims: one per attended sign-up, by a job once the activity has ended, with the
fee from the rate promised when the opportunity was published."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from involvement.jobs import each_in_own_transaction
from opportunities.models import Attendance, SignUp

# The module, not the function: payments.receipts imports this package's errors, so either
# may be imported first without finding the other half-made.
from payments.models import (
    Claim,
    FeeChoice,
)
from payments.services.fees import fee_for


def attended_hours(signup: SignUp) -> tuple[Decimal, date | None]:
    """The hours of the sessions the person attended, and the day of the last of them."""
    sessions = [
        record.session
        for record in Attendance.objects.filter(signup=signup, attended=True).select_related("session")
    ]
    if not sessions:
        return Decimal("0.00"), None
    seconds = sum((session.ends_at - session.starts_at).total_seconds() for session in sessions)
    last = max(session.starts_at for session in sessions)
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01")), timezone.localdate(last)


def _calculated_fee(signup: SignUp, hours: Decimal) -> Decimal:
    opportunity = signup.opportunity
    if not opportunity.is_paid or opportunity.fee_amount is None:
        return Decimal("0.00")
    return fee_for(
        unit=opportunity.fee_unit,
        amount=opportunity.fee_amount,
        block_hours=opportunity.fee_block_hours,
        preparation_hours=opportunity.fee_preparation_hours or Decimal(0),
        hours=hours,
    )


def claim_open(*, signup: SignUp) -> Claim | None:
    """The claim for an attended sign-up, opened once: the fee from the rate promised when
    the opportunity was published and the hours recorded, and the person's usual choice.
    Running it again changes nothing."""
    existing = Claim.objects.filter(signup=signup).first()
    if existing is not None:
        return existing
    # Read again: the caller's copy may be from before the attendance was recorded.
    signup = SignUp.objects.select_related("person__profile", "opportunity").get(pk=signup.pk)
    if signup.state != SignUp.State.ATTENDED:
        return None
    hours, last_day = attended_hours(signup)
    if last_day is None:
        return None
    profile = getattr(signup.person, "profile", None)
    usual = getattr(profile, "payment_preference", "") or FeeChoice.FULL_FEE
    claim, _created = Claim.objects.get_or_create(
        signup=signup,
        defaults={
            "person": signup.person,
            "opportunity": signup.opportunity,
            "activity_date": last_day,
            "hours": hours,
            "calculated_fee": _calculated_fee(signup, hours),
            "choice": usual if usual in FeeChoice.values else FeeChoice.FULL_FEE,
        },
    )
    return claim


def claims_open(*, now: datetime | None = None) -> int:
    """The job: a claim for every attended sign-up of an activity that has ended. Idempotent;
    each claim in a transaction of its own."""
    now = now or timezone.now()
    signups = (
        SignUp.objects.filter(state=SignUp.State.ATTENDED, opportunity__ends_at__lte=now, claim__isnull=True)
        .select_related("person__profile", "opportunity")
        .order_by("pk")
    )
    return each_in_own_transaction(
        signups,
        lambda signup: int(claim_open(signup=signup) is not None),
        job="open claims",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda signup: f"sign-up {signup.pk}",
    )
