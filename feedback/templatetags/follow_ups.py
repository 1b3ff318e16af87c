"""How a follow-up reads to the person who asked for the chat."""

from datetime import date

from django import template

from accounts.models import User
from feedback.services import worker_name as _worker_name

register = template.Library()


@register.filter
def worker_name(worker: User | None) -> str:
    """The worker as the person knows them: their chosen name, else their full name."""
    return _worker_name(worker) if worker is not None else "Your involvement worker"


@register.filter
def day_and_month(value: date | None) -> str:
    """ "Thursday 3 December": a date near enough that the year goes without saying."""
    return f"{value:%A} {value.day} {value:%B}" if value else ""
