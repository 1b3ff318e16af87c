"""Periodic jobs for payments; idempotent (one claim per sign-up)."""

from celery import shared_task

from payments.services import claims_open


@shared_task
def open_claims() -> int:
    return claims_open()
