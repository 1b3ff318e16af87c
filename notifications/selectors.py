"""Reads for the inbox."""

from django.db.models import QuerySet

from accounts.models import User
from notifications.kinds import INBOX_KINDS
from notifications.models import Message


def inbox_for_user(*, user: User) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user, kind__in=INBOX_KINDS).only(
        "id", "subject", "kind", "created_at", "read_at", "recipient_id"
    )


def inbox_unread_count(*, user: User) -> int:
    return Message.objects.filter(recipient=user, kind__in=INBOX_KINDS, read_at__isnull=True).count()


def inbox_message_get(*, user: User, message_id: int) -> Message | None:
    return Message.objects.filter(recipient=user, kind__in=INBOX_KINDS, pk=message_id).first()
