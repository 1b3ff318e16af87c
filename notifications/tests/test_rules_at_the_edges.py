"""The inbox and the wipe of account messages at their edges. Each test here was written for
a change that `make mutation` (docs/testing.md) made to notifications/services and that no
other test noticed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from notifications.kinds import Kind
from notifications.models import WIPED_BODY, Message
from notifications.services import inbox_mark_read, message_create, messages_wipe_secrets
from notifications.tests.test_account_messages import account_message

pytestmark = pytest.mark.django_db


def test_marking_everything_read_keeps_when_each_message_was_first_read(representative):
    first = message_create(recipient=representative, kind=Kind.WELCOME, dedupe_key="welcome:first")
    second = message_create(recipient=representative, kind=Kind.WELCOME, dedupe_key="welcome:second")
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        assert inbox_mark_read(user=representative, message_ids=[first.pk]) == 1
    first.refresh_from_db()
    first_read = first.read_at

    assert inbox_mark_read(user=representative) == 1  # only the one still unread
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at == first_read
    assert second.read_at is not None


def test_an_old_sent_account_message_is_wiped_and_stays_sent(representative, settings):
    """One sent before sending wiped its own: wiped now, and still recorded as sent, not as
    expired before it could be sent."""
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
    sent = account_message(
        representative,
        "account:sent-long-ago",
        status=Message.Status.SENT,
        created_at=timezone.now() - timedelta(days=4),
    )
    assert messages_wipe_secrets() == 1
    sent.refresh_from_db()
    assert (sent.status, sent.last_error, sent.body_text) == (Message.Status.SENT, "", WIPED_BODY)


def test_an_account_message_that_expired_unsent_says_so_in_the_admin(representative, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
    expired = account_message(
        representative, "account:expired", created_at=timezone.now() - timedelta(days=4)
    )
    assert messages_wipe_secrets() == 1
    expired.refresh_from_db()
    assert (expired.status, expired.last_error) == (
        Message.Status.FAILED,
        "Expired before it could be sent: the person can ask again.",
    )
