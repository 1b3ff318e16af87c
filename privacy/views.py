"""Data rights pages (issue 16): /me/data/ for the person, the administrators' review of
erasure requests, and recording a request made by phone or letter from a person's page.
Downloading a copy and deciding on an erasure both ask for the password again (allauth)."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from accounts.permissions import get_person_for_staff, is_administrator, is_worker
from accounts.selectors import person_get
from involvement.errors import ServiceError, attempt
from privacy.forms import DecisionForm, ErasureRequestForm, StaffRequestForm
from privacy.models import DataRequest
from privacy.retention import retention_report
from privacy.services import (
    erasure_blockers,
    erasure_confirm,
    erasure_decline,
    erasure_request,
    export_file,
    export_request,
)

REQUESTS_SHOWN = 50


def _my_page(request: HttpRequest, erasure_form: ErasureRequestForm | None = None) -> HttpResponse:
    erasure_form = erasure_form or ErasureRequestForm()
    mine = DataRequest.objects.filter(person=request.user)
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": mine.filter(kind=DataRequest.Kind.EXPORT)[:10],
            "pending_erasure": mine.filter(
                kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
            ).first(),
            "erasure_form": erasure_form,
            # The page's title starts "Error: " (base.html) when the form came back with errors.
            "page_has_errors": bool(erasure_form.errors),
            "now": timezone.now(),
        },
    )


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return _my_page(request)


@require_POST
def my_export(request: HttpRequest) -> HttpResponse:
    attempt(
        request,
        lambda: export_request(person=request.user, by=request.user),
        "We are making a copy of your data. We will send you a message with a link when it is ready.",
    )
    return redirect("privacy:my_data")


@require_POST
def my_erasure(request: HttpRequest) -> HttpResponse:
    form = ErasureRequestForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: erasure_request(person=request.user, by=request.user),
        "We have your request. An administrator will review it and we will close your account.",
        form=form,
    ):
        return redirect("privacy:my_data")
    return _my_page(request, erasure_form=form)


@require_safe
def export_download(request: HttpRequest, request_id: int) -> HttpResponse:
    """Someone else's copy is a 404 before anything else; the person logs in again first."""
    data_request = get_object_or_404(DataRequest, pk=request_id, person=request.user)
    return _download(request, data_request)


@reauthentication_required
def _download(request: HttpRequest, data_request: DataRequest) -> HttpResponse:
    try:
        path = export_file(request=data_request, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect("privacy:my_data")
    if not path.is_file():
        raise Http404("No such file")
    return FileResponse(path.open("rb"), as_attachment=True, filename="your-data.zip")


@permission_required("privacy.review_requests", raise_exception=True)
@require_safe
def requests_list(request: HttpRequest) -> HttpResponse:
    requests = DataRequest.objects.select_related(
        "person__profile", "requested_by__profile", "decided_by__profile"
    )
    return render(
        request,
        "privacy/requests.html",
        {
            "pending": requests.filter(kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING),
            "recent": requests.exclude(kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING)[
                :REQUESTS_SHOWN
            ],
        },
    )


@permission_required("privacy.review_requests", raise_exception=True)
@require_safe
def retention(request: HttpRequest) -> HttpResponse:
    """What the nightly retention job would change now: read before it runs."""
    return render(request, "privacy/retention.html", {"lines": retention_report()})


@permission_required("privacy.review_requests", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
@reauthentication_required
def request_review(request: HttpRequest, request_id: int) -> HttpResponse:
    data_request = get_object_or_404(
        DataRequest.objects.select_related("person__profile"), pk=request_id, kind=DataRequest.Kind.ERASURE
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        decide = erasure_confirm if confirm else erasure_decline
        done = (
            "The person's data has been erased and their account closed."
            if confirm
            else "The request was declined."
        )
        if attempt(request, lambda: decide(request=data_request, by=request.user), done, form=form):
            return redirect("privacy:requests")
    return render(
        request,
        "privacy/review.html",
        {
            "data_request": data_request,
            "form": form,
            "blockers": erasure_blockers(person=data_request.person)
            if data_request.status == DataRequest.Status.PENDING
            else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def person_request(request: HttpRequest, person_id: int) -> HttpResponse:
    """Administrators, and workers who may see the person (a 404 for one who may not, as on
    the person's page); a 403 for anyone else."""
    if is_administrator(request.user):
        person = person_get(person_id=person_id)
        if person is None:
            raise Http404("No such person")
    elif is_worker(request.user):
        person = get_person_for_staff(request.user, person_id)
    else:
        raise PermissionDenied
    form = StaffRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        record = export_request if data["kind"] == DataRequest.Kind.EXPORT else erasure_request
        if attempt(
            request,
            lambda: record(person=person, by=request.user, channel=data["channel"]),
            "The request has been recorded.",
            form=form,
        ):
            return redirect("privacy:person_request", person_id=person.pk)
    return render(
        request,
        "privacy/person_request.html",
        {
            "person": person,
            "form": form,
            "requests": DataRequest.objects.filter(person=person)[:REQUESTS_SHOWN],
        },
    )
