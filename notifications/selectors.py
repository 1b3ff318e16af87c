"""Reads for the inbox."""

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from accounts.permissions import is_representative, is_staff_member
from notifications.kinds import INBOX_KINDS, Channel, optional_kinds, text_kinds
from notifications.models import ContactTask, Message


def _inbox(*, user: User) -> QuerySet[Message]:
    # The inbox lists each message once: the e-mail's row, which every message has (kept
    # `inbox_only` when the person chose a text alone), never the text's copy.
    return Message.objects.filter(recipient=user, kind__in=INBOX_KINDS, channel=Channel.EMAIL)


def inbox_for_user(*, user: User) -> QuerySet[Message]:
    # `context`: a message not delivered yet may still be a snapshot, its subject rendered
    # from it for the list (`Message.content`).
    return _inbox(user=user).only(
        "id", "subject", "kind", "channel", "context", "created_at", "read_at", "recipient_id"
    )


def inbox_unread_count(*, user: User) -> int:
    return _inbox(user=user).filter(read_at__isnull=True).count()


def inbox_message_get(*, user: User, message_id: int) -> Message | None:
    return _inbox(user=user).filter(pk=message_id).first()


def existing_dedupe_keys(*, keys: list[str]) -> set[str]:
    """Which of these keys already have a message: lets periodic jobs skip rendering
    messages that exist (the unique key would refuse them anyway)."""
    return set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))


def email_kind_choices(*, user: User) -> list[tuple[str, str]]:
    """The kinds of message this person may stop by e-mail, as (value, label) for the
    preference forms: the ones their roles can receive, never security mail."""
    kinds = optional_kinds(staff=is_staff_member(user), representative=is_representative(user))
    return [(kind.value, kind.label) for kind in kinds]


def text_kind_choices(*, user: User) -> list[tuple[str, str]]:
    """The kinds of message this person may choose to get by text, as (value, label): none
    while texts are switched off. Offered whether or not they have confirmed a number yet;
    texts go only to a confirmed one."""
    if not settings.TEXT_MESSAGES_ENABLED:
        return []
    kinds = text_kinds(staff=is_staff_member(user), representative=is_representative(user))
    return [(kind.value, kind.label) for kind in kinds]


def contact_task_get(*, task_id: int) -> ContactTask | None:
    return (
        ContactTask.objects.select_related("person__profile__named_worker", "worker__profile")
        .filter(pk=task_id)
        .first()
    )


def open_contact_tasks_for_worker(*, worker: User) -> QuerySet[ContactTask]:
    """The calls and letters a worker owes, soonest due first (those with no deadline last):
    one query, with each person's name and phone."""
    return ContactTask.objects.filter(worker=worker, closed_at__isnull=True).select_related("person__profile")


def contact_tasks_for_person(*, person: User) -> QuerySet[ContactTask]:
    return ContactTask.objects.filter(person=person).select_related("worker__profile", "closed_by__profile")
