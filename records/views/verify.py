"""/verify/<code>/: a certificate as the person chose to share it, for anyone with the code
(no log-in), rate-limited per client address (ADR 0015)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from records.presenters import shared_certificate
from records.ratelimit import verify_lookup_allowed, window_seconds
from records.selectors import certificate_by_code


@login_not_required
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    # Counted before the lookup, found or not: that is what makes guessing slow.
    if not verify_lookup_allowed(request):
        response = render(
            request, "records/verify_limited.html", {"minutes": window_seconds() // 60}, status=429
        )
        response["Retry-After"] = str(window_seconds())
        return response
    certificate = certificate_by_code(code=code)
    if certificate is None:
        raise Http404("No such certificate")  # pragma: no mutate: our 404 page never shows it
    shared = None if certificate.is_withdrawn else shared_certificate(certificate.content)
    response = render(request, "records/verify.html", {"certificate": certificate, "shared": shared})
    # A withdrawal must show at once: no cache may keep the certificate as it was.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
