"""The charter's background work; safe to run twice (message keys)."""

from celery import shared_task

from charter.services.updates import charter_update_send


@shared_task
def send_charter_update(version_id: int) -> int:
    """Queued once a new version's publish commits (charter.services.versions)."""
    return charter_update_send(version_id=version_id)
