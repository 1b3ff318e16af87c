"""Calendar files: one per opportunity, the person's own, and their private feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.selectors import profile_for_calendar_token, profile_for_user
from accounts.services import calendar_token_get_or_create, calendar_token_reset
from involvement.middleware import PRIVATE
from opportunities.calendar import opportunity_calendar, person_calendar
from opportunities.calendar_selectors import confirmed_sessions_for_person, opportunity_for_calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"
MY_CALENDAR_FILENAME = "involvement-hub.ics"


def _ics(content: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def opportunity_ics(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = opportunity_for_calendar(opportunity_id=opportunity_id)
    if opportunity is None:
        raise Http404("No such opportunity")
    # Visitors see the area only; signed-in people may see the exact address (PRODUCT.md).
    content = opportunity_calendar(opportunity, include_private=request.user.is_authenticated)
    # slugify keeps the header safe; a title with no Latin letters still gets a name.
    slug = slugify(opportunity.title) or f"opportunity-{opportunity.pk}"
    return _ics(content, filename=f"{slug}.ics")


@require_GET
def my_calendar_ics(request: HttpRequest) -> HttpResponse:
    content = person_calendar(confirmed_sessions_for_person(person=request.user))
    response = _ics(content, filename=MY_CALENDAR_FILENAME)
    response["Cache-Control"] = PRIVATE
    return response


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """For calendar apps, which cannot log in: the secret address is the key."""
    profile = profile_for_calendar_token(token=token)
    if profile is None:
        raise Http404("No such calendar")
    response = _ics(person_calendar(confirmed_sessions_for_person(person=profile.user)))
    # Never stored: it holds addresses and joining links, and is fetched without a log-in,
    # so the middleware cannot tell it is personal. Apps are asked to poll every fifteen
    # minutes by the calendar itself (REFRESH-INTERVAL), not by a cache lifetime.
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache  # the page shows the secret address
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=request.user)
    if request.method == "POST":
        calendar_token_reset(profile=profile)
        messages.success(
            request, "Your private calendar address has been changed. The old one no longer works."
        )
        return redirect("me:calendar")
    token = calendar_token_get_or_create(profile=profile)
    feed_url = settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token})
    return render(
        request,
        "opportunities/calendar_settings.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )
