"""Account messages hold secrets (log-in codes, password links) for their recipient alone:
what sending has not wiped, this wipes."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from involvement.jobs import batch_in_own_transaction
from notifications.kinds import SECRET_KINDS
from notifications.models import WIPED_BODY, Message


def messages_wipe_secrets(*, now: datetime | None = None) -> int:
    """Wipe what is left of account messages' secrets; the rows stay as the record.

    Sending wipes its own; this catches the ones that failed, any sent before that was so,
    and any still waiting after the longest-lived secret they can hold (a password link,
    PASSWORD_RESET_TIMEOUT) has expired: those are never sent. The filters match the partial
    index `message_secret_unwiped_idx`, so this reads only a handful of rows, however long
    the outbox grows. They are wiped together, in a transaction of their own; should that
    fail, one at a time, so that a row at fault is logged and the others are still wiped.
    """
    now = now or timezone.now()
    expiry = now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    ids = list(
        _unwiped()
        .filter(
            Q(status__in=[Message.Status.SENT, Message.Status.FAILED])
            | Q(status=Message.Status.PENDING, created_at__lt=expiry)
        )
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    wipe = partial(_secrets_wipe, expiry=expiry)
    return batch_in_own_transaction(
        ids,
        wipe,
        job="account message wipe",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda pk: f"message {pk}",
    )


def _unwiped() -> QuerySet[Message]:
    return Message.objects.filter(kind__in=SECRET_KINDS).exclude(body_text=WIPED_BODY)


def _secrets_wipe(ids: Sequence[int], *, expiry: datetime) -> int:
    # The conditions again, at the moment of writing: a message being sent in between
    # has its own sending wipe it, and is never marked expired here.
    unwiped = _unwiped().filter(pk__in=ids)
    expired = unwiped.filter(status=Message.Status.PENDING, created_at__lt=expiry).update(
        status=Message.Status.FAILED,
        last_error="Expired before it could be sent: the person can ask again.",
        body_text=WIPED_BODY,
        body_html="",
        context=None,
    )
    done = unwiped.filter(status__in=[Message.Status.SENT, Message.Status.FAILED]).update(
        body_text=WIPED_BODY, body_html="", context=None
    )
    return expired + done
