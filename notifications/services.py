"""Writing messages to the outbox and delivering them.

Delivery is at-least-once towards the mail server and exactly-once in every case we can
control: a row is claimed by one conditional UPDATE, so two workers never send the same
message, and a worker that dies mid-send leaves the row `sending` until its lease runs out,
when the sweep hands it to another worker.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.selectors import profile_for_user
from notifications.kinds import RULES, SECRET_KINDS, DigestFrequency, Kind
from notifications.models import WIPED_BODY, Message

logger = logging.getLogger(__name__)


class NotificationsError(Exception):
    """A rule was broken; the message is fit to show the person."""


@dataclass
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str = ""


def _check_kind(kind: str) -> None:
    if kind not in RULES:
        raise NotificationsError(f"Unknown kind of message: {kind}")


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template with autoescaping off: a subject or text body is not HTML,
    so a title like "Tea & talk" must arrive as "&", not "&amp;". The HTML body is still
    rendered with autoescaping on, and the inbox escapes the text body once when it shows it."""
    template = get_template(template_name).template  # the Django Template under the backend's wrapper
    return template.render(Context(context, autoescape=False))


def render_message(*, kind: Kind | str, context: dict) -> RenderedMessage:
    """Renders `templates/notifications/email/<kind>.{subject.txt,txt,html}`."""
    _check_kind(kind)
    context = {"site_url": settings.SITE_URL, **context}
    base = f"notifications/email/{kind}"
    subject = " ".join(render_plain_text(f"{base}.subject.txt", context).split())
    return RenderedMessage(
        subject=subject[:200],
        body_text=render_plain_text(f"{base}.txt", context).strip() + "\n",
        body_html=render_to_string(f"{base}.html", {**context, "subject": subject}),
    )


def _email_wanted(*, recipient: User | None, kind: str) -> bool:
    rules = RULES[kind]
    if recipient is None or not rules.email_optional:
        return True
    return kind not in profile_for_user(user=recipient).email_muted_kinds


def _is_paused(*, recipient: User | None, kind: str) -> bool:
    if recipient is None:
        return False
    profile = profile_for_user(user=recipient)
    if kind == Kind.DIGEST and profile.digest_frequency == DigestFrequency.NEVER:
        return True
    return RULES[kind].paused_by_break and profile.is_on_break()


def message_store(
    *,
    kind: Kind | str,
    dedupe_key: str,
    rendered: RenderedMessage,
    recipient: User | None = None,
    to_email: str | None = None,
) -> Message | None:
    """Write one message to the outbox, in the caller's transaction.

    A second call with the same key changes nothing and returns the first message. Returns
    None when the person has paused this kind (a break, or digests turned off). E-mail
    delivery is queued only once the transaction commits; a rollback leaves neither a row
    nor a task.
    """
    _check_kind(kind)
    if _is_paused(recipient=recipient, kind=kind):
        return None
    email = _email_wanted(recipient=recipient, kind=kind)
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "recipient": recipient,
                "to_email": to_email or recipient.email,
                "kind": kind,
                "subject": rendered.subject,
                "body_text": rendered.body_text,
                "body_html": rendered.body_html,
                "status": Message.Status.PENDING if email else Message.Status.INBOX_ONLY,
                # Messages that are never listed in the inbox count as read there.
                "read_at": None if RULES[kind].in_inbox else timezone.now(),
            },
        )
    if created and email:
        transaction.on_commit(partial(queue_delivery, message.pk))
    return message


def message_create(
    *, recipient: User, kind: Kind | str, dedupe_key: str, context: dict | None = None
) -> Message | None:
    """Render the kind's templates for this person and write the message to the outbox."""
    rendered = render_message(kind=kind, context={"recipient": recipient, **(context or {})})
    return message_store(kind=kind, dedupe_key=dedupe_key, rendered=rendered, recipient=recipient)


def unique_key(prefix: str) -> str:
    """A key for messages that are each a new event (a log-in code asked for twice is two codes)."""
    return f"{prefix}:{uuid.uuid4()}"


def queue_delivery(message_id: int) -> None:
    """Queue the delivery task. If the broker is down the request must still succeed: the
    message waits in the outbox and the sweep delivers it once the broker is back."""
    from notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception as error:  # kombu and redis raise several types; all mean "not queued"
        logger.warning(
            "Could not queue message %s (%s); the sweep will deliver it.", message_id, type(error).__name__
        )


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
RETURNING id, to_email, subject, body_text, body_html, attempts
"""


@dataclass
class Claimed:
    id: int
    to_email: str
    subject: str
    body_text: str
    body_html: str
    attempts: int


def messages_claim(*, limit: int, ids: list[int] | None = None) -> list[Claimed]:
    """Claim up to `limit` due messages in one statement. SKIP LOCKED lets several workers
    claim at once without waiting on, or taking, each other's rows."""
    params = {"now": timezone.now(), "limit": limit}
    only = ""
    if ids is not None:
        only = "AND id = ANY(%(ids)s)"
        params["ids"] = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL.format(only=only), params)
        return [Claimed(*row) for row in cursor.fetchall()]


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def messages_deliver(*, limit: int | None = None, ids: list[int] | None = None) -> DeliveryReport:
    """Claim a batch and send it over one connection to the mail server."""
    report = DeliveryReport()
    batch = messages_claim(limit=limit or settings.OUTBOX_BATCH_SIZE, ids=ids)
    if not batch:
        return report
    backend = mail.get_connection(fail_silently=False)
    errors: dict[int, Exception] = {}
    try:
        backend.open()
    except Exception as error:
        errors = {claimed.id: error for claimed in batch}
    else:
        for claimed in batch:
            email = mail.EmailMultiAlternatives(
                subject=claimed.subject, body=claimed.body_text, to=[claimed.to_email], connection=backend
            )
            if claimed.body_html:
                email.attach_alternative(claimed.body_html, "text/html")
            try:
                email.send()
            except Exception as error:
                errors[claimed.id] = error
            else:
                report.sent.append(claimed.id)
        try:
            backend.close()
        except Exception:  # the messages are already accepted; a failed QUIT changes nothing
            logger.info("Closing the mail connection failed after a batch.")
    now = timezone.now()
    if report.sent:
        secret, text = Q(kind__in=SECRET_KINDS), TextField()
        Message.objects.filter(pk__in=report.sent).update(
            status=Message.Status.SENT,
            sent_at=now,
            last_error="",
            # Log-in codes and links are for the person alone: wiped in the same statement
            # that records them sent, so nobody may read them here afterwards.
            body_text=Case(When(secret, then=Value(WIPED_BODY)), default=F("body_text"), output_field=text),
            body_html=Case(When(secret, then=Value("")), default=F("body_html"), output_field=text),
        )
    for claimed in batch:
        if claimed.id in errors:
            _record_failure(claimed=claimed, error=errors[claimed.id], now=now, report=report)
    return report


def _record_failure(*, claimed: Claimed, error: Exception, now, report: DeliveryReport) -> None:
    # Only the error's type and text: SMTP errors name addresses, never message bodies.
    description = f"{type(error).__name__}: {error}"[:1000]
    if claimed.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
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


def messages_release_stale(*, now=None) -> int:
    """Hand back messages whose worker died mid-send: still `sending` after the lease."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    return Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - lease).update(
        status=Message.Status.PENDING, next_attempt_at=now
    )


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


def outbox_sweep(*, time_budget_seconds: float | None = None) -> DeliveryReport:
    """Deliver everything that is due, batch after batch, within a time budget so that one
    sweep ends before the next begins."""
    budget = time_budget_seconds if time_budget_seconds is not None else settings.OUTBOX_SWEEP_SECONDS
    deadline = timezone.now() + timedelta(seconds=budget)
    messages_release_stale()
    total = DeliveryReport()
    while timezone.now() < deadline:
        report = messages_deliver()
        total.sent += report.sent
        total.retrying += report.retrying
        total.failed += report.failed
        if not (report.sent or report.retrying or report.failed):
            break
    return total


def message_resend(*, message: Message) -> None:
    """An administrator sends a failed message again, from the start."""
    if RULES[message.kind].holds_secret:
        raise NotificationsError(
            "Account messages are never sent again: their codes and links have expired. "
            "The person can ask for a new one."
        )
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, status=Message.Status.FAILED).update(
            status=Message.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        if updated:
            transaction.on_commit(partial(queue_delivery, message.pk))
    if not updated:
        raise NotificationsError("Only a failed message can be sent again.")


def inbox_mark_read(*, user: User, message_ids: list[int] | None = None) -> int:
    """Mark some, or all, of a person's inbox as read; only their own messages."""
    qs = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    return qs.update(read_at=timezone.now())


def welcome_message_create(*, recipient: User) -> Message | None:
    from accounts.permissions import is_staff_member

    return message_create(
        recipient=recipient,
        kind=Kind.WELCOME,
        dedupe_key=f"welcome:{recipient.pk}",
        context={"staff": is_staff_member(recipient)},
    )


def messages_store_bulk(*, kind: Kind | str, items: list[tuple[User, str, RenderedMessage]]) -> int:
    """Write many messages of one kind in one statement (digests, summaries): recipients
    must come with their profile loaded. Existing keys are skipped by the database, paused
    people are skipped here, and one batch delivery is queued on commit rather than a task
    per message."""
    from notifications.selectors import existing_dedupe_keys

    _check_kind(kind)
    rules = RULES[kind]
    now = timezone.now()
    done = existing_dedupe_keys(keys=[key for _, key, _ in items]) if items else set()
    rows = []
    for recipient, dedupe_key, rendered in items:
        if dedupe_key in done:
            continue
        profile = recipient.profile
        if kind == Kind.DIGEST and profile.digest_frequency == DigestFrequency.NEVER:
            continue
        if rules.paused_by_break and profile.is_on_break():
            continue
        email = not rules.email_optional or kind not in profile.email_muted_kinds
        rows.append(
            Message(
                recipient=recipient,
                to_email=recipient.email,
                kind=kind,
                dedupe_key=dedupe_key,
                subject=rendered.subject,
                body_text=rendered.body_text,
                body_html=rendered.body_html,
                status=Message.Status.PENDING if email else Message.Status.INBOX_ONLY,
                created_at=now,
                next_attempt_at=now,
            )
        )
    if not rows:
        return 0
    Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    transaction.on_commit(queue_sweep)
    return len(rows)


def queue_sweep() -> None:
    from notifications.tasks import sweep_outbox

    try:
        sweep_outbox.delay()
    except Exception as error:  # the periodic sweep will pick the batch up
        logger.warning("Could not queue a delivery sweep (%s).", type(error).__name__)
