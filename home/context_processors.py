"""The role-aware navigation, built once here so templates never compare role names. It
links every app's pages and counts the unread inbox, so it sits on top with the homes."""

from django.urls import reverse

from accounts.permissions import (
    is_administrator,
    is_finance_officer,
    is_manager,
    is_representative,
    is_worker,
)
from notifications.selectors import inbox_unread_count


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = [
        ("Opportunities", reverse("opportunities:browse")),
        ("You said, we did", reverse("feedback:outcomes")),
        ("Our charter", reverse("charter:current")),
    ]
    if user is None or not user.is_authenticated:
        return {"nav_items": _mark_current(request, items)}
    if is_representative(user):
        items.append(("My involvement", reverse("me:home")))
        items.append(("My profile", reverse("me:profile")))
        items.append(("My payments", reverse("me:payments")))
    if is_worker(user):
        items.append(("Worker home", reverse("worker:home")))
        items.append(("People", reverse("worker:people")))
    if is_manager(user) or is_administrator(user):
        items.append(("Dashboard", reverse("dashboard:home")))
    if is_finance_officer(user):
        items.append(("Payments", reverse("payments:exports")))
    if is_administrator(user):
        items.append(("Data requests", reverse("privacy:requests")))
        items.append(("Administration", reverse("admin:index")))
        items.append(("Access log", reverse("staff:access_log")))
    unread = inbox_unread_count(user=user)
    items.append((f"Inbox ({unread} unread)" if unread else "Inbox", reverse("inbox:list")))
    return {"nav_items": _mark_current(request, items)}


def _mark_current(request, items: list[tuple[str, str]]) -> list[dict]:
    path = request.path
    return [
        {"label": label, "url": url, "current": path == url or (url != "/" and path.startswith(url))}
        for label, url in items
    ]
