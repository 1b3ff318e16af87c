"""The payments section's figures (docs/metrics.md, "Payments"): claims by the day of the
activity they pay for, one aggregate query per table."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from dashboard.scope import Scope, ratio, scope_opportunity_filter, small
from payments.models import Claim, ExpenseLine, FeeChoice


class Median(Aggregate):
    """PostgreSQL's median: the 50th percentile, interpolated between the middle two."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


# What is paid out as a fee, as Claim.fee_payable: nothing when declined, the smaller amount
# (never more than the fee) when reduced, else the fee, adjusted or as calculated.
FEE = Coalesce(F("adjusted_fee"), F("calculated_fee"))
FEE_PAYABLE = Case(
    When(choice=FeeChoice.DECLINE, then=Value(Decimal("0.00"))),
    When(
        choice=FeeChoice.REDUCED_FEE, then=Least(Coalesce(F("reduced_amount"), Value(Decimal("0.00"))), FEE)
    ),
    default=FEE,
    output_field=DecimalField(max_digits=12, decimal_places=2),
)
# Days from the activity to the payment: PostgreSQL subtracts dates as whole days.
DAYS_TO_PAY = RawSQL('"payments_claim"."paid_on" - "payments_claim"."activity_date"', (), IntegerField())
MONEY: DecimalField = DecimalField(max_digits=12, decimal_places=2)
ZERO_POUNDS = Value(Decimal("0.00"), output_field=MONEY)


def _claims(scope: Scope) -> QuerySet[Claim]:
    """Claims in scope: the activity (the last session the person attended) in the period,
    the opportunity in the team and type chosen. Expenses are summed per claim in a
    subquery, so a claim with several lines is never counted twice."""
    claims = Claim.objects.filter(activity_date__gte=scope.start, activity_date__lte=scope.end)
    if scope.team_id or scope.activity_type_id:
        claims = claims.filter(scope_opportunity_filter(scope))
    expenses = (
        ExpenseLine.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return claims.annotate(expenses_sum=Coalesce(Subquery(expenses, output_field=MONEY), ZERO_POUNDS))


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def payments(scope: Scope, *, target_days: int | None = None) -> dict:
    target = settings.PAYMENT_TARGET_DAYS if target_days is None else target_days
    claims = _claims(scope)
    by_status = {
        row["state"]: row
        for row in claims.order_by()
        .values("state")
        .annotate(count=Count("pk"), fee_total=Sum(FEE_PAYABLE), expense_total=Sum("expenses_sum"))
    }
    paid = claims.filter(state=Claim.State.PAID)

    def paid_by(field: str) -> list[dict]:
        rows = (
            paid.order_by()
            .values(field)
            .annotate(count=Count("pk"), fee_total=Sum(FEE_PAYABLE), expense_total=Sum("expenses_sum"))
            .order_by(field)
        )
        return [
            {
                "name": row[field],
                "claims": small(row["count"]),
                "fees": _money(row["fee_total"]),
                "expenses": _money(row["expense_total"]),
                "total": _money(row["fee_total"]) + _money(row["expense_total"]),
            }
            for row in rows
        ]

    # A claim is due once its target day has passed, or once it is paid (early or not).
    due_by = timezone.localdate() - timedelta(days=target)
    timing = claims.aggregate(
        median_days=Median(DAYS_TO_PAY, filter=Q(state=Claim.State.PAID)),
        due=Count("pk", filter=Q(state=Claim.State.PAID) | Q(activity_date__lt=due_by)),
        in_time=Count("pk", filter=Q(state=Claim.State.PAID, paid_on__lte=F("activity_date") + target)),
        sent=Count("pk", filter=~Q(state=Claim.State.DRAFT)),
        declined=Count("pk", filter=~Q(state=Claim.State.DRAFT) & Q(choice=FeeChoice.DECLINE)),
    )
    return {
        "by_status": [
            {
                "state": label,
                "claims": small(by_status.get(state, {}).get("count", 0)),
                "fees": _money(by_status.get(state, {}).get("fee_total")),
                "expenses": _money(by_status.get(state, {}).get("expense_total")),
            }
            for state, label in Claim.State.choices
        ],
        "by_team": paid_by("opportunity__team__name"),
        "by_type": paid_by("opportunity__activity_type__name"),
        "median_days_to_pay": None if timing["median_days"] is None else round(timing["median_days"], 1),
        "target_days": target,
        "paid_in_time_share": ratio(timing["in_time"], timing["due"]),
        "declined_share": ratio(timing["declined"], timing["sent"]),
    }
