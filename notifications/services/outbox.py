"""Writing messages to the outbox: one at a time, in the transaction of the change that
causes them, or many at once for the periodic jobs. Both paths follow the same rules about
what a person has chosen (a break, digests off, e-mail off for a kind)."""

import logging
import uuid
from contextlib import nullcontext
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ContactMethod, Profile, User
from accounts.selectors import profile_for_user
from notifications.kinds import RULES, Channel, DigestFrequency, Kind
from notifications.models import ContactTask, Message
from notifications.services.contact_tasks import CallRequest, contact_task_store
from notifications.services.errors import NotificationsError
from notifications.services.once import message_write_once
from notifications.services.queueing import queue_delivery, queue_render
from notifications.services.rendering import (
    Draft,
    RenderedMessage,
    _check_kind,
    render_message,
    render_text,
    stored_columns,
)
from notifications.services.snapshots import freeze

logger = logging.getLogger(__name__)


# Where a text's key differs from its e-mail's: one row per channel, each unique.
TEXT_KEY_SUFFIX = ":text"

# What a message says: rendered already, or a snapshot to render at delivery.
Content = RenderedMessage | Draft


def _words(content: Content) -> RenderedMessage:
    """The words, rendered now if they were not: only for what must hold them in this
    transaction (a call or a letter for a worker), never for the outbox row itself."""
    return content.render() if isinstance(content, Draft) else content


def _has_text(*, kind: str, content: Content) -> bool:
    """Whether the message has a text's words: a draft of a kind that may come by text will."""
    return RULES[kind].text if isinstance(content, Draft) else bool(content.body_sms)


def _content_fields(content: Content, *, channel: str) -> dict:
    """The row's subject and bodies, or, for a draft, its snapshot and empty columns that
    delivery fills in."""
    if isinstance(content, Draft):
        return {"subject": "", "body_text": "", "body_html": "", "context": content.snapshot}
    return stored_columns(content, channel=channel)


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


def _text_number(*, kind: str, profile: Profile | None) -> str:
    """The number a text of this kind goes to, or "" for none: texts switched on, a kind
    that may come by text, chosen by the person, and a confirmed mobile number (the profile
    holds only a confirmed one). Asked only once the kind is known not to be paused."""
    if not settings.TEXT_MESSAGES_ENABLED or profile is None or not RULES[kind].text:
        return ""
    if kind not in profile.text_kinds:
        return ""
    return profile.mobile_number


def _text_fields(*, kind: str, rendered: Content, recipient: User | None, to_phone: str) -> dict:
    now = timezone.now()
    return {
        "channel": Channel.TEXT,
        "recipient": recipient,
        "to_email": "",
        "to_phone": to_phone,
        "kind": kind,
        **_content_fields(rendered, channel=Channel.TEXT),
        "status": Message.Status.PENDING,
        "created_at": now,
        "next_attempt_at": now,
        # The inbox lists the e-mail's row, which every message has: never the text's.
        "read_at": now,
    }


def _message_fields(
    *, kind: str, rendered: Content, recipient: User | None, to_email: str, status: str
) -> dict:
    """The new row's fields, the same whichever path writes it."""
    now = timezone.now()
    return {
        "recipient": recipient,
        "to_email": to_email,
        "kind": kind,
        **_content_fields(rendered, channel=Channel.EMAIL),
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
    rendered: Content,
    recipient: User | None = None,
    to_email: str | None = None,
    call: CallRequest | None = None,
) -> Message | None:
    """Write one message to the outbox, in the caller's transaction.

    A second call with the same key changes nothing and returns the first message. Returns
    None when the person has paused this kind (a break, or digests turned off). E-mail
    delivery is queued only once the transaction commits; a rollback leaves neither a row
    nor a task.

    A person with no e-mail address (registered by a worker, docs/adr/0013-assisted-digital.md)
    gets a text where the kind may come by text and they have a confirmed mobile, and
    otherwise a task for their worker to phone them or write (returning None then). With
    `call`, a person who prefers a phone call gets one too (a task, keyed by the message).

    `rendered` may be a `Draft` (`message_create(..., render_later=True)`): the row then
    keeps the snapshot and is rendered at delivery; only a call or a letter, which a worker
    reads from this transaction on, is rendered here.
    """
    _check_kind(kind)
    profile = profile_for_user(user=recipient) if recipient else None
    return _store(
        kind=kind,
        dedupe_key=dedupe_key,
        rendered=rendered,
        recipient=recipient,
        profile=profile,
        to_email=to_email,
        call=call,
    )


def _store(
    *,
    kind: str,
    dedupe_key: str,
    rendered: Content,
    recipient: User | None,
    profile: Profile | None,
    to_email: str | None,
    call: CallRequest | None,
) -> Message | None:
    status = _start_status(kind=kind, profile=profile)
    if status is None:
        return None
    if recipient is not None and profile is not None and not recipient.email and not to_email:
        return _store_without_email(
            kind=kind,
            dedupe_key=dedupe_key,
            rendered=rendered,
            recipient=recipient,
            profile=profile,
            call=call,
        )
    address = to_email or (recipient.email if recipient else "")
    if not address:
        raise NotificationsError("A message needs a recipient or an e-mail address.")
    fields = _message_fields(
        kind=kind, rendered=rendered, recipient=recipient, to_email=address, status=status
    )
    to_phone = _text_number(kind=kind, profile=profile)
    # One row is one statement, atomic by itself; a text or a call as well are written
    # together with it or not at all.
    together = transaction.atomic() if to_phone or call is not None else nullcontext()
    with together:
        message, created = message_write_once(dedupe_key=dedupe_key, fields=fields)
        if created and to_phone and _has_text(kind=kind, content=rendered):
            text, text_created = message_write_once(
                dedupe_key=dedupe_key + TEXT_KEY_SUFFIX,
                fields=_text_fields(kind=kind, rendered=rendered, recipient=recipient, to_phone=to_phone),
            )
            if text_created:
                transaction.on_commit(partial(queue_delivery, text.pk))
        if created and call is not None and profile is not None and recipient is not None:
            _call_task(
                kind=kind,
                dedupe_key=dedupe_key,
                rendered=rendered,
                recipient=recipient,
                profile=profile,
                call=call,
            )
    if created and status == Message.Status.PENDING:
        transaction.on_commit(partial(queue_delivery, message.pk))
    elif created and isinstance(rendered, Draft):
        # Listed in the inbox only, so never delivered: a worker renders it after the commit.
        transaction.on_commit(partial(queue_render, message.pk))
    return message


def _call_task(
    *,
    kind: str,
    dedupe_key: str,
    rendered: Content,
    recipient: User,
    profile: Profile,
    call: CallRequest,
) -> None:
    """The call a person who prefers a phone call gets about an offer or a changed session,
    made by their named worker or else the one the change names (the lead worker)."""
    if profile.contact_method != ContactMethod.PHONE or not profile.phone:
        return
    worker_id = profile.named_worker_id or call.worker_id
    words = _words(rendered)
    contact_task_store(
        person=recipient,
        profile=profile,
        kind=kind,
        dedupe_key=dedupe_key,
        subject=words.subject,
        body_text=words.body_text,
        worker_id=worker_id,
        due_at=call.due_at,
        method=ContactTask.Method.PHONE,
    )


def _store_without_email(
    *,
    kind: str,
    dedupe_key: str,
    rendered: Content,
    recipient: User,
    profile: Profile,
    call: CallRequest | None,
) -> Message | None:
    """A message for somebody with no e-mail address is never lost: a text to their
    confirmed mobile where the kind may come by text (whatever kinds they chose: they have
    no other channel), else a task for their named worker, or the worker who registered
    them, to phone them (or write, with no phone). Account messages, which hold secrets and
    are only ever asked for by e-mail, are never turned into either."""
    if RULES[kind].holds_secret:
        return None
    with transaction.atomic():
        if (
            RULES[kind].text
            and _has_text(kind=kind, content=rendered)
            and profile.mobile_number
            and settings.TEXT_MESSAGES_ENABLED
        ):
            text, created = message_write_once(
                dedupe_key=dedupe_key + TEXT_KEY_SUFFIX,
                fields=_text_fields(
                    kind=kind, rendered=rendered, recipient=recipient, to_phone=profile.mobile_number
                ),
            )
            if created:
                transaction.on_commit(partial(queue_delivery, text.pk))
            if call is not None:
                _call_task(
                    kind=kind,
                    dedupe_key=dedupe_key,
                    rendered=rendered,
                    recipient=recipient,
                    profile=profile,
                    call=call,
                )
            return text
        worker_id = (
            profile.named_worker_id
            or profile.registered_by_id
            or (call.worker_id if call is not None else None)
        )
        words = _words(rendered)
        contact_task_store(
            person=recipient,
            profile=profile,
            kind=kind,
            dedupe_key=dedupe_key,
            subject=words.subject,
            body_text=words.body_text,
            worker_id=worker_id,
            due_at=call.due_at if call is not None else None,
        )
    return None


def text_code_create(
    *, recipient: User, to_phone: str, kind: Kind | str, dedupe_key: str, context: dict
) -> Message:
    """The one text sent to a number not yet confirmed: the code that confirms it, whatever
    the person's preferences (they asked for it just now). Only kinds marked `text_only`."""
    _check_kind(kind)
    if not RULES[kind].text_only:
        raise NotificationsError(f"Only the code that confirms a number goes to it before then, not {kind}.")
    body = render_text(kind=kind, context={"recipient": recipient, **context})
    rendered = RenderedMessage(subject=Kind(kind).label, body_text=body, body_sms=body)
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            dedupe_key=dedupe_key + TEXT_KEY_SUFFIX,
            defaults=_text_fields(kind=kind, rendered=rendered, recipient=recipient, to_phone=to_phone),
        )
    if created:
        transaction.on_commit(partial(queue_delivery, message.pk))
    return message


def message_create(
    *,
    recipient: User,
    kind: Kind | str,
    dedupe_key: str,
    context: dict | None = None,
    call: CallRequest | None = None,
    render_later: bool = False,
) -> Message | None:
    """Render the kind's templates for this person and write the message to the outbox
    (with `call`, a phone call as well for a person who prefers one: `message_store`).

    With `render_later`, nothing is rendered here: the row keeps a snapshot of `context`
    (plain values only, `snapshots.freeze`, which refuses model instances) and of the
    recipient's name, and is rendered from it at delivery. For a transaction that holds a
    lock others wait on (a sign-up): what the message says is still fixed now."""
    _check_kind(kind)
    if not render_later:
        rendered = render_message(kind=kind, context={"recipient": recipient, **(context or {})})
        return message_store(
            kind=kind, dedupe_key=dedupe_key, rendered=rendered, recipient=recipient, call=call
        )
    if RULES[kind].holds_secret:
        # A secret is rendered and wiped once sent: it is never kept as a snapshot.
        raise NotificationsError(
            f"A message of kind {kind} holds a secret: it is rendered when it is written."
        )
    profile = _profile(recipient)
    snapshot = freeze({"recipient": recipient_snapshot(recipient, profile), **(context or {})})
    return _store(
        kind=kind,
        dedupe_key=dedupe_key,
        rendered=Draft(kind=kind, snapshot=snapshot),
        recipient=recipient,
        profile=profile,
        to_email=None,
        call=call,
    )


def _profile(recipient: User) -> Profile:
    """The recipient's profile: the one loaded with them if it was (a caller under a lock
    loads it before taking the lock), else read now."""
    if User.profile.is_cached(recipient):
        return recipient.profile
    return profile_for_user(user=recipient)


def recipient_snapshot(recipient: User, profile: Profile) -> dict:
    """What the templates say of the person a message is to (`recipient.first_name`,
    `recipient.profile.display_name`), as it is when the message is written."""
    return {"first_name": recipient.first_name, "profile": {"display_name": profile.display_name}}


def unique_key(prefix: str) -> str:
    """A key for messages that are each a new event (a log-in code asked for twice is two codes)."""
    return f"{prefix}:{uuid.uuid4()}"
