"""Security rules that hold for every response, whichever view (ours, allauth's, the admin's)
produced it."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

# The only methods a page of this service answers: HTML forms send GET and POST, and HEAD is
# GET without the body. Anything else (TRACE, PUT, OPTIONS, made-up names) would otherwise
# reach function views that treat every method that is not POST as a GET.
ALLOWED_METHODS = ("GET", "HEAD", "POST")

# Pages under these prefixes can show personal data to someone not yet logged in (the
# address a log-in code was sent to, a password-reset form, the e-mail typed into a form
# that failed), so they are private even for anonymous requests.
ALWAYS_PRIVATE_PREFIXES = ("/accounts/", "/admin/")
PRIVATE = "no-store, private"


class AllowedMethodsMiddleware:
    """Answer any method but GET, HEAD and POST with 405 before a view can run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ALLOWED_METHODS:
            return HttpResponseNotAllowed(ALLOWED_METHODS)
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """A Permissions-Policy header on every response, static files and errors included: the
    service needs no camera, microphone, location, payment or device access, so no page (nor
    anything injected into one) may ask for it. The features are in settings.PERMISSIONS_POLICY.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def is_download(response: HttpResponse) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class PrivatePagesNotCachedMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in person, on every
    download and on the account pages: staff use shared NHS computers, and a browser's
    back button or disk cache must not show the next person somebody's details.

    Static files (served before this runs) and pages for anonymous visitors stay cacheable.
    It sits after AuthenticationMiddleware, which gives it request.user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view runs: logging out makes request.user anonymous, yet the page
        # that did it was a signed-in page.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if (
            signed_in
            or request.user.is_authenticated  # the response that logged somebody in
            or request.path_info.startswith(ALWAYS_PRIVATE_PREFIXES)
            or is_download(response)
        ):
            response["Cache-Control"] = PRIVATE
        return response
