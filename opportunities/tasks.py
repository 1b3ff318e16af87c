"""Periodic jobs for opportunities; each is idempotent and safe to run concurrently."""

from celery import shared_task

from opportunities.services import (
    offers_expire,
    reminders_send,
    selections_due,
    training_expiry_reminders_send,
)


@shared_task
def expire_offers() -> int:
    return offers_expire()


@shared_task
def run_due_selections() -> int:
    return selections_due()


@shared_task
def send_reminders() -> int:
    return reminders_send()


@shared_task
def send_training_expiry_reminders() -> int:
    return training_expiry_reminders_send()
