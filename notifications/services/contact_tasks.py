"""Calls and letters as tasks for workers (issue 13, items 4 and 7): made by the outbox
(`outbox.message_store`) for what no e-mail or text can carry, and closed by the worker who
makes the call or sends the letter, each try written to the person's contact log."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.caseload import contact_log_add
from accounts.models import ContactChannel, Profile, User
from notifications.models import ContactTask
from notifications.services.errors import NotificationsError

Outcome = ContactTask.Outcome
# "No answer" is a try, logged; the task stays open for the next one.
CLOSES = {Outcome.REACHED, Outcome.LEFT_MESSAGE, Outcome.LETTER_SENT}
OUTCOMES_FOR = {
    ContactTask.Method.PHONE: [Outcome.REACHED, Outcome.NO_ANSWER, Outcome.LEFT_MESSAGE],
    ContactTask.Method.LETTER: [Outcome.LETTER_SENT],
}
NOTE_MAX = 250


@dataclass(frozen=True)
class CallRequest:
    """Asked for by the change that causes a message (an offer, a session changed): if the
    person prefers a phone call, their named worker, or else the worker `worker_id` (the
    lead worker), calls them by `due_at` as well as the message being sent."""

    worker_id: int | None
    due_at: datetime | None


def _method(profile: Profile) -> str:
    return ContactTask.Method.PHONE if profile.phone else ContactTask.Method.LETTER


def contact_task_store(
    *,
    person: User,
    profile: Profile,
    kind: str,
    dedupe_key: str,
    subject: str,
    body_text: str,
    worker_id: int | None,
    due_at: datetime | None = None,
    method: str | None = None,
) -> ContactTask:
    """Write one task, in the caller's transaction; a second call with the same key (the
    message's) changes nothing and returns the first."""
    task, _ = ContactTask.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "person": person,
            "worker_id": worker_id,
            "method": method or _method(profile),
            "kind": kind,
            "subject": subject[:200],
            "body_text": body_text,
            "due_at": due_at,
        },
    )
    return task


def contact_task_log(*, task: ContactTask, by: User, outcome: str, note: str = "") -> ContactTask:
    """Log one try at a task: written to the person's contact log (as a phone call or a
    letter, with the outcome and what it was about), and the task closed unless nobody
    answered. Only a worker it is for, or one who may see the person, may log it."""
    note = note.strip()
    if not by.has_perm("notifications.handle_contact_task", task):
        raise NotificationsError(
            "Only the worker this call is for, or the person's named worker, can log it."
        )
    if outcome not in OUTCOMES_FOR[ContactTask.Method(task.method)]:
        raise NotificationsError("Choose what happened", field="outcome")
    if len(note) > NOTE_MAX:
        raise NotificationsError(f"The note must be {NOTE_MAX} characters or fewer.", field="note")
    with transaction.atomic():
        task = (
            ContactTask.objects.select_for_update(of=("self",))
            .select_related("person__profile")
            .get(pk=task.pk)
        )
        if not task.is_open:
            raise NotificationsError("This task is already done.")
        label = Outcome(outcome).label
        summary = f"{label}: {task.subject}" + (f". {note}" if note else "")
        channel = ContactChannel.PHONE if task.method == ContactTask.Method.PHONE else ContactChannel.LETTER
        contact_log_add(
            person=task.person,
            by=by,
            contacted_on=timezone.localdate(),
            channel=channel,
            summary=summary[:500],
        )
        task.attempts += 1
        task.last_outcome = outcome
        fields = ["attempts", "last_outcome"]
        if outcome in CLOSES:
            task.closed_at, task.closed_by = timezone.now(), by
            fields += ["closed_at", "closed_by"]
        task.save(update_fields=fields)
    return task
