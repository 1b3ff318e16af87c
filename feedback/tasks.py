"""Periodic jobs for the feedback loop; each is idempotent (message keys)."""

from celery import shared_task

from feedback.services import (
    check_in_invitations_send,
    digests_build,
    invitations_send,
    invitations_send_recent,
    worker_summaries_send,
)
from notifications.kinds import DigestFrequency


@shared_task
def build_weekly_digests() -> int:
    return digests_build(frequency=DigestFrequency.WEEKLY)


@shared_task
def build_monthly_digests() -> int:
    return digests_build(frequency=DigestFrequency.MONTHLY)


@shared_task
def send_worker_summaries() -> int:
    return worker_summaries_send()


@shared_task
def send_check_in_invitations() -> int:
    return check_in_invitations_send()


@shared_task
def send_opportunity_invitations(opportunity_id: int) -> int:
    """Queued once an opportunity's publish commits (feedback.services.invitations)."""
    return invitations_send(opportunity_id=opportunity_id)


@shared_task
def send_recent_invitations() -> int:
    return invitations_send_recent()
