"""Certificates: the person builds one from their record, lists theirs, downloads the PDF
and withdraws one; anyone with the code reads it at /verify/<code>/ (verify.py)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.models import User
from involvement.errors import attempt
from records.forms import CertificateForm
from records.models import Certificate
from records.pdf import pdf_response
from records.permissions import get_certificate_for_owner
from records.presenters import activity_row, shared_certificate, training_rows
from records.selectors import activities_taken_part_in, certificates_of, training_of
from records.services import CertificateChoice, certificate_issue, certificate_withdraw

REPRESENTATIVE = "accounts.use_representative_area"
PAGE_SIZE = 20


def names_of(person: User) -> list[str]:
    """The names a person may put on a certificate: what we call them, and their full name
    if they gave one. Never one they type here: the certificate shows the account's names."""
    profile = getattr(person, "profile", None)
    names = [name for name in (getattr(profile, "display_name", ""), person.get_full_name()) if name]
    return list(dict.fromkeys(names)) or [person.email]


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("records:verify", args=[certificate.code])


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def certificate_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(certificates_of(person=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "records/certificate_list.html", {"page": page})


@permission_required(REPRESENTATIVE, raise_exception=True)
def certificate_new(request: HttpRequest) -> HttpResponse:
    person = request.user
    rows = [activity_row(signup) for signup in activities_taken_part_in(person=person)]
    training = training_rows(training_of(person=person))
    form = CertificateForm(
        request.POST if request.method == "POST" else None,
        names=names_of(person),
        activities=[(row.signup_id, f"{row.title}, {row.last_day:%B %Y}") for row in rows],
        training=[(row.id, f"{row.course}, {row.completed_on:%B %Y}") for row in training],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = CertificateChoice(
            name=data["name"],
            activity_ids={int(pk) for pk in data.get("activities", [])},
            training_ids={int(pk) for pk in data.get("training", [])},
            include_skills=data["include_skills"],
            include_statement=data["include_statement"],
            include_totals=bool(data.get("include_totals")),
        )
        made: list[Certificate] = []
        if attempt(
            request,
            lambda: made.append(certificate_issue(person=person, choice=choice)),
            "Your certificate has been made. Share its address or the PDF.",
            form=form,
        ):
            return redirect("me:certificate", made[0].pk)
    return render(request, "records/certificate_form.html", {"form": form, "has_anything": rows or training})


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_certificate_for_owner(request.user, certificate_id)
    return render(
        request,
        "records/certificate_detail.html",
        {
            "certificate": certificate,
            "shared": shared_certificate(certificate.content),
            "verify_url": verify_url(certificate),
        },
    )


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_certificate_for_owner(request.user, certificate_id)
    return pdf_response(
        "records/certificate_pdf.html",
        {
            "certificate": certificate,
            "shared": shared_certificate(certificate.content),
            "verify_url": verify_url(certificate),
        },
        filename=f"involvement-certificate-{certificate.created_at:%Y-%m-%d}.pdf",
    )


@permission_required(REPRESENTATIVE, raise_exception=True)
def certificate_withdraw_view(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """Ask first (GET), then withdraw (POST)."""
    certificate = get_certificate_for_owner(request.user, certificate_id)
    if request.method == "POST" and not certificate.is_withdrawn:
        attempt(
            request,
            lambda: certificate_withdraw(certificate=certificate, by=request.user),
            "The certificate has been withdrawn. Its address now says so.",
        )
        return redirect("me:certificate", certificate.pk)
    if request.method == "POST":
        return redirect("me:certificate", certificate.pk)
    return render(request, "records/certificate_withdraw.html", {"certificate": certificate})
