"""The requests themselves: exported as part of the copy; kept on erasure, since they hold
no name and are the record that lets a restore from backup apply the erasure again."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from involvement.personal_data import PersonalDataProvider, RetentionRule, Section, rows
from privacy.models import DataRequest
from privacy.unused_accounts import unused_account_apply, unused_account_days, unused_accounts_due


def export(person: User) -> list[Section]:
    return [
        (
            "Your requests about your data",
            rows(
                DataRequest.objects.filter(person=person).order_by("created_at"),
                ["created_at", "kind", "channel", "status", "completed_at"],
            ),
        )
    ]


def erase(person: User) -> None:
    """Nothing to wipe: no free text, and the person is pointed at by id."""


def _export_days() -> int:
    return settings.DATA_EXPORT_DAYS


def _exports_due(now) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(status=DataRequest.Status.READY, expires_at__lte=now)


def _export_delete(pk: int, now) -> int:
    request = _exports_due(now).select_for_update().filter(pk=pk).first()
    if request is None:
        return 0
    path = Path(settings.PRIVATE_MEDIA_ROOT) / request.file if request.file else None
    request.status, request.file = DataRequest.Status.EXPIRED, ""
    request.save(update_fields=["status", "file"])
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return 1


PROVIDER = PersonalDataProvider(
    order=10,
    models=("privacy.DataRequest",),
    export=export,
    erase=erase,
    retention=(
        RetentionRule(
            name="Copies of people's data whose link has run out",
            setting="DATA_EXPORT_DAYS",
            days=_export_days,
            due=_exports_due,
            apply=_export_delete,
        ),
        RetentionRule(
            name="Representatives' accounts not used for years: a warning, then an erasure request",
            setting="RETENTION_UNUSED_ACCOUNT_DAYS",
            days=unused_account_days,
            due=unused_accounts_due,
            apply=unused_account_apply,
        ),
    ),
)
