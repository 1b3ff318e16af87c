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

from accounts.models import Profile, User
from accounts.selectors import profile_for_user
from involvement.errors import ServiceError
from notifications.kinds import RULES, SECRET_KINDS, TEMPLATE_CHOICES, DigestFrequency, Kind
from notifications.models import WIPED_BODY, Message

logger = logging.getLogger(__name__)


class NotificationsError(ServiceError):
    """A rule about messages refused the action (involvement.errors)."""


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
    context = {"site_url": settings.SITE_URL, **TEMPLATE_CHOICES, **context}
    base = f"notifications/email/{kind}"
    subject = " ".join(render_plain_text(f"{base}.subject.txt", context).split())
    return RenderedMessage(
        subject=subject[:200],
        body_text=render_plain_text(f"{base}.txt", context).strip() + "\n",
        body_html=render_to_string(f"{base}.html", {**context, "subject": subject}),
    )


def _start_status(*, kind: str, profile: Profile | None) -> str | None:
    """What the person's choices make of a message of this kind: the rules written once, for
    the single path (`message_store`) and the bulk one (`messages_store_bulk`) alike.

    None when the kind is paused for them, so that no message is written at all: digests
    turned off, or a break that pauses this kind. Otherwise the status it starts in: inbox
    only when they turned e-mail off for a kind they may, pending (to be e-mailed) when not.
    A message to an address with no account (no profile) is always e-mailed."""
    rules = RULES[kind]
    if profile is None:
        return Message.Status.PENDING
    if kind == Kind.DIGEST and profile.digest_frequency == DigestFrequency.NEVER:
        return None
    if rules.paused_by_break and profile.is_on_break():
        return None
    if rules.email_optional and kind in profile.email_muted_kinds:
        return Message.Status.INBOX_ONLY
    return Message.Status.PENDING


def _message_fields(
    *, kind: str, rendered: RenderedMessage, recipient: User | None, to_email: str, status: str
) -> dict:
    """The new row's fields, the same whichever path writes it."""
    now = timezone.now()
    return {
        "recipient": recipient,
        "to_email": to_email,
        "kind": kind,
        "subject": rendered.subject,
        "body_text": rendered.body_text,
        "body_html": rendered.body_html,
        "status": status,
        "created_at": now,
        "next_attempt_at": now,
        # Messages that are never listed in the inbox count as read there.
        "read_at": None if RULES[kind].in_inbox else now,
    }


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
    status = _start_status(kind=kind, profile=profile_for_user(user=recipient) if recipient else None)
    if status is None:
        return None
    fields = _message_fields(
        kind=kind, rendered=rendered, recipient=recipient, to_email=to_email or recipient.email, status=status
    )
    with transaction.atomic():
        message, created = Message.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
    if created and status == Message.Status.PENDING:
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


def messages_store_bulk(*, kind: Kind | str, items: list[tuple[User, str, RenderedMessage]]) -> int:
    """Write many messages of one kind in one statement (digests, summaries): recipients
    must come with their profile loaded. Existing keys are skipped by the database, paused
    people are skipped here, and one batch delivery is queued on commit rather than a task
    per message."""
    from notifications.selectors import existing_dedupe_keys

    _check_kind(kind)
    done = existing_dedupe_keys(keys=[key for _, key, _ in items]) if items else set()
    rows = []
    for recipient, dedupe_key, rendered in items:
        if dedupe_key in done:
            continue
        status = _start_status(kind=kind, profile=recipient.profile)
        if status is None:
            continue
        fields = _message_fields(
            kind=kind, rendered=rendered, recipient=recipient, to_email=recipient.email, status=status
        )
        rows.append(Message(dedupe_key=dedupe_key, **fields))
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
