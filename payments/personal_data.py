"""What payments holds about a person: claims, their history and expenses with receipts,
and their payment details (ADR 9, ADR 11, ADR 17).

Claims are kept with their amounts, dates and states: finance must keep payment records for
PAYMENT_RECORDS_YEARS (six by default), and the dashboard counts them. What a person or
staff wrote on them (reasons, descriptions) is wiped now, and receipt files are deleted from
disk. Their earnings limit goes now; the payroll reference, which finance pays them by and
matches its own records with, stays only while a claim of theirs was paid within the period.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from involvement.personal_data import PersonalDataProvider, RetentionRule, Section, rows
from payments.models import Claim, ClaimEvent, ExpenseLine, PaymentDetails


def export(person: User) -> list[Section]:
    return [
        (
            "Your payment details",
            rows(
                PaymentDetails.objects.filter(person=person),
                ["earnings_limit", "limit_period", "payroll_reference"],
            ),
        ),
        (
            "Your claims",
            rows(
                Claim.objects.filter(person=person).order_by("activity_date", "pk"),
                [
                    "pk",
                    "opportunity__title",
                    "activity_date",
                    "state",
                    "hours",
                    "calculated_fee",
                    "adjusted_fee",
                    "adjustment_reason",
                    "choice",
                    "reduced_amount",
                    "charity_name",
                    "return_reason",
                    "submitted_at",
                    "approved_at",
                    "paid_on",
                ],
            ),
        ),
        (
            "What happened to your claims",
            rows(
                ClaimEvent.objects.filter(claim__person=person).order_by("created_at", "pk"),
                ["claim_id", "created_at", "from_state", "to_state", "reason"],
            ),
        ),
        (
            # The receipts themselves are in the zip, under receipts/.
            "Your expenses",
            rows(
                ExpenseLine.objects.filter(claim__person=person).order_by("created_at", "pk"),
                [
                    "pk",
                    "claim_id",
                    "kind",
                    "description",
                    "amount",
                    "miles",
                    "vehicle",
                    "passengers",
                    "receipt_name",
                    "receipt",
                ],
            ),
        ),
    ]


def receipts(person: User) -> list[ExpenseLine]:
    """The expense lines with a receipt on disk, for the export's zip."""
    return list(ExpenseLine.objects.filter(claim__person=person).exclude(receipt=""))


def _paid_within_the_period(today) -> QuerySet[Claim]:
    """Claims finance must still be able to match to a payroll reference: paid within
    PAYMENT_RECORDS_YEARS, or approved and not yet paid."""
    since = today - timedelta(days=365 * settings.PAYMENT_RECORDS_YEARS)
    return Claim.objects.filter(
        Q(paid_on__gte=since) | Q(paid_on=None, state__in=[Claim.State.APPROVED, Claim.State.EXPORTED])
    )


def erase(person: User) -> None:
    lines = ExpenseLine.objects.filter(claim__person=person)
    for line in lines.exclude(receipt=""):
        line.receipt.delete(save=False)
    lines.update(description="", mileage_workings="", receipt="", receipt_name="", receipt_content_type="")
    Claim.objects.filter(person=person).update(adjustment_reason="", return_reason="")
    ClaimEvent.objects.filter(claim__person=person).update(reason="")
    if _paid_within_the_period(timezone.localdate()).filter(person=person).exists():
        PaymentDetails.objects.filter(person=person).update(earnings_limit=None)
    else:
        PaymentDetails.objects.filter(person=person).delete()


def _payment_records_days() -> int:
    return 365 * settings.PAYMENT_RECORDS_YEARS


def _payroll_references_due(now) -> QuerySet[PaymentDetails]:
    """Payment details of a closed account (erased, ADR 9) with no claim finance still needs:
    kept at erasure for the period, removed once it has passed."""
    still_needed = _paid_within_the_period(timezone.localdate(now)).filter(person=OuterRef("person"))
    return PaymentDetails.objects.filter(person__is_active=False).exclude(Exists(still_needed))


def _payroll_reference_delete(pk: int, now) -> int:
    details = _payroll_references_due(now).select_for_update(of=("self",)).filter(pk=pk).first()
    if details is None:
        return 0
    details.delete()
    return 1


def _receipt_days() -> int:
    return settings.RETENTION_RECEIPT_DAYS


def _receipts_due(now) -> QuerySet[ExpenseLine]:
    days = _receipt_days()
    if not days:
        return ExpenseLine.objects.none()
    cutoff = now - timedelta(days=days)
    # Paid that long ago, or never paid and not touched since (a claim left as a draft).
    old = Q(claim__paid_on__lt=cutoff.date()) | Q(claim__paid_on=None, claim__updated_at__lt=cutoff)
    return ExpenseLine.objects.filter(old).exclude(receipt="")


def _receipt_delete(pk: int, now) -> int:
    line = _receipts_due(now).select_for_update(of=("self",)).filter(pk=pk).first()
    if line is None:
        return 0
    name, storage = line.receipt.name, line.receipt.storage
    ExpenseLine.objects.filter(pk=pk).update(receipt="", receipt_name="", receipt_content_type="")
    # The file goes once the row says so: a rollback leaves both.
    transaction.on_commit(lambda: storage.delete(name))
    return 1


PROVIDER = PersonalDataProvider(
    order=20,
    models=(
        "payments.PaymentDetails",
        "payments.Claim",
        "payments.ClaimEvent",
        "payments.ExpenseLine",
        "payments.ExportBatch",
    ),
    export=export,
    erase=erase,
    retention=(
        RetentionRule(
            name="Receipts (the amounts stay)",
            setting="RETENTION_RECEIPT_DAYS",
            days=_receipt_days,
            due=_receipts_due,
            apply=_receipt_delete,
        ),
        RetentionRule(
            name="Payroll references of closed accounts, once finance no longer needs them",
            setting="PAYMENT_RECORDS_YEARS",
            days=_payment_records_days,
            due=_payroll_references_due,
            apply=_payroll_reference_delete,
        ),
    ),
    not_personal={
        "payments.ExportBatch": "A batch of claims sent to finance: reference, totals, who made it."
    },
)
