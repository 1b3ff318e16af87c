"""The access log's other entries (issue 16, item 5): reads refused, exports, role changes and
log-ins as staff, and what the review page and the monthly summary read back.

Each entry says what kind of record, whose, by whom and when; `detail` names a page, a table
or a role, never what they hold (docs/adr/0018-access-log-review.md). Reads of notes and
check-ins stay explicit calls in their views (accounts.services.access_log_record).
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime

from django.db.models import Count
from django.http import HttpRequest

from accounts.models import AccessLogEntry, User

# Pages that show one person's protected data: a 403 or 404 on one of them, to someone
# logged in, is an attempt worth reviewing. Names, not imports: accounts sits below the apps
# that own most of these pages. A test keeps every name here resolvable.
PROTECTED_READS = frozenset(
    {
        "worker:person",
        "worker:support_note",
        "worker:claim",
        "feedback:person_check_ins",
        "feedback:follow_up",
        "opportunities:participant_note",
        "opportunities:register",
        "payments:receipt",
        "me:claim",
    }
)

# The request being answered, so that a role change made through a page (the admin's user
# form) knows who made it: Django's m2m_changed signal does not say.
_current_request: ContextVar[HttpRequest | None] = ContextVar("access_log_request", default=None)


def current_actor() -> User | None:
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def access_log_event(
    *,
    what: AccessLogEntry.What,
    viewer: User | None,
    subject: User | None = None,
    path: str = "",
    detail: str = "",
) -> AccessLogEntry:
    """Write one event down. `detail` is a name (a page, a table, a role): never content."""
    return AccessLogEntry.objects.create(
        viewer=viewer, subject=subject, what=what, path=path[:300], detail=detail[:200]
    )


def access_log_export(*, request: HttpRequest, detail: str, subject: User | None = None) -> None:
    """A CSV downloaded or a register printed by the person making this request."""
    access_log_event(
        what=AccessLogEntry.What.EXPORT,
        viewer=request.user,
        subject=subject,
        path=request.path,
        detail=detail,
    )


def access_log_role_changes(*, person: User, roles: list[str], added: bool) -> None:
    """One entry per role given or taken away by someone logged in (the admin's user form, a
    worker registering a person). A person's own sign-up is no one's decision to record, and
    a management command or the shell is outside the service (server access has its own
    audit), so changes without a logged-in actor are not written."""
    actor = current_actor()
    request = _current_request.get()
    if actor is None or request is None:
        return
    verb = "added" if added else "removed"
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            viewer=actor,
            subject=person,
            what=AccessLogEntry.What.ROLE_CHANGE,
            path=(request.path if request is not None else "")[:300],
            detail=f"{role} {verb}"[:200],
        )
        for role in sorted(roles)
    )


def _record_denied(request: HttpRequest, status_code: int) -> None:
    match = request.resolver_match
    if match is None or match.view_name not in PROTECTED_READS:
        return
    if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
        return
    subject = None
    person_id = match.kwargs.get("person_id")
    if person_id is not None:
        subject = User.objects.filter(pk=person_id).first()
    access_log_event(
        what=AccessLogEntry.What.DENIED,
        viewer=request.user,
        subject=subject,
        path=request.path,
        detail=f"{match.view_name} ({status_code})",
    )


class AccessLogMiddleware:
    """Keeps the request at hand for role changes, and writes down a protected page refused.
    After AuthenticationMiddleware; a view's Http404 or PermissionDenied is already a
    response by the time it comes back here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if response.status_code in (403, 404):
            _record_denied(request, response.status_code)
        return response


def access_log_month_counts(*, start: datetime, end: datetime) -> list[dict]:
    """What the monthly summary says: how many entries of each kind, and by how many staff,
    in [start, end). Counts only: the names are on the review page, behind a log-in."""
    rows = (
        AccessLogEntry.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("what")
        .annotate(
            entries=Count("pk"), staff=Count("viewer", distinct=True), people=Count("subject", distinct=True)
        )
        .order_by("what")
    )
    labels = dict(AccessLogEntry.What.choices)
    return [{**row, "label": labels.get(row["what"], row["what"])} for row in rows]
