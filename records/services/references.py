"""References: the person asks their named worker, the worker writes it here, the person is
told through the outbox and can download it."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_worker
from notifications.kinds import Kind
from notifications.services import message_create
from records.models import ReferencePurpose, ReferenceRequest
from records.services.errors import RecordError


@dataclass(frozen=True)
class ReferenceAsk:
    purpose: str
    role_title: str
    organisation: str
    deadline: date | None = None
    note: str = ""


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name() or "Your involvement worker"


@transaction.atomic
def reference_request_create(*, person: User, ask: ReferenceAsk) -> ReferenceRequest:
    """Ask the person's named worker for a reference, and tell the worker."""
    profile = getattr(person, "profile", None)
    worker = profile.named_worker if profile else None
    if worker is None or not is_worker(worker):
        raise RecordError(
            "You do not have a named involvement worker yet. Ask the involvement team to give you one."
        )
    if ask.purpose not in ReferencePurpose.values:
        raise RecordError("Choose what the reference is for", field="purpose")
    if ask.deadline is not None and ask.deadline < timezone.localdate():
        raise RecordError("The date you need it by must be today or in the future", field="deadline")
    reference = ReferenceRequest.objects.create(
        person=person,
        worker=worker,
        purpose=ask.purpose,
        role_title=ask.role_title.strip(),
        organisation=ask.organisation.strip(),
        deadline=ask.deadline,
        note=ask.note.strip(),
    )
    # Only who asked and what for: the note stays on the worker's page, behind a log-in.
    message_create(
        recipient=worker,
        kind=Kind.REFERENCE_REQUESTED,
        dedupe_key=f"reference:requested:{reference.pk}",
        context={"reference_id": reference.pk, "person_name": _name(person), "deadline": ask.deadline},
    )
    return reference


def _locked_open(reference: ReferenceRequest, by: User) -> ReferenceRequest:
    locked = ReferenceRequest.objects.select_for_update().get(pk=reference.pk)
    if locked.worker_id != by.pk:
        raise RecordError("Only the worker who was asked can write this reference.")
    if locked.state == ReferenceRequest.State.DONE:
        raise RecordError("This reference has already been sent. It cannot be changed.")
    return locked


@transaction.atomic
def reference_save(*, reference: ReferenceRequest, by: User, body: str) -> ReferenceRequest:
    """Keep a draft of the reference; the person sees nothing until it is finished."""
    locked = _locked_open(reference, by)
    locked.body = body.strip()
    locked.save(update_fields=["body"])
    return locked


@transaction.atomic
def reference_finish(*, reference: ReferenceRequest, by: User, body: str) -> ReferenceRequest:
    """The worker has written it: the person is told, once, and may download it."""
    locked = _locked_open(reference, by)
    body = body.strip()
    if not body:
        raise RecordError("Write the reference before you send it", field="body")
    locked.body = body
    locked.state = ReferenceRequest.State.DONE
    locked.written_at = timezone.now()
    locked.save(update_fields=["body", "state", "written_at"])
    message_create(
        recipient=locked.person,
        kind=Kind.REFERENCE_READY,
        dedupe_key=f"reference:ready:{locked.pk}",
        context={
            "reference_id": locked.pk,
            "worker_name": _name(by),
            "role_title": locked.role_title,
            "organisation": locked.organisation,
        },
    )
    return locked
