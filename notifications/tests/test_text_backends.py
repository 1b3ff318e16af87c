"""The text backends themselves (notifications/services/texts.py), found untested by mutation
testing (docs/testing.md): a misconfiguration says what to set, a stalled Notify holds a
worker no longer than NOTIFY_TIMEOUT_SECONDS, and the development backends write what a
developer reads to check a text."""

import logging
import socket
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.services import texts
from notifications.tests.notify_double import NotifyDouble

MOBILE = "+447700900982"


def test_an_unknown_backend_names_the_ones_there_are(settings):
    settings.TEXT_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured) as refused:
        texts.text_backend()
    assert str(refused.value) == (
        "TEXT_BACKEND must be one of notify, file, console, memory (it is 'carrier-pigeon')."
    )


@pytest.mark.parametrize(
    ("key", "template"),
    [("", ""), (NotifyDouble().api_key, ""), ("", "f33517ff-2a88-4f6e-b855-c550268ce08a")],
)
def test_notify_needs_both_its_key_and_its_template(settings, key, template):
    settings.TEXT_BACKEND = "notify"
    settings.NOTIFY_API_KEY, settings.NOTIFY_SMS_TEMPLATE_ID = key, template
    with pytest.raises(ImproperlyConfigured) as refused:
        texts.text_backend()
    assert str(refused.value) == "Texts need NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID."


def test_a_notify_that_never_answers_holds_the_worker_no_longer_than_the_timeout(settings):
    # A server that takes the connection and never says a word.
    silent = socket.create_server(("127.0.0.1", 0))
    settings.TEXT_BACKEND = "notify"
    settings.NOTIFY_API_KEY = NotifyDouble().api_key
    settings.NOTIFY_SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
    settings.NOTIFY_TIMEOUT_SECONDS = 0.5
    backend = texts.text_backend()
    errors: list[BaseException] = []

    def send() -> None:
        try:
            backend.send(to_phone=MOBILE, body="Words.", reference="message-1")
        except Exception as error:  # the delivery retries it later: what matters is when
            errors.append(error)

    started = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(timeout=10)
    gave_up_after = time.monotonic() - started
    silent.close()  # lets a sender still waiting go
    sender.join(timeout=10)
    assert gave_up_after < 5, "the send waited far past NOTIFY_TIMEOUT_SECONDS"
    assert len(errors) == 1


def test_the_file_backend_writes_a_file_per_text(settings, tmp_path):
    settings.TEXT_BACKEND = "file"
    # A folder not made yet, inside another not made yet: the first text makes both.
    folder = tmp_path / "dev" / "sent-texts"
    settings.TEXT_FILE_PATH = str(folder)
    texts.text_backend().send(to_phone=MOBILE, body="Your place is confirmed.", reference="message-7")
    texts.text_backend().send(to_phone=MOBILE, body="See you on Friday.", reference="message-8")
    # Each named <date>-<time>-<reference>.txt.
    written = {path.name.split("-", 2)[2]: path for path in folder.iterdir()}
    assert sorted(written) == ["message-7.txt", "message-8.txt"]
    assert written["message-7.txt"].read_text(encoding="utf-8") == (
        f"To: {MOBILE}\nReference: message-7\n\nYour place is confirmed.\n"
    )


def test_the_console_backend_logs_the_number_reference_and_words(settings, caplog):
    settings.TEXT_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="notifications.services.texts"):
        texts.text_backend().send(to_phone=MOBILE, body="Your place is confirmed.", reference="message-7")
    assert [record.getMessage() for record in caplog.records] == [
        f"Text to {MOBILE} (message-7):\nYour place is confirmed."
    ]


def test_the_memory_backend_keeps_each_text_for_the_tests(settings):
    settings.TEXT_BACKEND = "memory"
    texts.sent.clear()
    texts.text_backend().send(to_phone=MOBILE, body="Words.", reference="message-8")
    assert texts.sent == [{"to_phone": MOBILE, "body": "Words.", "reference": "message-8"}]
    texts.sent.clear()
