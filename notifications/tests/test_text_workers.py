"""Texts delivered by real Celery workers on a real broker, through GOV.UK Notify's client to
a local server that speaks Notify's API: a 500 is retried by the sweep with the outbox's
backoff, and the text reaches Notify once."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from involvement.celery import app
from notifications.kinds import Channel, Kind
from notifications.models import Message
from notifications.services import message_create
from notifications.tests.harness import Broker, running_worker, smtp_server, wait_for
from notifications.tests.notify_double import notify_server

pytestmark = pytest.mark.django_db(transaction=True)


def activity(title: str) -> SimpleNamespace:
    """What a text's template reads of an opportunity and its session (notifications sits
    below opportunities, so its tests pass the same attributes without importing them)."""
    starts = timezone.now() + timedelta(days=3)
    session = SimpleNamespace(starts_at=starts, ends_at=starts + timedelta(hours=2), area="Central Leeds")
    return SimpleNamespace(
        pk=7,
        title=title,
        signup_deadline=starts - timedelta(days=1),
        sessions=SimpleNamespace(all=lambda: [session], first=lambda: session),
    )


@pytest.fixture
def publishing():
    """This process queues real tasks on a broker of the test's own."""
    broker = Broker()
    broker.start()
    saved = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = broker.url
    app._after_fork()  # drop the cached connection pools, so the next publish uses this broker
    yield broker
    app.conf.task_always_eager, app.conf.broker_url = saved
    app._after_fork()
    broker.stop()


def test_a_worker_retries_a_text_after_a_500_and_sends_it_once(publishing, settings):
    settings.TEXT_MESSAGES_ENABLED = True  # this process writes the text row
    recipient = person(
        roles=[Role.REPRESENTATIVE],
        mobile_number="+447700900982",
        mobile_confirmed_at=timezone.now(),
        text_kinds=[Kind.OPPORTUNITY_CANCELLED],
    )
    opportunity = activity("Co-production group")
    with notify_server() as notify, smtp_server() as (smtp, email_url):
        notify.answers = [500]
        env = {
            "TEXT_MESSAGES_ENABLED": "true",
            "NOTIFY_API_KEY": notify.api_key,
            "NOTIFY_BASE_URL": notify.url,
            "NOTIFY_SMS_TEMPLATE_ID": notify.template_id,
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "OUTBOX_SWEEP_EVERY_SECONDS": "1",
        }
        with running_worker(broker_url=publishing.url, email_url=email_url, env=env, beat=True):
            with transaction.atomic():
                message_create(
                    recipient=recipient,
                    kind=Kind.OPPORTUNITY_CANCELLED,
                    dedupe_key="opportunity:cancelled:worker-test",
                    context={"opportunity": opportunity, "reason": "Not enough people could come."},
                )
            text = Message.objects.get(channel=Channel.TEXT)
            wait_for(
                lambda: Message.objects.get(pk=text.pk).status == Message.Status.SENT,
                timeout=60,
                what="the text to be sent after its retry",
            )
            wait_for(lambda: len(smtp.received) == 1, timeout=30, what="the e-mail")
    text.refresh_from_db()
    assert [request.status for request in notify.requests] == [500, 201]
    assert text.attempts == 2
    assert notify.accepted[0].body["phone_number"] == "+447700900982"
    assert "Co-production group has been cancelled" in notify.accepted[0].body["personalisation"]["body"]
