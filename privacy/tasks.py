"""Takes an id, calls one service, safe to run twice."""

from celery import shared_task

from privacy.services import export_build


@shared_task
def build_export(request_id: int) -> None:
    export_build(request_id=request_id)
