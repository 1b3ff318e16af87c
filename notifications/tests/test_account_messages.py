"""Account messages (log-in and verification codes, password links, staff invitations) are
for their recipient alone: never readable in the admin, wiped once sent, failed or
expired, and never sent again."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.services import staff_invite
from notifications.adapters import AccountAdapter
from notifications.kinds import RULES, SECRET_KINDS, Kind
from notifications.models import WIPED_BODY, Message
from notifications.services import (
    NotificationsError,
    RenderedMessage,
    message_create,
    message_resend,
    message_store,
    messages_deliver,
    messages_wipe_secrets,
)
from notifications.tasks import wipe_account_messages

pytestmark = pytest.mark.django_db

CODE = "QX7K9P"
CHANGELIST = "admin:notifications_message_changelist"


@pytest.fixture
def login_code(client, representative, monkeypatch):
    """A log-in code asked for through allauth's own page, waiting in the outbox."""
    monkeypatch.setattr(AccountAdapter, "generate_login_code", lambda self: CODE)
    client.post(reverse("account_request_login_code"), {"email": representative.email})
    client.logout()
    message = Message.objects.get(kind=Kind.ACCOUNT, to_email=representative.email)
    assert CODE in message.body_text  # the secret really is there before it is sent
    return message


def account_message(recipient, key="account:test", body="Your code is SECRET-1", **fields) -> Message:
    message = message_store(
        kind=Kind.ACCOUNT,
        dedupe_key=key,
        rendered=RenderedMessage("Involvement Hub: Sign-in code", body, f"<p>{body}</p>"),
        recipient=recipient,
    )
    if fields:
        Message.objects.filter(pk=message.pk).update(**fields)
        message.refresh_from_db()
    return message


# Wiped once sent, failed or expired


def test_a_log_in_code_is_wiped_as_soon_as_it_is_sent(login_code):
    messages_deliver()
    assert CODE in mail.outbox[0].body  # the person still gets their code
    login_code.refresh_from_db()
    assert login_code.status == Message.Status.SENT
    assert login_code.body_text == WIPED_BODY
    assert login_code.body_html == ""
    # The row stays as the record that it was sent, and its subject holds no code.
    assert login_code.subject and CODE not in login_code.subject


def test_a_password_reset_link_is_wiped_as_soon_as_it_is_sent(client, representative):
    client.post(reverse("account_reset_password"), {"email": representative.email})
    message = Message.objects.get(kind=Kind.ACCOUNT, to_email=representative.email)
    link = re.search(r"/accounts/password/reset/key/\S+", message.body_text).group(0)
    messages_deliver()
    assert link in mail.outbox[0].body
    message.refresh_from_db()
    assert link not in message.body_text + message.body_html + message.subject
    assert message.body_text == WIPED_BODY


def test_a_staff_invitation_is_wiped_as_soon_as_it_is_sent():
    invited = staff_invite(email="nia@example.org", first_name="Nia", last_name="J", roles=[Role.WORKER])
    message = Message.objects.get(recipient=invited, kind=Kind.STAFF_INVITATION)
    assert "/accounts/password/reset/key/" in message.body_text
    messages_deliver()
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    message.refresh_from_db()
    assert (message.body_text, message.body_html) == (WIPED_BODY, "")


def test_other_messages_keep_their_bodies_once_sent(representative):
    welcome = message_create(recipient=representative, kind=Kind.WELCOME, dedupe_key="welcome:x")
    messages_deliver()
    welcome.refresh_from_db()
    assert welcome.status == Message.Status.SENT
    assert "Hello Robin," in welcome.body_text and welcome.body_html


def test_the_sweep_wipes_failed_and_expired_account_messages_and_leaves_the_rest(representative, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60
    long_ago = timezone.now() - timedelta(days=4)
    failed = account_message(representative, "account:failed", status=Message.Status.FAILED)
    left_sent = account_message(representative, "account:sent", status=Message.Status.SENT)
    expired = account_message(representative, "account:expired", created_at=long_ago)
    waiting = account_message(representative, "account:waiting")
    sending = account_message(representative, "account:sending", status=Message.Status.SENDING)
    welcome = message_create(recipient=representative, kind=Kind.WELCOME, dedupe_key="welcome:y")
    Message.objects.filter(pk=welcome.pk).update(status=Message.Status.FAILED, created_at=long_ago)

    assert messages_wipe_secrets() == 3

    for message in (failed, left_sent, expired):
        message.refresh_from_db()
        assert (message.body_text, message.body_html) == (WIPED_BODY, "")
    # An expired code is never sent: it could no longer be used.
    assert expired.status == Message.Status.FAILED
    assert "Expired" in expired.last_error
    assert messages_deliver(ids=[expired.pk]).sent == []
    # A code still in time, or being sent now, keeps its body until it is sent.
    for message in (waiting, sending):
        message.refresh_from_db()
        assert "SECRET-1" in message.body_text
    welcome.refresh_from_db()
    assert "Hello Robin," in welcome.body_text
    # Running it again (or twice at once) has nothing left to do.
    assert messages_wipe_secrets() == 0


def test_the_periodic_task_wipes_failed_account_messages(representative, settings):
    failed = account_message(representative, status=Message.Status.FAILED)
    wipe_account_messages()
    failed.refresh_from_db()
    assert failed.body_text == WIPED_BODY
    assert "notifications.tasks.wipe_account_messages" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_only_account_kinds_hold_secrets():
    # The code that confirms a mobile number is one: it is sent by text.
    assert set(SECRET_KINDS) == {Kind.ACCOUNT, Kind.STAFF_INVITATION, Kind.PHONE_CODE}
    assert not any(RULES[kind].in_inbox for kind in SECRET_KINDS)


# Never sent again


def test_an_account_message_is_never_sent_again(representative):
    failed = account_message(representative, status=Message.Status.FAILED, attempts=6)
    with pytest.raises(NotificationsError, match="ask for a new one"):
        message_resend(message=failed)
    failed.refresh_from_db()
    assert failed.status == Message.Status.FAILED


def test_the_admin_does_not_send_account_messages_again(client, administrator, representative):
    failed = account_message(representative, status=Message.Status.FAILED, attempts=6)
    client.force_login(administrator)
    response = client.post(
        reverse(CHANGELIST), {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )
    page = response.content.decode()
    assert "0 message(s) will be sent again." in page
    assert "never account messages" in page
    failed.refresh_from_db()
    assert failed.status == Message.Status.FAILED


# Never readable in the admin


def test_an_administrator_cannot_read_a_waiting_log_in_code_in_the_admin(client, administrator, login_code):
    client.force_login(administrator)
    pages = [
        client.get(reverse(CHANGELIST)),
        client.get(reverse(CHANGELIST) + "?q=" + login_code.to_email),
        client.get(reverse(CHANGELIST) + "?kind__exact=account&status__exact=pending"),
        client.get(reverse("admin:notifications_message_change", args=[login_code.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert CODE not in response.content.decode()
    change_page = pages[-1].content.decode()
    assert "Hidden: this message holds a log-in code" in change_page
    assert login_code.to_email in pages[1].content.decode()  # the search itself works


def test_searching_the_admin_for_a_code_finds_nothing(client, administrator, login_code):
    client.force_login(administrator)
    response = client.get(reverse(CHANGELIST) + "?q=" + CODE)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "lookup", [f"body_text__contains={CODE}", "body_text__startswith=Q", "body_html__icontains=q"]
)
def test_the_admin_refuses_to_filter_on_message_bodies(client, administrator, login_code, lookup):
    # Otherwise the number of rows would confirm each guessed character of a code.
    client.force_login(administrator)
    response = client.get(reverse(CHANGELIST) + "?" + lookup)
    assert response.status_code == 400


def test_the_admin_lists_messages_in_a_fixed_number_of_queries(
    client, administrator, representative, django_assert_max_num_queries
):
    for index in range(30):
        account_message(representative, f"account:{index}")
    client.force_login(administrator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "SECRET-1" not in response.content.decode()


# Read-only, with no delete, for everybody


def test_messages_cannot_be_added_changed_or_deleted_in_the_admin(client, administrator, representative):
    message = account_message(representative)
    client.force_login(administrator)
    assert client.get(reverse("admin:notifications_message_add")).status_code == 403
    change_url = reverse("admin:notifications_message_change", args=[message.pk])
    response = client.post(change_url, {"subject": "changed", "body_text": "changed"})
    assert response.status_code == 403
    assert client.get(reverse("admin:notifications_message_delete", args=[message.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:notifications_message_delete", args=[message.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [message.pk], "post": "yes"}
    )
    message.refresh_from_db()
    assert message.subject == "Involvement Hub: Sign-in code"
    assert Message.objects.filter(pk=message.pk).exists()
    listing = client.get(reverse(CHANGELIST)).content.decode()
    assert "delete_selected" not in listing


def test_the_administrator_role_has_no_permission_to_change_messages():
    # Granted after every migrate: view only, so no future admin class can open them up.
    codenames = set(Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert "view_message" in codenames
    assert not codenames & {"add_message", "change_message", "delete_message"}


# Nobody else's inbox


def test_an_account_message_is_in_nobodys_inbox(client, representative, outsider, administrator):
    message = account_message(representative)
    for user in (representative, outsider, administrator):
        client.force_login(user)
        assert "Sign-in code" not in client.get("/me/inbox/").content.decode()
        assert client.get(reverse("inbox:detail", args=[message.pk])).status_code == 404
