"""Thin tasks: take ids, call one service, safe to run twice."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from involvement.healthz import BEAT_HEARTBEAT_KEY
from notifications.services import messages_deliver, messages_render, messages_wipe_secrets, outbox_sweep


@shared_task
def deliver_message(message_id: int) -> None:
    # The claim inside makes a second run, or a concurrent one, a no-op.
    messages_deliver(ids=[message_id], limit=1)


@shared_task
def render_unrendered_message(message_id: int) -> None:
    """A message written unrendered and listed in the inbox only: rendered from its
    snapshot and stored. Storing is conditional, so a second run is a no-op."""
    messages_render(ids=[message_id])


@shared_task
def sweep_outbox() -> None:
    """Every minute: deliver what a lost task left behind, retry what is due, and hand back
    messages whose worker died mid-send."""
    outbox_sweep()


@shared_task
def wipe_account_messages() -> None:
    """Every few minutes: wipe the codes and links of account messages that failed or
    expired (sending wipes its own), so that nobody but the person can ever read them."""
    messages_wipe_secrets()


@shared_task
def beat_heartbeat() -> None:
    """Proves that beat is scheduling and a worker is running; /healthz reports its age."""
    cache.set(BEAT_HEARTBEAT_KEY, timezone.now().timestamp(), timeout=None)


@shared_task
def send_access_log_summary() -> None:
    """On the first of each month: last month's access log in figures, to the data
    protection lead. Keyed by the month, so a second run sends nothing more."""
    from notifications.services.access_log_summary import access_log_summary_send

    access_log_summary_send()
