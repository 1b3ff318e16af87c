"""Dates and times as the NHS style guide writes them: "Tuesday 3 March 2026, 2pm"."""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _time(value: datetime) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def nhs_date(value: date | datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return f"{value:%A} {value.day} {value:%B %Y}"


@register.filter
def nhs_time(value: datetime | None) -> str:
    return _time(timezone.localtime(value)) if value else ""


@register.filter
def nhs_datetime(value: datetime | None) -> str:
    if not value:
        return ""
    return f"{nhs_date(value)}, {nhs_time(value)}"


@register.filter
def nhs_session(session) -> str:
    """ "Tuesday 3 March 2026, 2pm to 4:30pm" """
    return f"{nhs_date(session.starts_at)}, {nhs_time(session.starts_at)} to {nhs_time(session.ends_at)}"


@register.filter
def time_left(value: datetime | None) -> str:
    """ "1 day and 3 hours", for an accept-by time."""
    if not value:
        return ""
    seconds = int((value - timezone.now()).total_seconds())
    if seconds <= 0:
        return "no time"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts[:2]) or "less than a minute"
