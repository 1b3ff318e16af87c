"""Writing messages to the outbox and delivering them.

Delivery is at-least-once towards the mail server and exactly-once in every case we can
control: a row is claimed by one conditional UPDATE, so two workers never send the same
message, and a worker that dies mid-send leaves the row `sending` until its lease runs out,
when the sweep hands it to another worker.

A row written unrendered (a snapshot in `context`) is rendered here, once claimed and before
it is sent, and what it says is stored in the same row (its snapshot cleared), so the inbox,
the admin and a retry read the same words.
"""

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.utils import timezone

from involvement.jobs import batch_in_own_transaction, each_in_own_transaction
from notifications.kinds import RULES, SECRET_KINDS, Channel
from notifications.models import WIPED_BODY, Message
from notifications.services.errors import NotificationsError
from notifications.services.queueing import queue_delivery
from notifications.services.rendering import render_snapshot, stored_columns
from notifications.services.texts import TextRefused, text_backend

logger = logging.getLogger(__name__)


def _backoff(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


CLAIM_SQL = """
UPDATE notifications_message
   SET status = 'sending', claimed_at = %(now)s, attempts = attempts + 1
 WHERE id IN (
        SELECT id FROM notifications_message
         WHERE status = 'pending' AND next_attempt_at <= %(now)s {only}
         ORDER BY next_attempt_at, id
         LIMIT %(limit)s
           FOR UPDATE SKIP LOCKED)
RETURNING id, to_email, subject, body_text, body_html, attempts, channel, to_phone, kind, context
"""


@dataclass
class Claimed:
    id: int
    to_email: str
    subject: str
    body_text: str
    body_html: str
    attempts: int
    channel: str = Channel.EMAIL
    to_phone: str = ""
    kind: str = ""
    # The snapshot of a message written unrendered (None once rendered, or never so).
    context: dict | None = None


def messages_claim(*, limit: int, ids: list[int] | None = None) -> list[Claimed]:
    """Claim up to `limit` due messages in one statement. SKIP LOCKED lets several workers
    claim at once without waiting on, or taking, each other's rows."""
    params: dict[str, datetime | int | list[int]] = {"now": timezone.now(), "limit": limit}
    only = ""
    if ids is not None:
        only = "AND id = ANY(%(ids)s)"
        params["ids"] = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL.format(only=only), params)
        claimed = [Claimed(*row) for row in cursor.fetchall()]
    for row in claimed:
        # Django has the driver hand back jsonb as text, for JSONField to decode: so here.
        if isinstance(row.context, str):
            row.context = json.loads(row.context)
    return claimed


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def messages_deliver(*, limit: int | None = None, ids: list[int] | None = None) -> DeliveryReport:
    """Claim a batch and send it: e-mails over one connection to the mail server, texts
    through one text backend (GOV.UK Notify)."""
    report = DeliveryReport()
    batch = messages_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, ids=ids)
    if not batch:
        return report
    errors: dict[int, Exception] = {}
    ready = _render_claimed(batch, errors=errors)
    emails = [claimed for claimed in ready if claimed.channel != Channel.TEXT]
    texts = [claimed for claimed in ready if claimed.channel == Channel.TEXT]
    if emails:
        _send_emails(emails, errors=errors, report=report)
    if texts:
        _send_texts(texts, errors=errors, report=report)
    now = timezone.now()
    # Recorded sent in one statement for speed; should that fail, one at a time, so that only
    # a message at fault stays `sending` (to go again once its lease runs out).
    batch_in_own_transaction(
        report.sent,
        partial(_record_sent, now=now),
        job="outbox delivery",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda pk: f"message {pk}",
    )
    failures = [claimed for claimed in batch if claimed.id in errors]
    each_in_own_transaction(
        failures,
        lambda claimed: _record_failure(claimed=claimed, error=errors[claimed.id], now=now, report=report),
        job="outbox delivery",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda claimed: f"message {claimed.id}",
    )
    return report


def _render_claimed(batch: list[Claimed], *, errors: dict[int, Exception]) -> list[Claimed]:
    """Render the claimed messages that were written unrendered, from their snapshots, and
    store what each says; the others are ready as they are. A message whose templates fail
    is a failure like any other (retried, then failed and listed in the admin). One that is
    no longer unrendered when its words are stored was erased meanwhile: it is not sent."""
    rendered: dict[int, dict[str, str]] = {}
    for claimed in batch:
        if claimed.context is None:
            continue
        try:
            rendered[claimed.id] = stored_columns(
                render_snapshot(kind=claimed.kind, snapshot=claimed.context), channel=claimed.channel
            )
        except Exception as error:  # a template's fault stays with its message
            errors[claimed.id] = error
    stored = _store_rendered(rendered)
    ready = []
    for claimed in batch:
        if claimed.context is None:
            ready.append(claimed)
        elif claimed.id in stored:
            columns = rendered[claimed.id]
            claimed.subject, claimed.body_text, claimed.body_html = (
                columns["subject"],
                columns["body_text"],
                columns["body_html"],
            )
            claimed.context = None
            ready.append(claimed)
    return ready


STORE_RENDERED_SQL = """
UPDATE notifications_message AS message
   SET subject = words.subject, body_text = words.body_text, body_html = words.body_html, context = NULL
  FROM (VALUES {rows}) AS words (id, subject, body_text, body_html)
 WHERE message.id = words.id AND message.context IS NOT NULL
RETURNING message.id
"""


def _store_rendered(rendered: dict[int, dict[str, str]]) -> set[int]:
    """Store messages' words and clear their snapshots, in one statement for a batch; the
    ids stored. A message whose snapshot something else cleared first is left alone and
    left out (erasure wipes both; `messages_render` may have rendered it already)."""
    if not rendered:
        return set()
    params: list[int | str] = []
    for message_id, columns in rendered.items():
        params += [message_id, columns["subject"], columns["body_text"], columns["body_html"]]
    rows = ", ".join(["(%s::bigint, %s, %s, %s)"] * len(rendered))
    with connection.cursor() as cursor:
        cursor.execute(STORE_RENDERED_SQL.format(rows=rows), params)
        return {message_id for (message_id,) in cursor.fetchall()}


def messages_render(*, ids: Sequence[int] | None = None, statuses: Sequence[str] | None = None) -> int:
    """Render messages written unrendered that delivery will not render: those listed in
    the inbox only (a worker, just after the commit; the sweep, for any a lost task left),
    and any of a person's before their data is copied or erased. A message whose templates
    fail is left with its snapshot (logged): pages still render it from there."""
    unrendered = Message.objects.filter(context__isnull=False).only("id", "kind", "channel", "context")
    if ids is not None:
        unrendered = unrendered.filter(pk__in=list(ids))
    if statuses is not None:
        unrendered = unrendered.filter(status__in=list(statuses))
    rendered: dict[int, dict[str, str]] = {}
    for message in unrendered.order_by("pk")[: settings.OUTBOX_BATCH_SIZE]:
        try:
            words = render_snapshot(kind=message.kind, snapshot=message.context or {})
        except Exception as error:
            logger.error("Message %s could not be rendered (%s).", message.pk, type(error).__name__)
            continue
        rendered[message.pk] = stored_columns(words, channel=message.channel)
    return len(_store_rendered(rendered))


def _send_emails(batch: list[Claimed], *, errors: dict[int, Exception], report: DeliveryReport) -> None:
    backend = mail.get_connection(fail_silently=False)
    try:
        backend.open()
    except Exception as error:
        errors.update({claimed.id: error for claimed in batch})
        return
    for claimed in batch:
        try:
            _send_one(claimed, backend=backend)
        except Exception as error:  # one message the server refuses leaves the others be
            errors[claimed.id] = error
        else:
            report.sent.append(claimed.id)
    try:
        backend.close()
    except Exception:  # the messages are already accepted; a failed QUIT changes nothing
        logger.info("Closing the mail connection failed after a batch.")


def _send_texts(batch: list[Claimed], *, errors: dict[int, Exception], report: DeliveryReport) -> None:
    try:
        backend = text_backend()
    except Exception as error:  # misconfigured: every text waits and says why
        errors.update({claimed.id: error for claimed in batch})
        return
    for claimed in batch:
        try:
            # The reference lets Notify's records be matched with ours; it names no person.
            backend.send(to_phone=claimed.to_phone, body=claimed.body_text, reference=f"message-{claimed.id}")
        except Exception as error:  # one text Notify refuses leaves the others be
            errors[claimed.id] = error
        else:
            report.sent.append(claimed.id)


def _send_one(claimed: Claimed, *, backend: BaseEmailBackend) -> None:
    email = mail.EmailMultiAlternatives(
        subject=claimed.subject, body=claimed.body_text, to=[claimed.to_email], connection=backend
    )
    if claimed.body_html:
        email.attach_alternative(claimed.body_html, "text/html")
    email.send()


def _record_sent(ids: Sequence[int], *, now: datetime) -> int:
    secret = Q(kind__in=SECRET_KINDS)
    text: TextField[str, str] = TextField()
    return Message.objects.filter(pk__in=ids).update(
        status=Message.Status.SENT,
        sent_at=now,
        last_error="",
        # Log-in codes and links are for the person alone: wiped in the same statement
        # that records them sent, so nobody may read them here afterwards.
        body_text=Case(When(secret, then=Value(WIPED_BODY)), default=F("body_text"), output_field=text),
        body_html=Case(When(secret, then=Value("")), default=F("body_html"), output_field=text),
    )


def _record_failure(*, claimed: Claimed, error: Exception, now: datetime, report: DeliveryReport) -> int:
    # Only the error's type and text: SMTP errors name addresses, never message bodies.
    description = f"{type(error).__name__}: {error}"[:1000]
    # A text Notify refuses for good (a bad number) fails at once: it would only fail again.
    if claimed.attempts >= settings.OUTBOX_MAX_ATTEMPTS or isinstance(error, TextRefused):
        Message.objects.filter(pk=claimed.id).update(status=Message.Status.FAILED, last_error=description)
        report.failed.append(claimed.id)
        logger.error(
            "Message %s failed after %s attempts: %s", claimed.id, claimed.attempts, type(error).__name__
        )
    else:
        Message.objects.filter(pk=claimed.id).update(
            status=Message.Status.PENDING,
            last_error=description,
            next_attempt_at=now + _backoff(claimed.attempts),
        )
        report.retrying.append(claimed.id)
    return 1


def messages_release_stale(*, now: datetime | None = None) -> int:
    """Hand back messages whose worker died mid-send: still `sending` after the lease."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    return Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - lease).update(
        status=Message.Status.PENDING, next_attempt_at=now
    )


def outbox_sweep(*, time_budget_seconds: float | None = None) -> DeliveryReport:
    """Deliver everything that is due, batch after batch, within a time budget so that one
    sweep ends before the next begins."""
    budget = time_budget_seconds if time_budget_seconds is not None else settings.OUTBOX_SWEEP_SECONDS
    deadline = timezone.now() + timedelta(seconds=budget)
    try:
        messages_release_stale()
    except Exception as error:  # what is due now still goes; the next sweep hands them back
        logger.error("Outbox sweep: handing back stale messages failed (%s).", type(error).__name__)
    try:
        # Inbox-only messages written unrendered whose task was lost (the broker was down).
        messages_render(statuses=[Message.Status.INBOX_ONLY])
    except Exception as error:  # pages render them from their snapshots meanwhile
        logger.error("Outbox sweep: rendering messages failed (%s).", type(error).__name__)
    total, failed_batches = DeliveryReport(), 0
    while timezone.now() < deadline:
        try:
            report = messages_deliver()
        except Exception as error:
            # The batch's messages stay claimed until their lease runs out, then go again;
            # the sweep goes on with the next batch. Twice in a row means the database or
            # the mail server is down: the next sweep tries again.
            failed_batches += 1
            logger.error("Outbox sweep: a batch failed (%s).", type(error).__name__)
            if failed_batches >= 2:
                break
            continue
        failed_batches = 0
        total.sent += report.sent
        total.retrying += report.retrying
        total.failed += report.failed
        if not (report.sent or report.retrying or report.failed):
            break
    return total


def message_resend(*, message: Message) -> None:
    """An administrator sends a failed message again, from the start."""
    # Neither refusal's text reaches anybody: the admin, the one caller, counts what it left
    # alone and says why in its own words.
    if RULES[message.kind].holds_secret:
        raise NotificationsError(
            "Account messages are never sent again: their codes and links have expired. "  # pragma: no mutate
            "The person can ask for a new one."  # pragma: no mutate
        )
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
            status=Message.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        if updated:
            transaction.on_commit(partial(queue_delivery, message.pk))
    if not updated:
        raise NotificationsError("Only a failed message can be sent again.")  # pragma: no mutate
