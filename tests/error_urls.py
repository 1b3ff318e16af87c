"""The site's URLs plus views that fail on purpose, for tests/test_error_pages.py."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from involvement.urls import urlpatterns as site_patterns


@login_not_required
def broken(request):
    raise RuntimeError("Something we did not expect")


@login_not_required
def forbidden(request):
    raise PermissionDenied("A reason meant for the logs, not for people")


@login_not_required
def bad_request(request):
    raise SuspiciousOperation("A reason meant for the logs")


urlpatterns = [
    path("test-errors/broken/", broken),
    path("test-errors/forbidden/", forbidden),
    path("test-errors/bad-request/", bad_request),
    *site_patterns,
]
