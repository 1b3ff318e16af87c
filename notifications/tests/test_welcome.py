"""The welcome message: accounts knows who is staff and asks the outbox for it, in the
words for the person's roles, once."""

import pytest

from accounts.permissions import Role
from accounts.services import onboarding_complete, welcome_message_create
from accounts.tests.factories import ProfileFactory, UserFactory, person
from notifications.kinds import Kind
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_finishing_onboarding_welcomes_a_representative_once():
    user = UserFactory(roles=[Role.REPRESENTATIVE])
    profile = ProfileFactory(user=user, onboarded_at=None, display_name="Kit")
    onboarding_complete(profile=profile)
    onboarding_complete(profile=profile)
    message = Message.objects.get(kind=Kind.WELCOME)
    assert message.recipient == user and message.dedupe_key == f"welcome:{user.pk}"
    assert "Hello Kit," in message.body_text
    assert "Thank you for joining Involvement Hub." in message.body_text
    assert "requests for a chat" not in message.body_text


def test_a_member_of_staff_is_welcomed_to_their_work():
    worker = person(roles=[Role.WORKER], display_name="Jo")
    welcome_message_create(recipient=worker)
    body = Message.objects.get(kind=Kind.WELCOME, recipient=worker).body_text
    assert "Messages about your work, such as requests for a chat" in body
    assert "Thank you for joining" not in body
