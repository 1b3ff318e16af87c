"""Input that no page can use, refused before any view sees it."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


class RejectNullCharactersMiddleware:
    """A null character in the address or the query string is a 400, for every view.

    PostgreSQL cannot store or compare text that holds one (psycopg raises ValueError), so a
    `%00` in a calendar-feed token, an admin search or any filter would otherwise be a 500.
    Nobody types one: it only comes from tools probing the service. Posted forms are left to
    their fields, which answer it with a message beside the field and keep the rest.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info or any(
            NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A null character in the address or the query string.")
        return self.get_response(request)
