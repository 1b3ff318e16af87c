"""The claim under a real race: two database connections, one holding its claim open.

Each test thread has its own connection to PostgreSQL (Django opens one per thread), and the
first worker's claim is still uncommitted while the second claims. Nothing is faked: this is
the moment at which a claim without `FOR UPDATE SKIP LOCKED` would hand the second worker
the same messages (a double send) or make it wait for the first.
"""

import threading

import pytest
from django.db import connection, transaction

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import messages_claim

pytestmark = pytest.mark.django_db(transaction=True)


def pending_messages(count: int) -> list[int]:
    # Written directly, not through message_create: that would deliver them on commit.
    recipient = person(roles=[Role.REPRESENTATIVE])
    return [
        Message.objects.create(
            recipient=recipient,
            to_email=recipient.email,
            kind=Kind.WELCOME,
            dedupe_key=f"claim-race:{index}",
            subject="Welcome",
            body_text="Hello",
        ).pk
        for index in range(count)
    ]


def test_a_second_worker_never_claims_what_an_open_claim_holds_and_does_not_wait_for_it():
    all_ids = set(pending_messages(6))
    second: dict = {}

    def second_worker():
        try:
            second["claimed"] = {claimed.id for claimed in messages_claim(limit=10)}
        except Exception as error:  # reported by the assertions below
            second["error"] = error
        finally:
            connection.close()

    with transaction.atomic():
        first = {claimed.id for claimed in messages_claim(limit=3)}
        thread = threading.Thread(target=second_worker)
        thread.start()
        # The first claim is still open (uncommitted, its rows locked) while the second runs.
        thread.join(timeout=10)
        finished_while_first_open = not thread.is_alive()
    thread.join(timeout=30)

    assert "error" not in second, second.get("error")
    assert len(first) == 3
    # Never the same message twice: that would be two e-mails to the same person.
    assert first.isdisjoint(second["claimed"])
    assert first | second["claimed"] == all_ids
    # SKIP LOCKED: the second worker took the other messages at once, without waiting.
    assert finished_while_first_open
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENDING}
