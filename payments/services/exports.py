"""The finance export and payment: approved claims go to finance in a batch, once; a batch
downloaded again is the same file; paid dates come back by hand or from the finance
system's CSV. The number of queries does not grow with the number of claims."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from involvement import csv_export
from involvement.jobs import each_in_own_transaction
from notifications.kinds import Kind
from notifications.services import message_create
from payments.models import Claim, ClaimEvent, ExpenseKind, ExpenseLine, ExportBatch, FeeChoice
from payments.services.errors import ClaimError

State = Claim.State
PENNY = Decimal("0.01")

COLUMNS = [
    "batch",
    "claim",
    "payroll_reference",
    "name",
    "line",
    "description",
    "amount",
    "taxable",
    "pay_to",
    "activity",
    "team",
    "activity_date",
]


def export_batch_create(*, by: User) -> ExportBatch:
    """Every approved claim, in one batch, marked exported in one statement. Two finance
    officers at once: the second waits for the first's locks, then finds nothing left.
    Seven queries however many claims: no query per claim, nor per thousand of them."""
    with transaction.atomic():
        # The rows locked and the few columns the fee needs, in one query.
        claims = list(
            Claim.objects.select_for_update()
            .filter(state=State.APPROVED)
            .order_by("pk")
            .only("pk", "choice", "calculated_fee", "adjusted_fee", "reduced_amount")
        )
        if not claims:
            raise ClaimError("There are no approved claims to export.")
        ids = [claim.pk for claim in claims]
        fees = sum((claim.fee_payable for claim in claims), Decimal("0.00"))
        expenses = ExpenseLine.objects.filter(claim_id__in=ids).aggregate(total=Sum("amount"))["total"] or 0
        today = timezone.localdate()
        count_today = ExportBatch.objects.filter(created_at__date=today).count()
        batch = ExportBatch.objects.create(
            reference=f"IH-{today:%Y%m%d}-{count_today + 1:03d}",
            created_by=by,
            claim_count=len(ids),
            total=fees + expenses,
        )
        Claim.objects.filter(pk__in=ids).update(state=State.EXPORTED, batch=batch, updated_at=timezone.now())
        # One INSERT for every history entry (PostgreSQL takes any number of rows in one).
        now = timezone.now()
        ClaimEvent.objects.bulk_create(
            ClaimEvent(
                claim_id=pk,
                from_state=State.APPROVED,
                to_state=State.EXPORTED,
                actor=by,
                reason=batch.reference,
                created_at=now,
            )
            for pk in ids
        )
    return batch


@dataclass(frozen=True)
class _ExportClaim:
    """What the file says about one claim, read as plain values (no model per row: a batch
    of 10,000 claims would otherwise build 60,000 objects for a file)."""

    pk: int
    fee: Decimal
    choice: str
    charity_name: str
    activity_date: date
    reference: str
    name: str
    activity: str
    team: str


def _export_claims(batch: ExportBatch) -> list[_ExportClaim]:
    rows = (
        Claim.objects.filter(batch=batch)
        .order_by("pk")
        .values_list(
            "pk",
            "choice",
            "calculated_fee",
            "adjusted_fee",
            "reduced_amount",
            "charity_name",
            "activity_date",
            "person__first_name",
            "person__last_name",
            "person__email",
            "person__payment_details__payroll_reference",
            "opportunity__title",
            "opportunity__team__name",
        )
    )
    claims = []
    for pk, choice, calculated, adjusted, reduced, charity, day, first, last, email, ref, title, team in rows:
        # The fee as the model works it out (Claim.fee_payable), from the same columns.
        fee = Claim(choice=choice, calculated_fee=calculated, adjusted_fee=adjusted, reduced_amount=reduced)
        name = f"{first} {last}".strip() or email or ""
        claims.append(
            _ExportClaim(pk, fee.fee_payable, choice, charity, day, ref or "", name, title, team or "")
        )
    return claims


def _lines(claim: _ExportClaim, batch: ExportBatch, expenses: list[tuple]) -> Iterable[list[Any]]:
    common = [batch.reference, claim.pk, claim.reference, claim.name]
    tail = [claim.activity, claim.team, claim.activity_date.isoformat()]
    if claim.fee > 0:
        # A fee paid to a charity is the charity's; a voucher is still the person's earnings.
        pay_to = (
            claim.charity_name
            if claim.choice == FeeChoice.CHARITY
            else ("voucher" if claim.choice == FeeChoice.VOUCHER else "person")
        )
        taxable = "no" if claim.choice == FeeChoice.CHARITY else "yes"
        label = FeeChoice(claim.choice).label
        yield [*common, "fee", label, claim.fee.quantize(PENNY), taxable, pay_to, *tail]
    for kind, description, workings, amount in expenses:
        # Expenses are repaid at cost: never income.
        label = ExpenseKind(kind).label
        yield [
            *common,
            f"expense: {label}",
            workings or description or label,
            amount.quantize(PENNY),
            "no",
            "person",
            *tail,
        ]


def export_csv(*, batch: ExportBatch) -> str:
    """The batch as finance's CSV: fees and expenses on separate lines. Built from the claims,
    which cannot change once exported, so every download is the same file (a payroll
    reference finance adds later is the one thing that can join it).

    Two queries however big the batch: its claims with the people, then all their expense
    lines, grouped here. Every cell goes through involvement.csv_export, so no name or title
    runs as a spreadsheet formula, and an empty cell stays empty."""
    claims = _export_claims(batch)
    expenses: dict[int, list[tuple]] = defaultdict(list)
    lines = (
        ExpenseLine.objects.filter(claim__batch=batch)
        .order_by("claim_id", "pk")
        .values_list("claim_id", "kind", "description", "mileage_workings", "amount")
    )
    for claim_id, *line in lines:
        expenses[claim_id].append(tuple(line))
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(COLUMNS)
    for claim in claims:
        writer.writerows(_lines(claim, batch, expenses[claim.pk]))
    return out.getvalue()


# --- payment ---------------------------------------------------------------------------------------


def _paid(claim: Claim, *, on: date, by: User) -> int:
    if claim.state == State.PAID:
        return 0
    if claim.state != State.EXPORTED:
        raise ClaimError(f"Claim {claim.pk} has not been exported, so it cannot be paid.")
    if on < claim.activity_date:
        # Paid before the activity cannot be right, and would count as negative days to pay.
        raise ClaimError(
            f"Claim {claim.pk} is for an activity on {claim.activity_date.day} "
            f"{claim.activity_date:%B %Y}: it cannot have been paid before then.",
            field="paid_on",
        )
    ClaimEvent.objects.create(
        claim=claim, from_state=claim.state, to_state=State.PAID, actor=by, reason=f"Paid on {on:%d %B %Y}"
    )
    claim.state, claim.paid_on = State.PAID, on
    claim.save(update_fields=["state", "paid_on", "updated_at"])
    message_create(
        recipient=claim.person,
        kind=Kind.CLAIM_UPDATE,
        dedupe_key=f"claim_paid:{claim.pk}",
        context={"claim": claim, "event": "paid", "target_days": settings.PAYMENT_TARGET_DAYS},
    )
    return 1


def _check_paid_date(on: date) -> None:
    if on > timezone.localdate():
        raise ClaimError("The paid date cannot be in the future.", field="paid_on")


def batch_mark_paid(*, batch: ExportBatch, on: date, by: User) -> int:
    """Every claim in the batch paid on one date, by hand. Claims already paid keep their date."""
    _check_paid_date(on)
    with transaction.atomic():
        claims = list(
            Claim.objects.select_for_update(of=("self",))
            .filter(batch=batch)
            .select_related("person__profile", "opportunity")
        )
        return sum(_paid(claim, on=on, by=by) for claim in claims)


@dataclass(frozen=True)
class PaidFileResult:
    paid: int
    problems: list[str]


def paid_file_record(*, content: str, by: User) -> PaidFileResult:
    """The finance system's CSV of payments: columns `claim` and `paid_on` (YYYY-MM-DD, or
    DD/MM/YYYY). Each row is recorded on its own: a row that cannot be (an unknown claim, a
    claim not exported, a bad date) is reported by its line number and the rest go on."""
    reader = csv.DictReader(io.StringIO(content))
    rows: list[tuple[int, str, str]] = []
    try:
        fields = {name.strip().lower() for name in (reader.fieldnames or [])}
        if not {"claim", "paid_on"} <= fields:
            raise ClaimError("The file needs a header row with the columns claim and paid_on.", field="file")
        for row in reader:
            # A row with more cells than the header has the rest as a list under None: ignored.
            cleaned = {
                (key or "").strip().lower(): value.strip()
                for key, value in row.items()
                if isinstance(key, str) and isinstance(value, str)
            }
            # The line the row ends on, as a spreadsheet numbers it (blank lines are skipped).
            rows.append((reader.line_num, cleaned.get("claim", ""), cleaned.get("paid_on", "")))
    except csv.Error:
        # Not a CSV file a reader can take (a cell longer than the csv module's limit, say).
        raise ClaimError("The file could not be read as a CSV file.", field="file") from None
    problems: list[str] = []

    def record(item: tuple[int, str, str]) -> int:
        number, claim_id, paid_on = item
        try:
            on = _parse_date(paid_on)
            _check_paid_date(on)
            claim = (
                Claim.objects.select_for_update(of=("self",))
                .select_related("person__profile", "opportunity")
                .get(pk=int(claim_id.removeprefix("claim ").strip()))
            )
            return _paid(claim, on=on, by=by)
        except (ValueError, Claim.DoesNotExist):
            problems.append(
                f"Line {number}: there is no claim {claim_id or '(blank)'}, "
                f"or {paid_on or '(blank)'} is not a date."
            )
        except ClaimError as error:
            problems.append(f"Line {number}: {error.message}")
        return 0

    paid = each_in_own_transaction(rows, record, job="payments file", item_id=lambda item: f"line {item[0]}")
    return PaidFileResult(paid=paid, problems=problems)


def _parse_date(text: str) -> date:
    if "/" in text:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)
