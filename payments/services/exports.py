"""The finance export and payment: approved claims go to finance in a batch, once; a batch
downloaded again is the same file; paid dates come back by hand or from the finance
system's CSV. The number of queries does not grow with the number of claims."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from involvement.jobs import each_in_own_transaction
from notifications.kinds import Kind
from notifications.services import message_create
from payments.models import Claim, ClaimEvent, ExpenseLine, ExportBatch, FeeChoice
from payments.selectors import batch_lines
from payments.services.errors import ClaimError

State = Claim.State

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
    officers at once: the second waits for the first's locks, then finds nothing left."""
    with transaction.atomic():
        ids = list(
            Claim.objects.select_for_update()
            .filter(state=State.APPROVED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            raise ClaimError("There are no approved claims to export.")
        fees = {
            claim.pk: claim.fee_payable
            for claim in Claim.objects.filter(pk__in=ids).only(
                "pk", "choice", "calculated_fee", "adjusted_fee", "reduced_amount"
            )
        }
        expenses = ExpenseLine.objects.filter(claim_id__in=ids).aggregate(total=Sum("amount"))["total"] or 0
        today = timezone.localdate()
        count_today = ExportBatch.objects.filter(created_at__date=today).count()
        batch = ExportBatch.objects.create(
            reference=f"IH-{today:%Y%m%d}-{count_today + 1:03d}",
            created_by=by,
            claim_count=len(ids),
            total=sum(fees.values(), Decimal("0.00")) + expenses,
        )
        Claim.objects.filter(pk__in=ids).update(state=State.EXPORTED, batch=batch, updated_at=timezone.now())
        ClaimEvent.objects.bulk_create(
            [
                ClaimEvent(
                    claim_id=pk,
                    from_state=State.APPROVED,
                    to_state=State.EXPORTED,
                    actor=by,
                    reason=batch.reference,
                )
                for pk in ids
            ],
            batch_size=2000,
        )
    return batch


def _lines(claim: Claim, batch: ExportBatch) -> Iterable[list[str]]:
    details = getattr(claim.person, "payment_details", None)
    reference = details.payroll_reference if details else ""
    name = claim.person.get_full_name() or claim.person.email
    common = [batch.reference, str(claim.pk), reference, name]
    tail = [claim.opportunity.title, claim.opportunity.team.name, claim.activity_date.isoformat()]
    fee = claim.fee_payable
    if fee > 0:
        # A fee paid to a charity is the charity's; a voucher is still the person's earnings.
        pay_to = (
            claim.charity_name
            if claim.choice == FeeChoice.CHARITY
            else ("voucher" if claim.choice == FeeChoice.VOUCHER else "person")
        )
        taxable = "no" if claim.choice == FeeChoice.CHARITY else "yes"
        yield [*common, "fee", claim.get_choice_display(), f"{fee:.2f}", taxable, pay_to, *tail]
    for line in claim.expenses.all():
        # Expenses are repaid at cost: never income.
        description = line.mileage_workings or line.description or line.get_kind_display()
        yield [
            *common,
            f"expense: {line.get_kind_display()}",
            description,
            f"{line.amount:.2f}",
            "no",
            "person",
            *tail,
        ]


def export_csv(*, batch: ExportBatch) -> str:
    """The batch as finance's CSV: fees and expenses on separate lines. Built from the claims,
    which cannot change once exported, so every download is the same file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for claim in batch_lines(batch=batch).iterator(chunk_size=2000):
        for row in _lines(claim, batch):
            # A cell that starts with =, +, - or @ is a formula to a spreadsheet: quote it.
            writer.writerow(
                [f"'{cell}" if cell[:1] in "=+-@" and not _is_number(cell) else cell for cell in row]
            )
    return out.getvalue()


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell)
    except ArithmeticError:
        return False
    return True


# --- payment ---------------------------------------------------------------------------------------


def _paid(claim: Claim, *, on: date, by: User) -> int:
    if claim.state == State.PAID:
        return 0
    if claim.state != State.EXPORTED:
        raise ClaimError(f"Claim {claim.pk} has not been exported, so it cannot be paid.")
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
