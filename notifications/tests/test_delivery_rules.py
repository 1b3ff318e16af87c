"""The outbox's delivery rules, each tried where plausible wrong code would answer
differently: a sweep works batch after batch until its time budget is spent and no longer,
adds up every batch, stops after two failed batches in a row, still delivers when handing
back stale messages fails; a failure is recorded with its error on every attempt and logged
by type when final; resending is for the one message chosen, from the start; bulk writes
skip what exists; a broker that is down loses nothing. `make mutation` showed the tests
before these could not tell."""

import logging
import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import (
    DeliveryReport,
    RenderedMessage,
    bulk,
    delivery,
    message_create,
    message_resend,
    messages_deliver,
    messages_store_bulk,
    outbox_sweep,
)
from notifications.tests.harness import smtp_server

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DELIVERY_LOG = "notifications.services.delivery"


class RefusingBackend(EmailBackend):
    """Django's in-memory mail, except that the server refuses the addresses in `refuse`
    (as a real one does with a 451) or fails with `error` for every message."""

    refuse: set[str] = set()
    error: Exception | None = None

    def send_messages(self, messages):
        for message in messages:
            if self.error is not None:
                raise self.error
            if set(message.to) & self.refuse:
                raise smtplib.SMTPRecipientsRefused({address: (451, b"Try later") for address in message.to})
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refuse, RefusingBackend.error = set(), None
    yield RefusingBackend
    RefusingBackend.refuse, RefusingBackend.error = set(), None


def welcome(someone=None) -> Message:
    someone = someone or person(roles=[Role.REPRESENTATIVE])
    return message_create(recipient=someone, kind=Kind.WELCOME, dedupe_key=f"welcome:{someone.pk}")


def refreshed(message: Message) -> Message:
    message.refresh_from_db()
    return message


# --- the sweep ----------------------------------------------------------------------------------


def test_a_sweep_works_until_its_time_budget_is_spent_and_no_longer(monkeypatch, settings):
    settings.OUTBOX_SWEEP_SECONDS = 10
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=LONDON), tick=False) as clock:
        batches = []

        def a_batch_a_second(**kwargs) -> DeliveryReport:
            # Every batch sends something, so only the clock can end the sweep.
            batches.append(timezone.now())
            clock.shift(timedelta(seconds=1))
            return DeliveryReport(sent=[len(batches)])

        monkeypatch.setattr(delivery, "messages_deliver", a_batch_a_second)
        assert outbox_sweep(time_budget_seconds=3).sent == [1, 2, 3]
        batches.clear()
        # The periodic task gives no budget: the setting's.
        assert outbox_sweep().sent == list(range(1, 11))


def test_a_sweep_adds_up_every_batch_until_one_finds_nothing(refusing, settings, caplog):
    settings.OUTBOX_BATCH_SIZE = 1  # one message a batch, so four messages are four batches
    settings.OUTBOX_MAX_ATTEMPTS = 2
    first, refused, also_refused, last = (welcome() for _ in range(4))
    refusing.refuse = {refused.to_email, also_refused.to_email}

    report = outbox_sweep(time_budget_seconds=30)
    assert sorted(report.sent) == sorted([first.pk, last.pk])
    assert sorted(report.retrying) == sorted([refused.pk, also_refused.pk])
    assert report.failed == []
    # The error is kept from the first failed attempt, for whoever looks at the outbox.
    assert refreshed(refused).last_error.startswith("SMTPRecipientsRefused: ")

    Message.objects.filter(status=Message.Status.PENDING).update(next_attempt_at=timezone.now())
    with caplog.at_level(logging.ERROR, logger=DELIVERY_LOG):
        report = outbox_sweep(time_budget_seconds=30)
    assert sorted(report.failed) == sorted([refused.pk, also_refused.pk])
    assert report.sent == report.retrying == []
    assert sorted(caplog.messages) == sorted(
        f"Message {message.pk} failed after 2 attempts: SMTPRecipientsRefused"
        for message in (refused, also_refused)
    )


def test_two_failed_batches_in_a_row_end_the_sweep_and_one_between_successes_does_not(monkeypatch, caplog):
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=LONDON), tick=False) as clock:
        outcomes = iter(["fail", "send", "fail", "send", "fail", "fail", "send"])
        calls = []

        def scripted(**kwargs) -> DeliveryReport:
            calls.append(1)
            clock.shift(timedelta(seconds=1))
            if next(outcomes) == "fail":
                raise RuntimeError("the database went away")
            return DeliveryReport(sent=[len(calls)])

        monkeypatch.setattr(delivery, "messages_deliver", scripted)
        with caplog.at_level(logging.ERROR, logger=DELIVERY_LOG):
            report = outbox_sweep(time_budget_seconds=30)
    assert len(calls) == 6  # the seventh batch is left for the next sweep
    assert report.sent == [2, 4]
    assert caplog.messages == ["Outbox sweep: a batch failed (RuntimeError)."] * 4


def test_when_handing_back_stale_messages_fails_what_is_due_still_goes(monkeypatch, caplog):
    message = welcome()

    def failing(**kwargs):
        raise RuntimeError(f"deadlock while handing back a message to {message.to_email}")

    monkeypatch.setattr(delivery, "messages_release_stale", failing)
    with caplog.at_level(logging.ERROR, logger=DELIVERY_LOG):
        report = outbox_sweep(time_budget_seconds=5)
    assert report.sent == [message.pk]
    # The error's type alone: its text names an address.
    assert caplog.messages == ["Outbox sweep: handing back stale messages failed (RuntimeError)."]


def test_a_very_long_error_is_kept_to_its_first_thousand_characters(refusing):
    message = welcome()
    refusing.error = RuntimeError("x" * 5000)
    messages_deliver()
    assert refreshed(message).last_error == "RuntimeError: " + "x" * (1000 - len("RuntimeError: "))


# --- resending ----------------------------------------------------------------------------------


def test_resending_one_failed_message_leaves_the_others_failed(django_capture_on_commit_callbacks):
    chosen, other = welcome(), welcome()
    Message.objects.update(status=Message.Status.FAILED, attempts=6)
    with django_capture_on_commit_callbacks(execute=False):
        message_resend(message=refreshed(chosen))
    assert refreshed(chosen).status == Message.Status.PENDING
    assert refreshed(other).status == Message.Status.FAILED


def test_a_resent_message_gets_every_attempt_again(refusing, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = welcome()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, attempts=2, last_error="old")
    refusing.refuse = {message.to_email}
    with django_capture_on_commit_callbacks(execute=False):
        message_resend(message=refreshed(message))
    assert (refreshed(message).attempts, message.last_error) == (0, "")
    report = messages_deliver()
    assert report.retrying == [message.pk]  # the first of two attempts, not the last
    assert refreshed(message).status == Message.Status.PENDING


# --- writing many at once -----------------------------------------------------------------------


def rendered(text: str) -> RenderedMessage:
    return RenderedMessage(subject=text, body_text=text)


def test_bulk_writing_skips_a_key_already_written_and_writes_the_rest():
    people = [person(roles=[Role.WORKER]) for _ in range(3)]
    items = [(someone, f"summary:{someone.pk}", rendered(f"For {someone.pk}")) for someone in people]
    assert messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=items[:1]) == 1
    assert messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=items) == 2
    assert sorted(Message.objects.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)


def test_bulk_writing_leaves_a_message_another_run_wrote_meanwhile(monkeypatch):
    someone = person(roles=[Role.WORKER])
    item = (someone, "summary:race", rendered("Theirs"))
    messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=[item])
    # As if the other run wrote it between this run's look at the keys and its insert.
    monkeypatch.setattr(bulk, "existing_dedupe_keys", lambda keys: set())
    messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=[(someone, "summary:race", rendered("Ours"))])
    assert list(Message.objects.values_list("subject", flat=True)) == ["Theirs"]


def test_a_broker_that_is_down_loses_no_bulk_message(monkeypatch, caplog, django_capture_on_commit_callbacks):
    from notifications.tasks import sweep_outbox

    def broker_down():
        raise ConnectionRefusedError("redis://localhost:6379 refused")

    monkeypatch.setattr(sweep_outbox, "delay", broker_down)
    someone = person(roles=[Role.WORKER])
    with (
        caplog.at_level(logging.WARNING, logger="notifications.services.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=[(someone, "s:1", rendered("Hi"))]) == 1
    assert Message.objects.get().status == Message.Status.PENDING  # the periodic sweep sends it
    assert caplog.messages == ["Could not queue a delivery sweep (ConnectionRefusedError)."]


def test_with_the_broker_down_a_message_waits_for_the_sweep_and_the_log_says_which(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from notifications.tasks import deliver_message

    def broker_down(message_id):
        raise ConnectionRefusedError("redis://localhost:6379 refused")

    monkeypatch.setattr(deliver_message, "delay", broker_down)
    with (
        caplog.at_level(logging.WARNING, logger="notifications.services.outbox"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = welcome()
    assert refreshed(message).status == Message.Status.PENDING
    assert caplog.messages == [
        f"Could not queue message {message.pk} (ConnectionRefusedError); the sweep will deliver it."
    ]
    assert messages_deliver().sent == [message.pk]


# --- written for the survivors of `make mutation` at cc819dc (docs/testing.md) ------------------


def test_a_message_that_fails_for_good_at_its_only_attempt_records_why(refusing, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    refused = welcome()
    refusing.refuse = {refused.to_email}
    report = messages_deliver()
    assert report.failed == [refused.pk]
    assert refreshed(refused).status == Message.Status.FAILED
    assert refused.last_error.startswith("SMTPRecipientsRefused: ")


def test_only_a_message_still_being_sent_after_the_lease_is_handed_back(settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 300
    long_ago = timezone.now() - timedelta(seconds=600)
    stuck, sent, failed = welcome(), welcome(), welcome()
    Message.objects.filter(pk=stuck.pk).update(status=Message.Status.SENDING, claimed_at=long_ago)
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT, claimed_at=long_ago)
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED, claimed_at=long_ago)
    assert delivery.messages_release_stale() == 1
    assert [refreshed(m).status for m in (stuck, sent, failed)] == [
        Message.Status.PENDING,
        Message.Status.SENT,
        Message.Status.FAILED,
    ]


def test_a_message_sent_at_its_second_attempt_keeps_no_error(refusing):
    message = welcome()
    refusing.refuse = {message.to_email}
    assert messages_deliver().retrying == [message.pk]
    assert refreshed(message).last_error.startswith("SMTPRecipientsRefused: ")
    refusing.refuse = set()
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert messages_deliver().sent == [message.pk]
    assert (refreshed(message).status, message.last_error) == (Message.Status.SENT, "")


def test_one_delivery_takes_no_more_than_a_batch(settings):
    settings.OUTBOX_BATCH_SIZE = 2
    for _ in range(3):
        welcome()
    assert len(messages_deliver().sent) == 2
    assert len(messages_deliver().sent) == 1


class UnreachableBackend(EmailBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError("Connection refused")


def test_a_mail_server_that_cannot_be_reached_leaves_every_message_of_the_batch_to_retry(settings):
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableBackend"
    first, second = welcome(), welcome()
    report = messages_deliver()
    assert sorted(report.retrying) == sorted([first.pk, second.pk])
    for message in (first, second):
        assert refreshed(message).status == Message.Status.PENDING
        assert message.last_error == "ConnectionRefusedError: Connection refused"


# --- written for the survivors of `make mutation` after 0e09a7d (docs/testing.md) --------------


@pytest.fixture
def mail_server(settings):
    """The real SMTP server of notifications/tests/harness.py, as the mail server."""
    with smtp_server() as (handler, url):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.rsplit(":", 1)[1])
        yield handler


def test_a_batch_of_three_emails_goes_over_one_connection_to_the_mail_server(mail_server):
    """A batch is sent over the one connection it opens: a connection per message would cost
    the mail server (and our worker) a connection, a greeting and a farewell each."""
    messages = [welcome() for _ in range(3)]
    assert sorted(messages_deliver().sent) == sorted(m.pk for m in messages)
    assert all(len(mail_server.to(m.to_email)) == 1 for m in messages)
    assert mail_server.connections == 1


def test_a_failure_that_cannot_be_recorded_is_logged_by_its_message_and_the_others_are_recorded(
    monkeypatch, caplog, mail_server
):
    """The mail server refuses two messages for now; recording one of those failures fails
    too. The log line says which message, so that whoever reads it can find the row, and
    the other failure is still recorded, to be tried again."""
    stuck, other = welcome(), welcome()
    mail_server.refuse = {stuck.to_email, other.to_email}
    record_failure = delivery._record_failure

    def failing_for_stuck(*, claimed, **kwargs):
        if claimed.id == stuck.pk:
            raise RuntimeError("the database went away")
        return record_failure(claimed=claimed, **kwargs)

    monkeypatch.setattr(delivery, "_record_failure", failing_for_stuck)
    with caplog.at_level(logging.ERROR, logger="involvement.jobs"):
        report = messages_deliver()
    assert report.retrying == [other.pk]
    # Only the job's own log: the mail server's (aiosmtpd) may note a client hanging up.
    assert [r.getMessage() for r in caplog.records if r.name == "involvement.jobs"] == [
        f"outbox delivery: item message {stuck.pk} failed (RuntimeError); the others go on."
    ]
    assert refreshed(other).status == Message.Status.PENDING
    assert other.last_error.startswith("SMTPRecipientsRefused: ")
    assert refreshed(stuck).status == Message.Status.SENDING  # handed back once its lease runs out
