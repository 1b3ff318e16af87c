"""Sending a text: GOV.UK Notify in production, a file, the log or a list otherwise.

Notify holds one SMS template whose whole content is `((body))`; the words are ours, rendered
per kind from `templates/notifications/text/<kind>.txt`, and passed as that personalisation.
Delivery (`delivery.py`) claims text rows like e-mail rows and sends each through
`text_backend()`; what Notify refuses for good (a 400: a bad number, a message it cannot
send) fails at once, anything else is retried with the outbox's backoff.
"""

import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

logger = logging.getLogger(__name__)

# Texts "sent" by the memory backend, for tests to read (like Django's mail.outbox).
sent: list[dict[str, str]] = []


class TextRefused(Exception):
    """The text can never go as it is (Notify's 400): retrying would only fail again."""


class TextBackend(Protocol):
    def send(self, *, to_phone: str, body: str, reference: str) -> None: ...


class NotifyTextBackend:
    """GOV.UK Notify's own client. Its requests carry a JWT signed with the key's secret;
    a new client per batch, as the client is not thread-safe."""

    def __init__(self) -> None:
        if not settings.NOTIFY_API_KEY or not settings.NOTIFY_SMS_TEMPLATE_ID:
            raise ImproperlyConfigured("Texts need NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID.")
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )

    def send(self, *, to_phone: str, body: str, reference: str) -> None:
        try:
            self.client.send_sms_notification(
                phone_number=to_phone,
                template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
                personalisation={"body": body},
                reference=reference,
            )
        except HTTPError as error:
            # Notify's error names the fault (never the text's words): kept as last_error.
            if error.status_code == 400:
                raise TextRefused(str(error)) from error
            raise


class FileTextBackend:
    """Development: a file per text in TEXT_FILE_PATH, like the e-mails in ./sent-mail."""

    def send(self, *, to_phone: str, body: str, reference: str) -> None:
        folder = Path(settings.TEXT_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{reference}.txt"
        (folder / name).write_text(f"To: {to_phone}\nReference: {reference}\n\n{body}\n", encoding="utf-8")


class ConsoleTextBackend:
    def send(self, *, to_phone: str, body: str, reference: str) -> None:
        logger.info("Text to %s (%s):\n%s", to_phone, reference, body)


class MemoryTextBackend:
    def send(self, *, to_phone: str, body: str, reference: str) -> None:
        sent.append({"to_phone": to_phone, "body": body, "reference": reference})


BACKENDS: dict[str, type[NotifyTextBackend | FileTextBackend | ConsoleTextBackend | MemoryTextBackend]] = {
    "notify": NotifyTextBackend,
    "file": FileTextBackend,
    "console": ConsoleTextBackend,
    "memory": MemoryTextBackend,
}


def text_backend() -> TextBackend:
    try:
        backend = BACKENDS[settings.TEXT_BACKEND]
    except KeyError:
        raise ImproperlyConfigured(
            f"TEXT_BACKEND must be one of {', '.join(BACKENDS)} (it is {settings.TEXT_BACKEND!r})."
        ) from None
    return backend()
