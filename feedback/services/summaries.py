"""The worker's daily summary (F7): what is waiting for them, in one message."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from feedback.models import FollowUp
from feedback.services.outcomes import outcomes_overdue
from notifications.kinds import Kind
from notifications.services import messages_store_bulk, render_message
from opportunities.models import Opportunity, SignUp


def worker_summaries_send(*, today: date | None = None) -> int:
    """Each worker's daily summary: overdue outcomes, waiting follow-ups, offers lapsing
    today on their opportunities. Not sent when there is nothing."""
    today = today or timezone.localdate()
    now = timezone.now()
    end_of_day = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.max.time()))
    overdue: dict[int, list[Opportunity]] = {}
    for opportunity in outcomes_overdue(today=today):
        overdue.setdefault(opportunity.lead_worker_id, []).append(opportunity)
    waiting: dict[int, list[FollowUp]] = {}
    for follow_up in FollowUp.objects.filter(status=FollowUp.Status.OPEN).order_by("requested_at"):
        waiting.setdefault(follow_up.worker_id, []).append(follow_up)
    lapsing: dict[int, list[SignUp]] = {}
    for signup in SignUp.objects.filter(
        state=SignUp.State.OFFERED, offer_expires_at__gte=now, offer_expires_at__lte=end_of_day
    ).select_related("opportunity"):
        lapsing.setdefault(signup.opportunity.lead_worker_id, []).append(signup)
    worker_ids = set(overdue) | set(waiting) | set(lapsing)
    items = []
    for worker in User.objects.filter(pk__in=worker_ids, is_active=True).select_related("profile"):
        context = {
            "recipient": worker,
            "overdue": overdue.get(worker.pk, []),
            "follow_ups": waiting.get(worker.pk, []),
            "lapsing": lapsing.get(worker.pk, []),
            "today": today,
        }
        items.append(
            (
                worker,
                f"worker_summary:{today.isoformat()}:{worker.pk}",
                render_message(kind=Kind.WORKER_SUMMARY, context=context),
            )
        )
    with transaction.atomic():
        return messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=items)
