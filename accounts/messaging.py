"""How accounts asks for a message to a person without importing notifications, which sits
above it (docs/architecture.md). accounts names the kind and what the message needs to say;
notifications renders it, applies the person's choices and writes it to the outbox, in the
caller's transaction. notifications plugs its outbox in when Django starts
(`NotificationsConfig.ready`) and checks the kinds, which are its names, given here as
plain strings.
"""

import uuid
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from accounts.models import User

# The kinds of message accounts asks for: values of notifications.kinds.Kind.
WELCOME = "welcome"
STAFF_INVITATION = "staff_invitation"
TWO_FACTOR_RESET = "two_factor_reset"
# Who a person's named worker is now: to the person and to both workers (accounts.caseload).
NAMED_WORKER_CHANGED = "named_worker_changed"
# A code to confirm a mobile number: sent by text, to the number being confirmed.
PHONE_CODE = "phone_code"
ACCOUNT_KINDS = (WELCOME, STAFF_INVITATION, TWO_FACTOR_RESET, NAMED_WORKER_CHANGED, PHONE_CODE)


class Outbox(Protocol):
    def __call__(
        self, *, recipient: User, kind: str, dedupe_key: str, context: dict[str, Any] | None = None
    ) -> object: ...


class TextOutbox(Protocol):
    def __call__(
        self, *, recipient: User, to_phone: str, kind: str, dedupe_key: str, context: dict[str, Any]
    ) -> object: ...


_outbox: Outbox | None = None
_text_outbox: TextOutbox | None = None


def outbox_connect(outbox: Outbox, *, text_outbox: TextOutbox | None = None) -> None:
    """notifications gives its outbox (`message_create`) once, when Django starts, and the
    way to send a text to a number not yet confirmed (`text_code_create`)."""
    global _outbox, _text_outbox
    _outbox = outbox
    _text_outbox = text_outbox


def account_message_send(
    *, recipient: User, kind: str, dedupe_key: str, context: dict[str, Any] | None = None
) -> None:
    """Write a message to the outbox, in the caller's transaction: it is sent once that
    commits, and a rollback leaves none. A second call with the same key changes nothing."""
    if _outbox is None:
        raise ImproperlyConfigured("accounts sends messages through notifications: add it to INSTALLED_APPS.")
    _outbox(recipient=recipient, kind=kind, dedupe_key=dedupe_key, context=context)


def account_text_send(
    *, recipient: User, to_phone: str, kind: str, dedupe_key: str, context: dict[str, Any]
) -> None:
    """Write a text to this number to the outbox, in the caller's transaction, whatever the
    person's preferences: only for the code that confirms the number (PHONE_CODE)."""
    if _text_outbox is None:
        raise ImproperlyConfigured("accounts sends texts through notifications: add it to INSTALLED_APPS.")
    _text_outbox(recipient=recipient, to_phone=to_phone, kind=kind, dedupe_key=dedupe_key, context=context)


def unique_key(prefix: str) -> str:
    """A key for a message that is each time a new event (two resets are two messages)."""
    return f"{prefix}:{uuid.uuid4()}"
