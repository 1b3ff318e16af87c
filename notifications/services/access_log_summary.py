"""The access log's monthly summary to the data protection lead (issue 16, item 5).

The lead is an address (DATA_PROTECTION_LEAD_EMAIL), not necessarily a person with an
account: the message is written with `to_email` and no recipient, so it is e-mailed and in
nobody's inbox (docs/adr/0018-access-log-review.md). It holds counts by kind of entry, never
a name or anything read: the review page, behind an administrator's log-in, has the rest.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.access_log import access_log_month_counts
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services.outbox import message_store
from notifications.services.rendering import render_message


def _previous_month(today: date) -> tuple[date, date]:
    """The first day of last month, and the first day of this one."""
    first_of_this = today.replace(day=1)
    return (first_of_this - timedelta(days=1)).replace(day=1), first_of_this


def access_log_summary_send(*, today: date | None = None) -> Message | None:
    """Last calendar month's summary, once (the key is the month). None when no lead is set."""
    address = settings.DATA_PROTECTION_LEAD_EMAIL
    if not address:
        return None
    first, end = _previous_month(today or timezone.localdate())
    start_at, end_at = (timezone.make_aware(datetime.combine(day, time.min)) for day in (first, end))
    counts = access_log_month_counts(start=start_at, end=end_at)
    rendered = render_message(
        kind=Kind.ACCESS_LOG_SUMMARY,
        context={"month": first, "counts": counts, "total": sum(row["entries"] for row in counts)},
    )
    return message_store(
        kind=Kind.ACCESS_LOG_SUMMARY,
        dedupe_key=f"access-log-summary:{first:%Y-%m}",
        rendered=rendered,
        to_email=address,
    )
