"""The person's own inbox."""

from django.utils import timezone

from accounts.models import User
from notifications.models import Message


def inbox_mark_read(*, user: User, message_ids: list[int] | None = None) -> int:
    """Mark some, or all, of a person's inbox as read; only their own messages."""
    qs = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(read_at=timezone.now())
