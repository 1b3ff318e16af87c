"""Changes to who looks after a person: their named worker, and the contact log.

Kept apart from `accounts.services` (sign-up, roles, log-ins), which it builds on: these
are the worker's side of a person (issue 13), written by the people pages in `home`.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import messaging
from accounts.models import ContactChannel, ContactLogEntry, NamedWorkerChange, Profile, User
from accounts.permissions import is_representative, is_worker
from accounts.services import AccountsError

SUMMARY_MAX = 500
REASON_MAX = 300


def _name(user: User | None) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_full_name() or user.email or ""


def named_worker_assign(*, person: User, worker: User, by: User, reason: str = "") -> NamedWorkerChange:
    """Make `worker` the person's named worker, write the change to the person's history and
    tell the person, the new worker and the one before (if any) through the outbox, all in
    one transaction: a refusal or a rollback leaves no message and no history."""
    reason = reason.strip()
    if not by.has_perm("accounts.assign_named_worker", person):
        raise AccountsError("Only involvement workers and managers can choose a named worker.")
    if not person.is_active or not is_representative(person):
        raise AccountsError("Only a representative can have a named worker.")
    if not worker.is_active or not is_worker(worker):
        raise AccountsError("Choose an involvement worker.", field="worker")
    if len(reason) > REASON_MAX:
        raise AccountsError(f"The reason must be {REASON_MAX} characters or fewer.", field="reason")
    with transaction.atomic():
        # The profile's row is the lock: two workers choosing at once are put in order, and
        # the second sees the first one's choice rather than silently replacing it.
        profile = Profile.objects.select_for_update().get(user=person)
        if profile.named_worker_id == worker.pk:
            raise AccountsError(f"{_name(worker)} is already their named worker.", field="worker")
        previous = (
            User.objects.select_related("profile").get(pk=profile.named_worker_id)
            if profile.named_worker_id
            else None
        )
        profile.named_worker = worker
        profile.save(update_fields=["named_worker", "updated_at"])
        change = NamedWorkerChange.objects.create(
            person=person, previous_worker=previous, new_worker=worker, by=by, reason=reason
        )
        told = [(person, "person"), (worker, "new")] + ([(previous, "previous")] if previous else [])
        for recipient, role in told:
            messaging.account_message_send(
                recipient=recipient,
                kind=messaging.NAMED_WORKER_CHANGED,
                # One change, one message to each: the change makes the key unique.
                dedupe_key=f"named_worker:{change.pk}:{role}",
                context={
                    "role": role,
                    "person_id": person.pk,
                    "person_name": _name(person),
                    "new_name": _name(worker),
                    "previous_name": _name(previous),
                    "actor_name": _name(by),
                    "by_you": recipient.pk == by.pk,
                    # Staff's reason is for staff: the person is told who, not why.
                    "reason": reason if role != "person" else "",
                },
            )
    return change


def contact_log_add(
    *, person: User, by: User, contacted_on: date, channel: str, summary: str
) -> ContactLogEntry:
    """Write down a contact with a person. Only a worker who may see the person (their named
    worker, or a lead worker their sign-ups open them to) may add one."""
    if not by.has_perm("accounts.view_person", person):
        raise AccountsError(
            "Only the person's named worker or a lead worker of their activities can add to it."
        )
    summary = summary.strip()
    if not summary:
        raise AccountsError("Write a short summary of the contact.", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise AccountsError(f"The summary must be {SUMMARY_MAX} characters or fewer.", field="summary")
    if contacted_on > timezone.localdate():
        raise AccountsError("The date of contact must be today or in the past.", field="contacted_on")
    if channel not in ContactChannel.values:
        raise AccountsError("Choose how you were in contact.", field="channel")
    return ContactLogEntry.objects.create(
        person=person, contacted_on=contacted_on, channel=channel, summary=summary, written_by=by
    )
