"""The rules a person's choices make (a break, digests turned off, e-mail off for a kind)
are written once and give the same answer whichever path writes the message: one message
at a time (`message_store`) or many at once (`messages_store_bulk`, digests and summaries).
And the message templates compare with choices, never with literals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import RULES, DigestFrequency, Kind
from notifications.models import Message
from notifications.services import RenderedMessage, message_store, messages_store_bulk, render_message

pytestmark = pytest.mark.django_db

RENDERED = RenderedMessage(subject="Subject", body_text="Body\n", body_html="<p>Body</p>")

# Every choice a person can make that changes what happens to a message.
CHOICES = {
    "nothing chosen": {},
    "taking a break": {"taking_break": True},
    "a break that has ended": {"taking_break": True, "break_until": timezone.localdate() - timedelta(days=1)},
    "e-mail off for this kind": {"mute": True},
    "digests turned off": {"digest_frequency": DigestFrequency.NEVER},
}


def someone(kind: str, choice: dict) -> User:
    fields = {key: value for key, value in choice.items() if key != "mute"}
    if choice.get("mute"):
        fields["email_muted_kinds"] = [kind]
    return person(roles=[Role.REPRESENTATIVE], **fields)


def what_happened(message: Message | None) -> tuple | None:
    if message is None:
        return None
    return (message.kind, message.status, message.read_at is None, message.to_email)


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("kind", list(RULES))
def test_the_single_and_the_bulk_path_follow_the_same_rules(kind, choice):
    single = someone(kind, CHOICES[choice])
    message_store(kind=kind, dedupe_key=f"single:{kind}", rendered=RENDERED, recipient=single)
    bulk = User.objects.select_related("profile").get(pk=someone(kind, CHOICES[choice]).pk)
    messages_store_bulk(kind=kind, items=[(bulk, f"bulk:{kind}", RENDERED)])

    by_single = Message.objects.filter(dedupe_key=f"single:{kind}").first()
    by_bulk = Message.objects.filter(dedupe_key=f"bulk:{kind}").first()
    expected = what_happened(by_single)
    assert what_happened(by_bulk) == (expected and expected[:3] + (bulk.email,))


@pytest.mark.parametrize(
    "choice,kind,status",
    [
        ("nothing chosen", Kind.DIGEST, Message.Status.PENDING),
        ("taking a break", Kind.DIGEST, None),
        ("a break that has ended", Kind.DIGEST, Message.Status.PENDING),
        ("digests turned off", Kind.DIGEST, None),
        ("e-mail off for this kind", Kind.DIGEST, Message.Status.INBOX_ONLY),
        # A break pauses digests and invitations to take part, not news of what happened.
        ("taking a break", Kind.OUTCOME_PUBLISHED, Message.Status.PENDING),
        ("digests turned off", Kind.OUTCOME_PUBLISHED, Message.Status.PENDING),
        # Security mail cannot be switched off.
        ("e-mail off for this kind", Kind.TWO_FACTOR_RESET, Message.Status.PENDING),
    ],
)
def test_what_each_choice_does(choice, kind, status):
    recipient = someone(kind, CHOICES[choice])
    message = message_store(kind=kind, dedupe_key="key", rendered=RENDERED, recipient=recipient)
    assert (message.status if message else None) == status


def test_the_digest_subject_names_its_frequency():
    for frequency, word in [(DigestFrequency.MONTHLY, "monthly"), (DigestFrequency.WEEKLY, "weekly")]:
        rendered = render_message(kind=Kind.DIGEST, context={"frequency": frequency})
        assert rendered.subject == f"Your Involvement Hub {word} digest"
