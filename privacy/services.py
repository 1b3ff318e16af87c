"""Copies of a person's data and their erasure (issue 16, ADR 9, ADR 17).

Every app's provider says what it holds; these walk them. An export is built by a Celery
task queued once the request commits; the zip is kept under PRIVATE_MEDIA_ROOT and only the
person may download it, after logging in again, for DATA_EXPORT_DAYS. An erasure is asked
for, then confirmed by an administrator, and carried out in one transaction with the
person's row locked first; running it twice changes nothing more."""

import io
import json
import uuid
import zipfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.access_log import access_log_event
from accounts.models import AccessLogEntry, User
from accounts.permissions import is_administrator
from involvement.errors import ServiceError
from notifications.kinds import Kind
from notifications.services import message_create
from payments.personal_data import receipts
from privacy.models import DataRequest
from privacy.registry import providers

EXPORTS_DIR = "exports"


class PrivacyError(ServiceError):
    """A rule about data requests refused the action (involvement.errors)."""


def _queue_export(request_id: int) -> None:
    from privacy.tasks import build_export

    build_export.delay(request_id)


def export_request(*, person: User, by: User, channel: str = DataRequest.Channel.ONLINE) -> DataRequest:
    """Record a request for a copy; the task that builds it is queued once this commits."""
    if channel not in DataRequest.Channel.values:
        raise PrivacyError("Choose how the request was made.", field="channel")
    with transaction.atomic():
        request = DataRequest.objects.create(
            kind=DataRequest.Kind.EXPORT, person=person, requested_by=by, channel=channel
        )
        transaction.on_commit(partial(_queue_export, request.pk))
    return request


def export_data(person: User) -> dict:
    """Every record about the person, app by app: {app: {heading: rows}}."""
    return {
        label: {heading: section_rows for heading, section_rows in provider.export(person)}
        for label, provider in providers()
    }


def _zip(person: User, data: dict) -> bytes:
    made_at = timezone.now()
    document = {"person_id": person.pk, "made_at": made_at.isoformat(), "data": data}
    html = render_to_string("privacy/export.html", {"data": data, "made_at": made_at, "person_id": person.pk})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("your-data.html", html)
        archive.writestr("your-data.json", json.dumps(document, indent=1, ensure_ascii=False))
        for line in receipts(person):
            try:
                with line.receipt.open("rb") as receipt:
                    archive.writestr(f"receipts/{line.pk}-{Path(line.receipt.name).name}", receipt.read())
            except FileNotFoundError:
                continue
    return buffer.getvalue()


def export_build(*, request_id: int) -> DataRequest | None:
    """Build the zip, keep it privately and tell the person through the outbox. Safe to run
    twice: a request already built (or no longer waiting) is left as it is."""
    request = DataRequest.objects.select_related("person").filter(pk=request_id).first()
    if (
        request is None
        or request.kind != DataRequest.Kind.EXPORT
        or request.status != DataRequest.Status.PENDING
    ):
        return request
    content = _zip(request.person, export_data(request.person))
    name = f"{EXPORTS_DIR}/{uuid.uuid4().hex}.zip"
    path = Path(settings.PRIVATE_MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request_id)
        if request.status != DataRequest.Status.PENDING:
            path.unlink(missing_ok=True)
            return request
        now = timezone.now()
        request.status = DataRequest.Status.READY
        request.file = name
        request.completed_at = now
        request.expires_at = now + timedelta(days=settings.DATA_EXPORT_DAYS)
        request.save(update_fields=["status", "file", "completed_at", "expires_at"])
        message_create(
            recipient=request.person,
            kind=Kind.DATA_EXPORT_READY,
            dedupe_key=f"data-export:{request.pk}",
            context={"request": request, "url": reverse("privacy:export_download", args=[request.pk])},
        )
    return request


def export_file(*, request: DataRequest, user: User) -> Path:
    """The zip, for the person alone and while its link lasts."""
    if request.person_id != user.pk or request.kind != DataRequest.Kind.EXPORT:
        raise PrivacyError("That copy is not yours.")
    if (
        request.status != DataRequest.Status.READY
        or not request.expires_at
        or request.expires_at <= timezone.now()
    ):
        raise PrivacyError("That link has run out. Ask for a new copy of your data.")
    return Path(settings.PRIVATE_MEDIA_ROOT) / request.file


def erasure_request(*, person: User, by: User, channel: str = DataRequest.Channel.ONLINE) -> DataRequest:
    if channel not in DataRequest.Channel.values:
        raise PrivacyError("Choose how the request was made.", field="channel")
    if not person.is_active:
        raise PrivacyError("This account is already closed.")
    with transaction.atomic():
        pending = DataRequest.objects.filter(
            person=person, kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        return DataRequest.objects.create(
            kind=DataRequest.Kind.ERASURE, person=person, requested_by=by, channel=channel
        )


def erasure_blockers(*, person: User) -> list[str]:
    """What must be handed over before the person can be erased."""
    return [reason for _, provider in providers() for reason in provider.refuse(person)]


def _check_decision(request: DataRequest, by: User) -> None:
    if not is_administrator(by):
        raise PrivacyError("Only an administrator can decide on an erasure.")
    if request.person_id == by.pk:
        raise PrivacyError("Another administrator must decide on erasing your own data.")


def _delete_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def erasure_confirm(*, request: DataRequest, by: User) -> DataRequest:
    """Erase the person: every provider in order, in one transaction, the person's row
    locked first. Their export files go too."""
    _check_decision(request, by)
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        if request.kind != DataRequest.Kind.ERASURE or request.status != DataRequest.Status.PENDING:
            raise PrivacyError("That request has already been decided.")
        person = User.objects.select_for_update().get(pk=request.person_id)
        blockers = erasure_blockers(person=person)
        if blockers:
            raise PrivacyError(" ".join(blockers))
        for _, provider in providers():
            provider.erase(person)
        # The log keeps who erased whom and when (ids only: the person's row no longer names them).
        access_log_event(
            what=AccessLogEntry.What.ERASURE, viewer=by, subject=person, detail=f"Data request {request.pk}"
        )
        exports = DataRequest.objects.filter(person=person, kind=DataRequest.Kind.EXPORT).exclude(file="")
        files = [Path(settings.PRIVATE_MEDIA_ROOT) / name for name in exports.values_list("file", flat=True)]
        exports.update(file="", status=DataRequest.Status.EXPIRED)
        request.status = DataRequest.Status.DONE
        request.decided_by = by
        request.completed_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "completed_at"])
        transaction.on_commit(partial(_delete_files, files))
    return request


def erasure_decline(*, request: DataRequest, by: User) -> DataRequest:
    _check_decision(request, by)
    with transaction.atomic():
        request = DataRequest.objects.select_for_update().get(pk=request.pk)
        if request.kind != DataRequest.Kind.ERASURE or request.status != DataRequest.Status.PENDING:
            raise PrivacyError("That request has already been decided.")
        request.status = DataRequest.Status.DECLINED
        request.decided_by = by
        request.completed_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "completed_at"])
    return request
