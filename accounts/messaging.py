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
ACCOUNT_KINDS = (WELCOME, STAFF_INVITATION, TWO_FACTOR_RESET)


class Outbox(Protocol):
    def __call__(
        self, *, recipient: User, kind: str, dedupe_key: str, context: dict[str, Any] | None = None
    ) -> object: ...


_outbox: Outbox | None = None


def outbox_connect(outbox: Outbox) -> None:
    """notifications gives its outbox (`message_create`) once, when Django starts."""
    global _outbox
    _outbox = outbox


def account_message_send(
    *, recipient: User, kind: str, dedupe_key: str, context: dict[str, Any] | None = None
) -> None:
    """Write a message to the outbox, in the caller's transaction: it is sent once that
    commits, and a rollback leaves none. A second call with the same key changes nothing."""
    if _outbox is None:
        raise ImproperlyConfigured("accounts sends messages through notifications: add it to INSTALLED_APPS.")
    _outbox(recipient=recipient, kind=kind, dedupe_key=dedupe_key, context=context)


def unique_key(prefix: str) -> str:
    """A key for a message that is each time a new event (two resets are two messages)."""
    return f"{prefix}:{uuid.uuid4()}"
