"""Working days: not a Saturday, a Sunday or a bank holiday (settings.BANK_HOLIDAYS, England
and Wales). Used for targets counted in working days, such as picking up a request for a chat.
Imports no app."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings


def bank_holidays() -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in settings.BANK_HOLIDAYS)


def is_working_day(day: date, holidays: Iterable[date] | None = None) -> bool:
    holidays = bank_holidays() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def working_days_after(day: date, days: int) -> date:
    """The date `days` working days after `day` (which itself never counts): two working days
    after a Friday is the Tuesday, and after a Saturday too."""
    holidays = bank_holidays()
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day
