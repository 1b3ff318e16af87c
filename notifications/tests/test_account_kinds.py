"""The messages accounts asks for through its outbox port (accounts.messaging): the kinds it
names are ours, and what each message says and where it goes."""

import pytest
from allauth.mfa.models import Authenticator

from accounts import messaging
from accounts.services import two_factor_reset
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services import NotificationsError, message_create

pytestmark = pytest.mark.django_db


def test_the_outbox_is_connected_to_accounts_when_django_starts():
    assert messaging._outbox is message_create


def test_every_kind_accounts_asks_for_is_one_of_ours():
    assert set(messaging.ACCOUNT_KINDS) <= set(Kind.values)


def test_a_kind_we_do_not_know_is_refused(worker):
    with pytest.raises(NotificationsError, match="Unknown kind of message: carrier_pigeon"):
        messaging.account_message_send(recipient=worker, kind="carrier_pigeon", dedupe_key="x")
    assert not Message.objects.exists()


@pytest.fixture
def with_two_factor(worker):
    Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return worker


def test_a_two_factor_reset_is_e_mailed_whatever_the_persons_preferences(administrator, with_two_factor):
    with_two_factor.profile.email_muted_kinds = [Kind.TWO_FACTOR_RESET]
    with_two_factor.profile.save()
    two_factor_reset(person=with_two_factor, by=administrator)
    message = Message.objects.get(recipient=with_two_factor, kind=Kind.TWO_FACTOR_RESET)
    assert message.status == Message.Status.PENDING
    assert administrator.get_full_name() in message.body_text
    assert "If you did not ask for this" in message.body_text
    assert message.to_email == with_two_factor.email


def test_the_person_sees_the_reset_in_their_inbox(client, administrator, with_two_factor):
    two_factor_reset(person=with_two_factor, by=administrator)
    client.force_login(with_two_factor)
    assert "your two-factor authentication has been reset" in client.get("/me/inbox/").content.decode()
