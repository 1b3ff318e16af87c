"""The outbox under failure, with a real Redis broker, real Celery workers and a real SMTP
server: a broker outage, duplicate tasks, a failing mail server, a killed worker, and a
retry slower than the broker's visibility timeout."""

import time

import pytest
from django.db import transaction

from accounts.permissions import Role
from accounts.tests.factories import person
from involvement.celery import app
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import message_create
from notifications.tasks import deliver_message
from notifications.tests.harness import Broker, SMTPHandler, running_worker, smtp_server, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

FAST_SWEEP = {"OUTBOX_SWEEP_EVERY_SECONDS": "1"}


@pytest.fixture(scope="module")
def broker():
    broker = Broker()
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def publishing(broker):
    """This process queues real tasks on the test broker instead of running them eagerly."""
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker.url
    forget_broker_connections()
    yield broker
    app.conf.task_always_eager, app.conf.broker_url = saved
    forget_broker_connections()


def forget_broker_connections() -> None:
    # Celery caches its connection and producer pools on first use; drop both so that the
    # next publish connects to the broker configured now (as Celery itself does after fork).
    app._after_fork()


def status_of(message: Message) -> str:
    return Message.objects.get(pk=message.pk).status


def welcome(recipient) -> Message:
    with transaction.atomic():
        return message_create(recipient=recipient, kind=Kind.WELCOME, dedupe_key=f"welcome:{recipient.pk}")


def test_a_broker_outage_delays_a_message_but_never_loses_it(client, publishing):
    broker = publishing
    newcomer = person(roles=[Role.REPRESENTATIVE], onboarded_at=None, display_name="")
    client.force_login(newcomer)
    broker.stop()
    try:
        started = time.monotonic()
        response = client.post("/me/welcome/", {"display_name": "Kit", "contact_method": "email"})
        took = time.monotonic() - started
    finally:
        broker.start()
    # The person's request succeeds, promptly, and the welcome waits in the outbox.
    assert response.status_code == 302
    assert took < 10
    message = Message.objects.get(recipient=newcomer, kind=Kind.WELCOME)
    assert message.status == Message.Status.PENDING
    with smtp_server() as (handler, smtp_url):
        with running_worker(broker_url=broker.url, email_url=smtp_url, beat=True, env=FAST_SWEEP):
            wait_for(
                lambda: status_of(message) == Message.Status.SENT, timeout=40, what="the sweep to deliver"
            )
            time.sleep(2.5)  # more sweeps run: none may send it again
        assert len(handler.to(newcomer.email)) == 1


def test_the_same_delivery_running_twice_at_once_sends_one_email(publishing):
    broker = publishing
    recipient = person(roles=[Role.REPRESENTATIVE])
    with smtp_server(SMTPHandler(stall=1.0)) as (handler, smtp_url):
        with running_worker(broker_url=broker.url, email_url=smtp_url, concurrency=3):
            message = welcome(recipient)  # queues one task on commit
            deliver_message.delay(message.pk)
            deliver_message.delay(message.pk)
            wait_for(lambda: status_of(message) == Message.Status.SENT, timeout=30, what="delivery")
            time.sleep(2)
        assert len(handler.to(recipient.email)) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_a_failing_mail_server_is_retried_with_backoff_until_failed_and_others_still_go(publishing):
    broker = publishing
    unlucky = person(roles=[Role.REPRESENTATIVE], display_name="Unlucky")
    lucky = person(roles=[Role.REPRESENTATIVE], display_name="Lucky")
    env = {**FAST_SWEEP, "OUTBOX_RETRY_BASE_SECONDS": "1", "OUTBOX_MAX_ATTEMPTS": "3"}
    with smtp_server(SMTPHandler(refuse={unlucky.email})) as (handler, smtp_url):
        with running_worker(broker_url=broker.url, email_url=smtp_url, beat=True, env=env):
            started = time.monotonic()
            failing, fine = welcome(unlucky), welcome(lucky)
            wait_for(
                lambda: status_of(failing) == Message.Status.FAILED, timeout=60, what="the message to fail"
            )
            took = time.monotonic() - started
        assert len(handler.to(lucky.email)) == 1
        assert handler.to(unlucky.email) == []
    failing.refresh_from_db()
    assert failing.attempts == 3
    assert "451" in failing.last_error
    # Waits of 1 s and then 2 s between the three attempts.
    assert took >= 3
    assert status_of(fine) == Message.Status.SENT


def test_a_worker_killed_mid_delivery_is_replaced_and_the_message_goes_once(publishing):
    broker = publishing
    recipient = person(roles=[Role.REPRESENTATIVE])
    handler = SMTPHandler(stall=8.0)
    lease = {"OUTBOX_SENDING_LEASE_SECONDS": "2"}
    with smtp_server(handler) as (handler, smtp_url):
        first = running_worker(broker_url=broker.url, email_url=smtp_url, env=lease)
        worker = first.__enter__()
        try:
            message = welcome(recipient)
            assert handler.started_data.wait(timeout=30), worker.output()
            assert status_of(message) == Message.Status.SENDING
            worker.kill()
        finally:
            first.__exit__(None, None, None)
        handler.stall = 0
        with running_worker(
            broker_url=broker.url, email_url=smtp_url, beat=True, env={**FAST_SWEEP, **lease}
        ):
            wait_for(lambda: status_of(message) == Message.Status.SENT, timeout=40, what="the next worker")
            time.sleep(2)
        assert len(handler.to(recipient.email)) == 1


def test_a_retry_slower_than_the_visibility_timeout_sends_once(publishing):
    broker = publishing
    recipient = person(roles=[Role.REPRESENTATIVE])
    env = {**FAST_SWEEP, "CELERY_VISIBILITY_TIMEOUT": "1", "OUTBOX_RETRY_BASE_SECONDS": "3"}
    with smtp_server(SMTPHandler(refuse_once={recipient.email})) as (handler, smtp_url):
        with running_worker(broker_url=broker.url, email_url=smtp_url, beat=True, env=env):
            message = welcome(recipient)
            wait_for(lambda: status_of(message) == Message.Status.SENT, timeout=40, what="the retry")
            time.sleep(3)  # past several visibility timeouts
        assert len(handler.to(recipient.email)) == 1
    assert Message.objects.get(pk=message.pk).attempts == 2


def test_a_rolled_back_transaction_leaves_no_message_and_queues_no_task(publishing):
    broker = publishing
    recipient = person(roles=[Role.REPRESENTATIVE])
    before = broker.queue_length()
    with pytest.raises(RuntimeError), transaction.atomic():
        message_create(recipient=recipient, kind=Kind.WELCOME, dedupe_key="welcome:rolled-back")
        raise RuntimeError("the change that caused the message failed")
    assert not Message.objects.filter(dedupe_key="welcome:rolled-back").exists()
    assert broker.queue_length() == before
    # And a committed one does queue exactly one task: the check above can fail.
    welcome(recipient)
    assert broker.queue_length() == before + 1
