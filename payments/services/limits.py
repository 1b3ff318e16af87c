"""A person's own earnings limit (F3, and the research's warning that payment must not harm
someone's benefits): they may record a weekly or monthly limit, and a fee that would take
them past it is shown before they accept it, and refused by the service unless they say
they know. Expenses never count; vouchers do."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from catalogue.models import to_pence
from payments.models import Claim, LimitPeriod, PaymentDetails
from payments.services.errors import ClaimError

MOST_LIMIT = Decimal("100000")


@dataclass(frozen=True)
class LimitCheck:
    limit: Decimal
    period: str
    starts: date
    ends: date
    # Earnings from the person's other claims sent in the same period.
    earned: Decimal

    @property
    def left(self) -> Decimal:
        return max(self.limit - self.earned, Decimal("0.00"))

    def allows(self, earnings: Decimal) -> bool:
        """Exactly at the limit is allowed; a penny over is not."""
        return self.earned + earnings <= self.limit

    @property
    def period_name(self) -> str:
        return "weekly" if self.period == LimitPeriod.WEEK else "monthly"

    @property
    def period_words(self) -> str:
        if self.period == LimitPeriod.WEEK:
            return f"in the week of Monday {self.starts.day} {self.starts:%B %Y}"
        return f"in {self.starts:%B %Y}"


def limit_period(period: str, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or calendar month holding `day`."""
    if period == LimitPeriod.WEEK:
        starts = day - timedelta(days=day.weekday())
        return starts, starts + timedelta(days=6)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def earnings_limit_check(
    *, person: User, day: date, excluding_claim_id: int | None = None
) -> LimitCheck | None:
    """The person's limit for the period holding `day`, with what their other claims sent in
    that period already earn (a draft not yet sent counts when it is sent). None: no limit."""
    details = PaymentDetails.objects.filter(person=person).first()
    if details is None or details.earnings_limit is None:
        return None
    starts, ends = limit_period(details.limit_period, day)
    others = Claim.objects.filter(person=person, activity_date__range=(starts, ends)).exclude(
        state=Claim.State.DRAFT
    )
    if excluding_claim_id is not None:
        others = others.exclude(pk=excluding_claim_id)
    earned = sum((claim.earnings for claim in others), Decimal("0.00"))
    return LimitCheck(
        limit=details.earnings_limit, period=details.limit_period, starts=starts, ends=ends, earned=earned
    )


def earnings_limit_set(*, person: User, limit: Decimal | None, period: str) -> PaymentDetails:
    """Record, change or remove (None) the person's own limit."""
    if period not in LimitPeriod.values:
        raise ClaimError("Choose a week or a month.", field="limit_period")
    if limit is not None and limit < 0:
        raise ClaimError("The limit cannot be less than £0.", field="earnings_limit")
    if limit is not None and limit > MOST_LIMIT:
        raise ClaimError("Enter a limit of £100,000 or less.", field="earnings_limit")
    with transaction.atomic():
        details, _created = PaymentDetails.objects.select_for_update().get_or_create(person=person)
        details.earnings_limit = to_pence(limit) if limit is not None else None
        details.limit_period = period
        details.save()
    return details


def payroll_reference_set(*, person: User, reference: str) -> PaymentDetails:
    """Finance's reference for paying the person, set by a finance officer."""
    reference = reference.strip()
    if len(reference) > 40:
        raise ClaimError("Enter a reference of 40 characters or fewer.", field="payroll_reference")
    with transaction.atomic():
        details, _created = PaymentDetails.objects.select_for_update().get_or_create(person=person)
        details.payroll_reference = reference
        details.save()
    return details
