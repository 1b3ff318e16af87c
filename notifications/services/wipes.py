"""Account messages hold secrets (log-in codes, password links) for their recipient alone:
what sending has not wiped, this wipes."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from notifications.kinds import SECRET_KINDS
from notifications.models import WIPED_BODY, Message


def messages_wipe_secrets(*, now=None) -> int:
    """Wipe what is left of account messages' secrets; the rows stay as the record.

    Sending wipes its own; this catches the ones that failed, any sent before that was so,
    and any still waiting after the longest-lived secret they can hold (a password link,
    PASSWORD_RESET_TIMEOUT) has expired: those are never sent. The filters match the partial
    index `message_secret_unwiped_idx`, so this reads only a handful of rows, however long
    the outbox grows.
    """
    now = now or timezone.now()
    unwiped = Message.objects.filter(kind__in=SECRET_KINDS).exclude(body_text=WIPED_BODY)
    expired = unwiped.filter(
        status=Message.Status.PENDING,
        created_at__lt=now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
    ).update(
        status=Message.Status.FAILED,
        last_error="Expired before it could be sent: the person can ask again.",
        body_text=WIPED_BODY,
        body_html="",
    )
    done = unwiped.filter(status__in=[Message.Status.SENT, Message.Status.FAILED]).update(
        body_text=WIPED_BODY, body_html=""
    )
    return expired + done
