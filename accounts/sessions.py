"""How long a log-in lasts (issue 16, item 6), and re-authentication for sensitive steps.

Staff can read people's personal data, so their sessions end after 15 idle minutes; a
representative's after 60; anybody's 12 hours after logging in, however active. Django's own
cookie age is one number for everyone, so the session holds when it started and when it was
last used, and this middleware ends it. The cookie's age (SESSION_COOKIE_AGE) is set to the
role's idle timeout too, so that the browser forgets it as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest

from accounts.permissions import is_staff_member

SESSION_STARTED_AT = "session_started_at"
SESSION_LAST_SEEN_AT = "session_last_seen_at"
SESSION_DEVICE_SEEN_AT = "usersession_seen_at"
# How often the devices page's "last seen" and address are brought up to date.
DEVICE_TRACK_EVERY_SECONDS = 60
# How often an active session's "last used" time, and so its cookie, is renewed. Writing the
# session back on every request cost each signed-in page a savepoint, an UPDATE and a release
# (issue 18); once a minute means an idle timeout ends at most a minute early, never late.
SESSION_RENEW_EVERY_SECONDS = 60


def idle_timeout_seconds(user) -> int:
    minutes = (
        settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES
        if is_staff_member(user)
        else settings.SESSION_IDLE_TIMEOUT_MINUTES
    )
    return minutes * 60


def session_started(request: HttpRequest) -> None:
    """Called on every log-in (accounts.signals): the absolute timeout counts from here."""
    now = int(time.time())
    request.session[SESSION_STARTED_AT] = now
    request.session[SESSION_LAST_SEEN_AT] = now
    request.session[SESSION_DEVICE_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Logs out a session idle for longer than its role allows, or older than the absolute
    limit, and sends the person to log in again with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            session = request.session
            # A session from before this middleware: its clock starts now.
            started = session.setdefault(SESSION_STARTED_AT, now)
            last_seen = session.get(SESSION_LAST_SEEN_AT, now)
            idle = idle_timeout_seconds(user)
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
            if now - last_seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, "You were logged out to keep your account safe. Please log in again.")
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= SESSION_RENEW_EVERY_SECONDS or session.get("_session_expiry") != idle:
                session[SESSION_LAST_SEEN_AT] = now
                session.set_expiry(idle)
        return self.get_response(request)


class DeviceActivityMiddleware:
    """allauth's UserSessionsMiddleware writes each request's time and address to the
    database (USERSESSIONS_TRACK_ACTIVITY): once a minute is enough for the devices page, and
    keeps every other page's queries what they were."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if request.user.is_authenticated and session.session_key:
            now = int(time.time())
            if now - session.get(SESSION_DEVICE_SEEN_AT, 0) >= DEVICE_TRACK_EVERY_SECONDS:
                UserSession.objects.create_from_request(request)
                session[SESSION_DEVICE_SEEN_AT] = now
        return self.get_response(request)


def recent_authentication_required(view: Callable | None = None, *, allow_get: bool = False):
    """For a view that exports or erases a person's data, or changes how they log in: the
    person must have entered their password (or a code) in the last few minutes
    (ACCOUNT_REAUTHENTICATION_TIMEOUT), or they are asked to first and then brought back.

    allauth's own decorator, asked for unconditionally (an empty `app` always requires it);
    `allow_get` lets a confirmation page show before the POST that does the deed."""
    decorator = reauthentication_required(allow_get=allow_get, app="")
    return decorator(view) if view is not None else decorator
