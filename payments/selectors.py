"""Reads of claims, with what their pages need loaded in the same query."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from catalogue.models import Vehicle, tax_year_start
from payments.models import Claim, ClaimEvent, ExpenseKind, ExpenseLine, ExportBatch, PaymentDetails

ZERO = Decimal("0.00")
MONEY: DecimalField = DecimalField(max_digits=12, decimal_places=2)

# Not yet paid: what "overdue" and the time to pay are about.
UNPAID = [
    Claim.State.DRAFT,
    Claim.State.SUBMITTED,
    Claim.State.RETURNED,
    Claim.State.APPROVED,
    Claim.State.EXPORTED,
]


def _with_everything(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    return claims.select_related(
        "person__profile", "opportunity__lead_worker", "opportunity__team", "approved_by", "batch"
    ).annotate(expenses_total=Coalesce(Sum("expenses__amount"), Value(ZERO), output_field=MONEY))


def claim_get(*, claim_id: int) -> Claim | None:
    return (
        _with_everything(Claim.objects.filter(pk=claim_id))
        .prefetch_related(
            "expenses",
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor__profile")),
        )
        .first()
    )


def claims_of(*, person: User) -> QuerySet[Claim]:
    return _with_everything(Claim.objects.filter(person=person)).order_by("-activity_date", "-pk")


def claim_links_of(*, person: User) -> QuerySet[Claim]:
    """The person's claims as /me/ links them from their sign-ups: the sign-up, the claim's
    id and state, nothing more (claims_of reads the lot, with expenses summed: measured, it
    was the slowest of the page's queries)."""
    return Claim.objects.filter(person=person).only("pk", "signup_id", "state")


def claims_to_review(*, user: User, state: str | None = None, lead_only: bool = True) -> QuerySet[Claim]:
    """Claims a worker reviews: those of the opportunities they lead (a manager: all)."""
    claims = Claim.objects.exclude(person=user)
    if lead_only:
        claims = claims.filter(opportunity__lead_worker=user)
    if state:
        claims = claims.filter(state=state)
    return _with_everything(claims).order_by("activity_date", "pk")


def claims_approved_for_export() -> QuerySet[Claim]:
    return _with_everything(Claim.objects.filter(state=Claim.State.APPROVED)).order_by("activity_date", "pk")


def batches() -> QuerySet[ExportBatch]:
    return ExportBatch.objects.select_related("created_by__profile").annotate(
        paid_count=Coalesce(Sum(Value(1), filter=Q(claims__state=Claim.State.PAID)), Value(0))
    )


def batch_lines(*, batch: ExportBatch) -> QuerySet[Claim]:
    """The claims of a batch, each with its expense lines and the person's payroll reference,
    in a fixed order: the same batch always gives the same file."""
    return (
        Claim.objects.filter(batch=batch)
        .select_related("person__profile", "person__payment_details", "opportunity__team")
        .prefetch_related(Prefetch("expenses", queryset=ExpenseLine.objects.order_by("pk")))
        .order_by("pk")
    )


def overdue_claims(*, today: date | None = None, lead_worker: User | None = None) -> QuerySet[Claim]:
    """Claims not paid within the target days of the activity (PAYMENT_TARGET_DAYS)."""
    today = today or timezone.localdate()
    claims = Claim.objects.filter(
        state__in=UNPAID, activity_date__lt=today - timedelta(days=settings.PAYMENT_TARGET_DAYS)
    )
    if lead_worker is not None:
        claims = claims.filter(opportunity__lead_worker=lead_worker)
    return _with_everything(claims).order_by("activity_date", "pk")


def payment_details_of(*, person: User) -> PaymentDetails | None:
    return PaymentDetails.objects.filter(person=person).first()


def car_miles_before(*, person_id: int, day: date) -> Decimal:
    """Car miles the person has already claimed in the tax year holding `day` (6 April to 5
    April), in the order they were claimed: the 10,000-mile step counts from these. A line
    taken off a claim is deleted, so it never counts."""
    start = tax_year_start(day)
    lines = ExpenseLine.objects.filter(
        claim__person_id=person_id,
        kind=ExpenseKind.MILEAGE,
        vehicle=Vehicle.CAR,
        claim__activity_date__gte=start,
        claim__activity_date__lt=start.replace(year=start.year + 1),
    )
    total: Decimal = lines.aggregate(total=Coalesce(Sum("miles"), Value(Decimal("0"))))["total"]
    return total


def claim_events(*, claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("actor__profile")


def expense_line_get(*, line_id: int) -> ExpenseLine | None:
    """An expense line with its claim and what the receipt's permission check reads."""
    return (
        ExpenseLine.objects.filter(pk=line_id)
        .select_related("claim__person__profile", "claim__opportunity")
        .first()
    )
