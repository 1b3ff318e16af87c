"""Our own page for a 405: the only error Django answers with an empty body."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    """`require_POST` answers a GET with an empty 405, so someone who opens a bookmarked or
    shared link to an action (`/opportunities/<id>/withdraw/`) sees a blank page. Give them
    our page instead, with a way on. Other methods (TRACE, PUT...) keep the bare answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and request.method in {"GET", "HEAD"} and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
