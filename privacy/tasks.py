"""Takes an id, calls one service, safe to run twice."""

from celery import shared_task

from privacy.services import export_build


@shared_task
def build_export(request_id: int) -> None:
    export_build(request_id=request_id)


@shared_task
def apply_retention() -> int:
    """Nightly (involvement/schedule.py): safe to run twice, one row per transaction."""
    from privacy.retention import retention_apply

    return sum(retention_apply().values())
