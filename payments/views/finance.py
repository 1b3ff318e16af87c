"""Finance's pages (/payments/exports/): approved claims exported in a batch, once; each
batch's page and its CSV (the same file at every download); payments recorded by hand for a
batch or from the finance system's file; and the payroll references the CSV needs.

Only finance officers (payments.export_claims) use them: anyone else gets a 403."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from accounts.access_log import access_log_export
from accounts.models import User
from involvement.errors import attempt
from payments.forms_staff import PaidDateForm, PaidFileForm, PayrollReferenceForm
from payments.models import ExportBatch
from payments.selectors import batch_lines, batches, claims_approved_for_export
from payments.services import (
    PaidFileResult,
    batch_mark_paid,
    export_batch_create,
    export_csv,
    paid_file_record,
    payroll_reference_set,
)
from payments.views.review import claim_row, person_name

PAGE_SIZE = 25
# People without a payroll reference are listed on the batch page, each with a form; beyond
# this many, the page says how many more there are.
MOST_MISSING_SHOWN = 50


@dataclass(frozen=True)
class Waiting:
    count: int
    total: Decimal


def _waiting() -> Waiting:
    """Approved claims not yet exported: how many, and what they come to. The fee follows the
    person's choice (Claim.fee_payable), so it is summed here from a few columns per claim;
    two queries however many claims wait."""
    claims = claims_approved_for_export()
    rows = list(
        claims.select_related(None)
        .order_by()
        .only("pk", "choice", "calculated_fee", "adjusted_fee", "reduced_amount")
    )
    fees = sum((claim.fee_payable for claim in rows), Decimal("0.00"))
    expenses = sum((getattr(claim, "expenses_total", Decimal("0.00")) for claim in rows), Decimal("0.00"))
    return Waiting(count=len(rows), total=fees + expenses)


def _exports_page(
    request: HttpRequest, *, file_form: PaidFileForm | None = None, result: PaidFileResult | None = None
) -> HttpResponse:
    page = Paginator(batches().order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/finance_exports.html",
        {
            "waiting": _waiting(),
            "page": page,
            "file_form": file_form or PaidFileForm(),
            "result": result,
            "page_has_errors": bool(file_form is not None and file_form.errors),
        },
    )


@permission_required("payments.export_claims", raise_exception=True)
@require_safe
def exports(request: HttpRequest) -> HttpResponse:
    return _exports_page(request)


@permission_required("payments.export_claims", raise_exception=True)
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    """Every approved claim into one new batch. Two officers at once make one batch: the
    second finds nothing left (payments.services.exports)."""
    made: list[ExportBatch] = []

    def create() -> ExportBatch:
        batch = export_batch_create(by=request.user)
        made.append(batch)
        return batch

    if attempt(
        request,
        create,
        lambda batch: (
            f"Batch {batch.reference} made: {batch.claim_count} "
            f"{'claim' if batch.claim_count == 1 else 'claims'}, £{batch.total:,.2f}. "
            "Download it for finance."
        ),
    ):
        return redirect("payments:batch", made[0].pk)
    return redirect("payments:exports")


def _batch(batch_id: int) -> ExportBatch:
    batch = batches().filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such batch")  # pragma: no mutate: our 404 page never shows it
    return batch


def _missing_references(batch: ExportBatch) -> tuple[list[User], int]:
    """People in the batch with no payroll reference yet (the CSV needs one for each): the
    first few, and how many there are. Two queries however big the batch."""
    claims = (
        batch_lines(batch=batch)
        .filter(Q(person__payment_details__isnull=True) | Q(person__payment_details__payroll_reference=""))
        .prefetch_related(None)
        .select_related(None)
    )
    first = claims.select_related("person__profile").order_by("person_id", "pk").distinct("person_id")
    count = claims.order_by().values("person_id").distinct().count()
    return [claim.person for claim in first[:MOST_MISSING_SHOWN]], count


def _batch_page(
    request: HttpRequest,
    batch: ExportBatch,
    *,
    paid_form: PaidDateForm | None = None,
    reference_forms: dict[int, PayrollReferenceForm] | None = None,
) -> HttpResponse:
    reference_forms = reference_forms or {}
    claims = batch_lines(batch=batch).annotate(expenses_total=Sum("expenses__amount"))
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for claim in page.object_list:
        if claim.expenses_total is None:
            claim.expenses_total = Decimal("0.00")
        details = getattr(claim.person, "payment_details", None)
        rows.append((claim_row(claim), details.payroll_reference if details else ""))
    missing, missing_count = _missing_references(batch)
    return render(
        request,
        "payments/finance_batch.html",
        {
            "batch": batch,
            "page": page,
            "rows": rows,
            "unpaid": batch.claim_count - batch.paid_count,
            "paid_form": paid_form or PaidDateForm(),
            "missing": [
                (
                    person,
                    person_name_of(person),
                    reference_forms.get(person.pk) or PayrollReferenceForm(prefix=f"person-{person.pk}"),
                )
                for person in missing
            ],
            "missing_more": max(missing_count - len(missing), 0),
            "page_has_errors": bool(
                (paid_form is not None and paid_form.errors)
                or any(form.errors for form in reference_forms.values())
            ),
        },
    )


def person_name_of(person: User) -> str:
    profile = getattr(person, "profile", None)
    return getattr(profile, "display_name", "") or person.get_full_name() or person.email


@permission_required("payments.export_claims", raise_exception=True)
@require_safe
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_page(request, _batch(batch_id))


@permission_required("payments.export_claims", raise_exception=True)
@require_safe
def batch_download(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The batch as finance's CSV: built from claims that cannot change once exported, so the
    same bytes every time."""
    batch = _batch(batch_id)
    access_log_export(request=request, detail=f"Payments CSV: batch {batch.reference}")
    response = HttpResponse(export_csv(batch=batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="involvement-payments-{batch.reference}.csv"'
    return response


@permission_required("payments.export_claims", raise_exception=True)
@require_POST
def batch_paid(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(batch_id)
    form = PaidDateForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: batch_mark_paid(batch=batch, on=form.cleaned_data["paid_on"], by=request.user),
        lambda paid: (
            f"{paid} {'claim' if paid == 1 else 'claims'} marked paid. Each person has been told."
            if paid
            else "Every claim in this batch was already marked paid."
        ),
        form=form,
    ):
        return redirect("payments:batch", batch.pk)
    return _batch_page(request, batch, paid_form=form)


@permission_required("payments.export_claims", raise_exception=True)
@require_POST
def payroll_reference(request: HttpRequest, batch_id: int, person_id: int) -> HttpResponse:
    """Finance sets the reference it pays someone by, for a person in this batch."""
    batch = _batch(batch_id)
    line = batch_lines(batch=batch).filter(person_id=person_id).first()
    if line is None:
        raise Http404("No such person in this batch")  # pragma: no mutate: our 404 page never shows it
    person = line.person
    form = PayrollReferenceForm(request.POST, prefix=f"person-{person.pk}")
    if form.is_valid() and attempt(
        request,
        lambda: payroll_reference_set(person=person, reference=form.cleaned_data["reference"]),
        f"Payroll reference saved for {person_name(line)}. Download the batch again to include it.",
        form=form,
    ):
        return redirect("payments:batch", batch.pk)
    return _batch_page(request, batch, reference_forms={person.pk: form})


@permission_required("payments.export_claims", raise_exception=True)
@require_POST
def paid_file(request: HttpRequest) -> HttpResponse:
    """The finance system's CSV of payments: each line recorded on its own; the lines that
    could not be are listed by number on the page that follows."""
    form = PaidFileForm(request.POST, request.FILES)
    result: PaidFileResult | None = None

    def record() -> PaidFileResult:
        nonlocal result
        result = paid_file_record(content=form.cleaned_data["file"], by=request.user)
        return result

    if form.is_valid() and attempt(
        request,
        record,
        lambda done: (
            f"{done.paid} {'claim' if done.paid == 1 else 'claims'} marked paid. Each person has been told."
            if done.paid
            else ""
        ),
        form=form,
    ):
        if not result.problems:  # type: ignore[union-attr]
            return redirect("payments:exports")
        return _exports_page(request, result=result)
    return _exports_page(request, file_form=form)
