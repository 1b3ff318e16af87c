"""What home adds to the worker's daily summary: the claims of opportunities they lead not
paid within PAYMENT_TARGET_DAYS (F3: paying late undoes feeling valued). feedback builds the
summary and payments knows the claims; neither may import the other, so home, above both,
registers this provider with feedback when Django starts (HomeConfig.ready)."""

from datetime import date

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from feedback.summary_sections import SummaryLine, SummarySection
from payments.selectors import overdue_claims


def overdue_claims_section(*, today: date) -> dict[int, SummarySection]:
    """For each lead worker with overdue claims, how many: one grouped query for everyone."""
    counts = (
        overdue_claims(today=today)
        .order_by()
        .values("opportunity__lead_worker_id")
        .annotate(count=Count("pk", distinct=True))
    )
    heading = f"Claims not paid within {settings.PAYMENT_TARGET_DAYS} days"
    path = reverse("worker:claims")
    sections = {}
    for row in counts:
        count = row["count"]
        text = f"{count} claim{'s' if count != 1 else ''} for opportunities you lead"
        sections[row["opportunity__lead_worker_id"]] = SummarySection(
            heading=heading, lines=[SummaryLine(text=text, path=path)]
        )
    return sections
