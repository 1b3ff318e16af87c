"""The outbox's periodic jobs (the delivery sweep, the wipe of account messages) handle each
message, or each batch, on its own: one that fails is logged by its id alone and left for
the next run, and the others are still done."""

import logging

import pytest
from django.core import mail

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import WIPED_BODY, Message
from notifications.services import (
    RenderedMessage,
    delivery,
    message_create,
    message_store,
    messages_wipe_secrets,
    outbox_sweep,
    wipes,
)
from notifications.tests.harness import SMTPHandler, smtp_server

pytestmark = pytest.mark.django_db

NAME = "Philippa Private"


def welcome_to(someone) -> Message:
    return message_create(recipient=someone, kind=Kind.WELCOME, dedupe_key=f"welcome:{someone.pk}")


@pytest.fixture
def three():
    return [person(roles=[Role.REPRESENTATIVE], display_name=NAME) for _ in range(3)]


def status_of(message: Message) -> str:
    message.refresh_from_db()
    return message.status


def assert_logged_without_personal_data(caplog, message: Message) -> None:
    logged = caplog.text
    assert f"message {message.pk}" in logged
    assert message.to_email not in logged and NAME not in logged


def test_the_sweep_sends_the_others_when_the_mail_server_refuses_one(three, settings):
    refused, *others = three
    with smtp_server(SMTPHandler(refuse={refused.email})) as (handler, url):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.rsplit(":", 1)[1])
        messages = [welcome_to(someone) for someone in three]
        report = outbox_sweep(time_budget_seconds=5)
        assert all(len(handler.to(someone.email)) == 1 for someone in others)
    assert sorted(report.sent) == sorted(m.pk for m in messages[1:])
    assert [status_of(m) for m in messages] == [Message.Status.PENDING] + [Message.Status.SENT] * 2


def test_a_message_that_cannot_be_recorded_sent_leaves_the_others_recorded(three, monkeypatch, caplog):
    messages = [welcome_to(someone) for someone in three]
    stuck = messages[1]
    record_sent = delivery._record_sent

    def failing_for_one(ids, **kwargs):
        if stuck.pk in ids:
            raise RuntimeError(f"cannot record {stuck.to_email}")
        return record_sent(ids, **kwargs)

    monkeypatch.setattr(delivery, "_record_sent", failing_for_one)
    with caplog.at_level(logging.WARNING, logger="involvement.jobs"):
        outbox_sweep(time_budget_seconds=5)
    assert len(mail.outbox) == 3
    assert status_of(messages[0]) == status_of(messages[2]) == Message.Status.SENT
    # Left claimed: once its lease runs out, the sweep hands it back and it goes again.
    assert status_of(stuck) == Message.Status.SENDING
    assert_logged_without_personal_data(caplog, stuck)


def test_a_batch_that_fails_does_not_stop_the_sweep(three, monkeypatch, caplog):
    messages = [welcome_to(someone) for someone in three]
    deliver = delivery.messages_deliver
    calls = []

    def fails_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("the first batch fails")
        return deliver(**kwargs)

    monkeypatch.setattr(delivery, "messages_deliver", fails_first)
    with caplog.at_level(logging.ERROR):
        report = outbox_sweep(time_budget_seconds=5)
    assert sorted(report.sent) == sorted(m.pk for m in messages)
    assert "a batch failed (RuntimeError)" in caplog.text


def account_message(someone, key: str, **fields) -> Message:
    message = message_store(
        kind=Kind.ACCOUNT,
        dedupe_key=key,
        rendered=RenderedMessage("Involvement Hub: Sign-in code", "Your code is SECRET-1", "<p>SECRET-1</p>"),
        recipient=someone,
    )
    Message.objects.filter(pk=message.pk).update(**fields)
    message.refresh_from_db()
    return message


def test_the_wipe_wipes_the_others_when_one_cannot_be_wiped(three, monkeypatch, caplog):
    failed = [
        account_message(someone, f"account:{index}", status=Message.Status.FAILED)
        for index, someone in enumerate(three)
    ]
    stuck = failed[0]
    wipe = wipes._secrets_wipe

    def failing_for_one(ids, **kwargs):
        if stuck.pk in ids:
            raise RuntimeError(f"cannot wipe {stuck.to_email}")
        return wipe(ids, **kwargs)

    monkeypatch.setattr(wipes, "_secrets_wipe", failing_for_one)
    with caplog.at_level(logging.WARNING, logger="involvement.jobs"):
        assert messages_wipe_secrets() == 2
    for message in failed[1:]:
        message.refresh_from_db()
        assert message.body_text == WIPED_BODY
    stuck.refresh_from_db()
    assert "SECRET-1" in stuck.body_text
    assert_logged_without_personal_data(caplog, stuck)

    monkeypatch.setattr(wipes, "_secrets_wipe", wipe)
    assert messages_wipe_secrets() == 1  # the next run wipes it
