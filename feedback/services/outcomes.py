"""Outcomes, "You said, we did": written by the worker, published to everyone who took part
(F1), due a set number of days after the activity (F2)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from feedback.models import Outcome
from feedback.services.errors import FeedbackError
from notifications.kinds import Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import message_create
from opportunities.models import Opportunity, SignUp


def outcome_due_on(opportunity: Opportunity) -> date | None:
    """Due a set number of days (default 28) after the last session."""
    if opportunity.ends_at is None:
        return None
    return timezone.localdate(opportunity.ends_at) + timedelta(days=settings.OUTCOME_DUE_DAYS)


def outcome_save(
    *,
    opportunity: Opportunity,
    by: User,
    you_said: str,
    we_did: str,
    evidence_url: str = "",
    follow_up_on: date | None = None,
) -> Outcome:
    """Save the draft (or correct a published outcome: people were told; the page updates)."""
    if opportunity.status == Opportunity.Status.CANCELLED:
        raise FeedbackError("A cancelled opportunity has no outcome to write.")
    with transaction.atomic():
        outcome, _ = Outcome.objects.select_for_update().get_or_create(
            opportunity=opportunity, defaults={"you_said": you_said, "we_did": we_did, "written_by": by}
        )
        outcome.you_said, outcome.we_did = you_said.strip(), we_did.strip()
        outcome.evidence_url, outcome.follow_up_on, outcome.written_by = evidence_url, follow_up_on, by
        outcome.save()
    return outcome


def outcome_publish(*, outcome: Outcome, by: User) -> int:
    """Publish and tell everyone who attended. Safe to run twice: the message keys make a
    second copy impossible. Returns how many people were told this time."""
    with transaction.atomic():
        outcome = Outcome.objects.select_for_update().select_related("opportunity").get(pk=outcome.pk)
        opportunity = outcome.opportunity
        if opportunity.status != Opportunity.Status.COMPLETED:
            raise FeedbackError("Mark the opportunity as completed before publishing its outcome.")
        if not outcome.you_said.strip() or not outcome.we_did.strip():
            raise FeedbackError("Write both what people said and what was done before publishing.")
        if outcome.status != Outcome.Status.PUBLISHED:
            outcome.status = Outcome.Status.PUBLISHED
            outcome.published_at = timezone.now()
            outcome.save(update_fields=["status", "published_at", "updated_at"])
        attendees = SignUp.objects.filter(
            opportunity=opportunity, state=SignUp.State.ATTENDED
        ).select_related("person__profile")
        keys = {f"outcome:{outcome.pk}:{signup.person_id}": signup.person for signup in attendees}
        done = existing_dedupe_keys(keys=list(keys))
        told = 0
        for key, person in keys.items():
            if key in done:
                continue
            message_create(
                recipient=person,
                kind=Kind.OUTCOME_PUBLISHED,
                dedupe_key=key,
                context={"outcome": outcome, "opportunity": opportunity},
            )
            told += 1
    return told


def outcomes_overdue(*, today: date | None = None) -> QuerySet[Opportunity]:
    """Completed opportunities past their outcome due date with no published outcome."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.combine(today - timedelta(days=settings.OUTCOME_DUE_DAYS), time.min)
    )
    return (
        Opportunity.objects.filter(status=Opportunity.Status.COMPLETED, ends_at__lt=cutoff)
        .exclude(outcome__status=Outcome.Status.PUBLISHED)
        .select_related("lead_worker")
        .order_by("ends_at")
    )
