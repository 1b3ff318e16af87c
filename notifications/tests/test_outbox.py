"""The outbox services, in-process against the real database (delivery to Django's
in-memory mail backend or a real local SMTP server)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import DigestFrequency, Kind
from notifications.models import Message
from notifications.services import (
    NotificationsError,
    message_create,
    message_resend,
    messages_deliver,
    messages_release_stale,
    outbox_sweep,
)
from notifications.tests.harness import SMTPHandler, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient(db):
    return person(roles=[Role.REPRESENTATIVE], display_name="Robin", support_needs="PRIVATE-NOTE")


def create_welcome(recipient, key="welcome:test") -> Message:
    return message_create(recipient=recipient, kind=Kind.WELCOME, dedupe_key=key)


def test_it_writes_a_rendered_message_and_queues_delivery_on_commit(
    recipient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = create_welcome(recipient)
    assert message.status == Message.Status.PENDING
    assert message.to_email == recipient.email
    assert message.subject == "Welcome to Involvement Hub"
    assert "Hello Robin," in message.body_text
    assert "<p>Hello Robin,</p>" in message.body_html
    assert len(callbacks) == 1


def test_a_second_message_with_the_same_key_changes_nothing(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = create_welcome(recipient)
        second = create_welcome(recipient)
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(callbacks) == 1
    # Written in one raw statement (once.py), the first is still the stored row as Django
    # knows it: checked for clashes, it does not clash with itself.
    first.validate_unique()


def test_bodies_never_carry_special_category_data(recipient):
    message = create_welcome(recipient)
    assert "PRIVATE-NOTE" not in message.body_text + message.body_html + message.subject


def test_a_rolled_back_change_leaves_no_message(recipient, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        create_welcome(recipient)
        raise RuntimeError("boom")
    assert not Message.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_kind_switched_off_for_email_goes_to_the_inbox_only(recipient, django_capture_on_commit_callbacks):
    recipient.profile.email_muted_kinds = [Kind.WELCOME]
    recipient.profile.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = create_welcome(recipient)
    assert message.status == Message.Status.INBOX_ONLY
    assert callbacks == [] and mail.outbox == []


def test_account_mail_cannot_be_switched_off(recipient):
    from notifications.services import RenderedMessage, message_store

    recipient.profile.email_muted_kinds = [Kind.ACCOUNT]
    recipient.profile.save()
    message = message_store(
        kind=Kind.ACCOUNT,
        dedupe_key="account:x",
        rendered=RenderedMessage("Code", "ABCD-EFGH"),
        recipient=recipient,
    )
    assert message.status == Message.Status.PENDING
    assert message.read_at is not None  # never listed in the inbox


@pytest.mark.parametrize(
    "profile_change",
    [{"taking_break": True}, {"digest_frequency": DigestFrequency.NEVER}],
    ids=["break", "never"],
)
def test_digests_are_paused_by_a_break_or_by_choosing_never(recipient, profile_change):
    from notifications.services import RenderedMessage, message_store

    for field, value in profile_change.items():
        setattr(recipient.profile, field, value)
    recipient.profile.save()
    rendered = RenderedMessage("Your digest", "Things")
    assert (
        message_store(kind=Kind.DIGEST, dedupe_key="digest:x", rendered=rendered, recipient=recipient) is None
    )
    assert not Message.objects.exists()


def test_an_unknown_kind_is_refused(recipient):
    with pytest.raises(NotificationsError):
        message_create(recipient=recipient, kind="carrier_pigeon", dedupe_key="x")


def test_a_message_to_nobody_is_refused_plainly():
    # Found by mypy: with neither a recipient nor an address this was an AttributeError.
    from notifications.services import RenderedMessage, message_store

    with pytest.raises(NotificationsError, match=r"^A message needs a recipient or an e-mail address\.$"):
        message_store(kind=Kind.ACCOUNT, dedupe_key="account:nobody", rendered=RenderedMessage("Code", "X"))
    assert not Message.objects.exists()


def test_delivery_sends_pending_messages_once(recipient):
    message = create_welcome(recipient)
    report = messages_deliver()
    assert report.sent == [message.pk]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [recipient.email]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
    assert message.sent_at is not None
    # Running it again (a duplicate task) finds nothing to claim.
    assert messages_deliver().sent == []
    assert len(mail.outbox) == 1


def test_delivery_queries_do_not_grow_with_the_batch(django_assert_max_num_queries):
    people = [person(roles=[Role.REPRESENTATIVE]) for _ in range(40)]
    for index, someone in enumerate(people):
        create_welcome(someone, key=f"welcome:{index}")
    # The claim, then one statement recording them sent, in a transaction of its own (here a
    # savepoint and its release, inside the test's transaction).
    with django_assert_max_num_queries(4):
        report = messages_deliver(limit=100)
    assert len(report.sent) == 40 == len(mail.outbox)


def test_a_failing_mail_server_backs_off_then_fails_while_others_go(recipient, settings):
    other = person(roles=[Role.REPRESENTATIVE])
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    with smtp_server(SMTPHandler(refuse={recipient.email})) as (handler, url):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.rsplit(":", 1)[1])
        failing, fine = create_welcome(recipient, "welcome:a"), create_welcome(other, "welcome:b")
        waits = []
        for _ in range(3):
            messages_deliver()
            failing.refresh_from_db()
            waits.append(failing.next_attempt_at - timezone.now())
            Message.objects.filter(pk=failing.pk).update(next_attempt_at=timezone.now())  # let time pass
        assert len(handler.to(other.email)) == 1
    failing.refresh_from_db()
    assert failing.status == Message.Status.FAILED and failing.attempts == 3
    assert "451" in failing.last_error
    # Exponential: about a minute, then about two.
    assert timedelta(seconds=55) < waits[0] <= timedelta(seconds=60)
    assert timedelta(seconds=115) < waits[1] <= timedelta(seconds=120)
    assert Message.objects.get(pk=fine.pk).status == Message.Status.SENT


def test_a_message_is_not_retried_before_its_time(recipient):
    message = create_welcome(recipient)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert messages_deliver().sent == []


def test_a_message_left_sending_by_a_dead_worker_is_handed_back_after_the_lease(recipient, settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 300
    message = create_welcome(recipient)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, claimed_at=timezone.now() - timedelta(seconds=100)
    )
    assert messages_release_stale() == 0  # within the lease: the worker may still be alive
    Message.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(seconds=301))
    report = outbox_sweep(time_budget_seconds=5)
    assert report.sent == [message.pk]
    assert len(mail.outbox) == 1


def test_a_failed_message_can_be_sent_again(recipient, django_capture_on_commit_callbacks):
    message = create_welcome(recipient)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED, attempts=6, last_error="x")
    message.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        message_resend(message=message)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(mail.outbox) == 1


def test_only_a_failed_message_can_be_sent_again(recipient):
    message = create_welcome(recipient)
    with pytest.raises(NotificationsError):
        message_resend(message=message)


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_the_admin_resends_failed_messages(client, recipient, django_capture_on_commit_callbacks):
    from django.urls import reverse

    administrator = person(roles=[Role.ADMINISTRATOR])
    failed = create_welcome(recipient)
    Message.objects.filter(pk=failed.pk).update(status=Message.Status.FAILED, attempts=6)
    client.force_login(administrator)
    listing = client.get(reverse("admin:notifications_message_changelist") + "?status__exact=failed")
    assert "Welcome to Involvement Hub" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "1 message(s) will be sent again." in response.content.decode()
    assert Message.objects.get(pk=failed.pk).status == Message.Status.SENT


def test_a_message_by_email_alone_is_one_statement_in_the_callers_transaction(
    recipient, django_assert_num_queries
):
    """The sign-up writes its message while it holds the opportunity's lock (issue 18): with no
    text and no call to write beside it, no savepoint either, one INSERT."""
    assert recipient.profile.display_name == "Robin"  # loaded before the lock, as the sign-up does
    with transaction.atomic(), django_assert_num_queries(1):
        message_create(
            recipient=recipient,
            kind=Kind.SIGNUP_UPDATE,
            dedupe_key="signup:k",
            context={"event": "withdrawn", "opportunity": {"pk": 1, "title": "Panel"}, "signup": {}},
            render_later=True,
        )
    assert Message.objects.get().dedupe_key == "signup:k"
