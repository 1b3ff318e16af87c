"""References: the person asks (/me/record/references/new/) and reads or downloads the one
written (/me/record/references/<id>/); the worker asked lists them (/worker/references/)
and writes one (/worker/references/<id>/)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from involvement.errors import attempt
from records.forms import ReferenceRequestForm, ReferenceWriteForm
from records.models import ReferenceRequest
from records.pdf import pdf_response
from records.permissions import get_reference_for_owner, get_reference_for_writer
from records.selectors import references_for_worker
from records.services import (
    RecordError,
    ReferenceAsk,
    reference_finish,
    reference_request_create,
    reference_save,
)

REPRESENTATIVE = "accounts.use_representative_area"
PAGE_SIZE = 20


@permission_required(REPRESENTATIVE, raise_exception=True)
def reference_new(request: HttpRequest) -> HttpResponse:
    profile = getattr(request.user, "profile", None)
    named_worker = profile.named_worker if profile else None
    form = ReferenceRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = ReferenceAsk(
            purpose=data["purpose"],
            role_title=data["role_title"],
            organisation=data["organisation"],
            deadline=data["deadline"],
            note=data["note"],
        )
        if attempt(
            request,
            lambda: reference_request_create(person=request.user, ask=ask),
            "Your request has been sent. We will tell you when the reference is ready.",
            form=form,
        ):
            return redirect("me:record")
    return render(
        request, "records/reference_request_form.html", {"form": form, "named_worker": named_worker}
    )


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def reference_detail(request: HttpRequest, reference_id: int) -> HttpResponse:
    """The request, and once written the reference itself, printable."""
    reference = get_reference_for_owner(request.user, reference_id)
    return render(request, "records/reference_detail.html", {"reference": reference})


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def reference_pdf(request: HttpRequest, reference_id: int) -> HttpResponse:
    reference = get_reference_for_owner(request.user, reference_id)
    if reference.state != ReferenceRequest.State.DONE:
        raise Http404("Not written yet")  # pragma: no mutate: our 404 page never shows it
    return pdf_response(
        "records/reference_pdf.html",
        {"reference": reference},
        filename=f"reference-{reference.written_at:%Y-%m-%d}.pdf",
    )


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_safe
def worker_references(request: HttpRequest) -> HttpResponse:
    page = Paginator(references_for_worker(worker=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "records/worker_references.html", {"page": page, "today": timezone.localdate()})


@permission_required("accounts.use_worker_area", raise_exception=True)
def worker_reference(request: HttpRequest, reference_id: int) -> HttpResponse:
    """Write the reference: save a draft, or finish it and tell the person."""
    reference = get_reference_for_writer(request.user, reference_id)
    form = ReferenceWriteForm(
        request.POST if request.method == "POST" else None, initial={"body": reference.body}
    )
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if "finish" in request.POST:
            done = attempt(
                request,
                lambda: reference_finish(reference=reference, by=request.user, body=body),
                "The reference has been sent. We have told the person it is ready.",
                form=form,
            )
        else:
            done = attempt(
                request,
                lambda: _draft(reference, request, body),
                "Your draft has been saved. The person cannot see it until you send it.",
                form=form,
            )
        if done:
            return redirect("worker:reference", reference.pk)
    return render(request, "records/worker_reference.html", {"reference": reference, "form": form})


def _draft(reference: ReferenceRequest, request: HttpRequest, body: str) -> ReferenceRequest:
    if not body.strip():
        raise RecordError("Write something before you save a draft", field="body")
    return reference_save(reference=reference, by=request.user, body=body)
