"""The worker's daily summary (F7): what is waiting for them, in one message."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from feedback.models import FollowUp
from feedback.selectors import URGENCY_RANK
from feedback.services.outcomes import outcomes_overdue
from feedback.summary_sections import SummarySection, summary_sections_for
from involvement.jobs import batch_in_own_transaction
from notifications.kinds import Kind
from notifications.services import RenderedMessage, messages_store_bulk, render_message
from opportunities.models import Opportunity, SignUp


def worker_summaries_send(*, today: date | None = None) -> int:
    """Each worker's daily summary: overdue outcomes, follow-ups not picked up within the
    target (FOLLOW_UP_TARGET_WORKING_DAYS), the other waiting follow-ups, offers lapsing
    today on their opportunities, and the sections apps above feedback add (claims not paid
    in time: feedback.summary_sections). Not sent when there is nothing."""
    today = today or timezone.localdate()
    now = timezone.now()
    end_of_day = timezone.make_aware(datetime.combine(today, time.max))
    overdue: dict[int, list[Opportunity]] = {}
    for opportunity in outcomes_overdue(today=today):
        overdue.setdefault(opportunity.lead_worker_id, []).append(opportunity)
    waiting: dict[int, list[FollowUp]] = {}
    overdue_follow_ups: dict[int, list[FollowUp]] = {}
    for follow_up in FollowUp.objects.filter(status=FollowUp.Status.OPEN).order_by(
        URGENCY_RANK, "requested_at", "pk"
    ):
        # Not picked up by its last day (FOLLOW_UP_TARGET_WORKING_DAYS): listed first, apart.
        late = overdue_follow_ups if follow_up.is_overdue(today) else waiting
        late.setdefault(follow_up.worker_id, []).append(follow_up)
    lapsing: dict[int, list[SignUp]] = {}
    for signup in SignUp.objects.filter(
        state=SignUp.State.OFFERED, offer_expires_at__gte=now, offer_expires_at__lte=end_of_day
    ).select_related("opportunity"):
        lapsing.setdefault(signup.opportunity.lead_worker_id, []).append(signup)
    sections = summary_sections_for(today=today)
    worker_ids = set(overdue) | set(overdue_follow_ups) | set(waiting) | set(lapsing) | set(sections)
    workers = list(User.objects.filter(pk__in=worker_ids, is_active=True).select_related("profile"))
    waiting_for = _Waiting(
        today=today,
        overdue=overdue,
        overdue_follow_ups=overdue_follow_ups,
        follow_ups=waiting,
        lapsing=lapsing,
        sections=sections,
    )
    # All in one go, for speed; if that fails, each worker's alone, so that one summary that
    # cannot be built is logged and the other workers still get theirs.
    return batch_in_own_transaction(
        workers,
        partial(_summaries_store, waiting=waiting_for),
        job="worker summaries",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda worker: f"worker {worker.pk}",
    )


@dataclass(frozen=True)
class _Waiting:
    today: date
    overdue: dict[int, list[Opportunity]]
    overdue_follow_ups: dict[int, list[FollowUp]]
    follow_ups: dict[int, list[FollowUp]]
    lapsing: dict[int, list[SignUp]]
    sections: dict[int, list[SummarySection]]


def _summaries_store(workers: Sequence[User], *, waiting: _Waiting) -> int:
    items = []
    for worker in workers:
        context = {
            "recipient": worker,
            "overdue": waiting.overdue.get(worker.pk, []),
            "overdue_follow_ups": waiting.overdue_follow_ups.get(worker.pk, []),
            "follow_ups": waiting.follow_ups.get(worker.pk, []),
            "target_days": settings.FOLLOW_UP_TARGET_WORKING_DAYS,
            "lapsing": waiting.lapsing.get(worker.pk, []),
            "sections": waiting.sections.get(worker.pk, []),
            "today": waiting.today,
        }
        key = f"worker_summary:{waiting.today.isoformat()}:{worker.pk}"
        items.append((worker, key, _summary_render(context)))
    return messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=items)


def _summary_render(context: dict) -> RenderedMessage:
    return render_message(kind=Kind.WORKER_SUMMARY, context=context)
