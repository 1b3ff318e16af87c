"""What the outbox holds about a person: the messages sent to them, and the calls and letters
their worker owed them (ADR 9, ADR 17). Rows and keys stay, so no job sends the same thing
again; subjects and bodies become a fixed marker, and one still waiting is never sent."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from involvement.personal_data import (
    ERASED_TEXT,
    RETAINED_TEXT,
    PersonalDataProvider,
    RetentionRule,
    Section,
    rows,
)
from notifications.kinds import SECRET_KINDS, Channel
from notifications.models import ContactTask, Message
from notifications.services import messages_render

NOT_SENT_ERASED = "not sent: the person was erased"
# A row must keep an address for its channel (a check constraint): one that is never
# delivered (RFC 2606), and a number no phone has.
ERASED_EMAIL = "erased@erased.invalid"
ERASED_PHONE = "+00"


def _messages(person: User):
    mine = Q(recipient=person)
    if person.email:
        mine |= Q(recipient=None, to_email__iexact=person.email)
    return Message.objects.filter(mine)


def _render_waiting() -> None:
    """Messages written unrendered (a snapshot, rendered at delivery) are rendered first, so
    that their words are copied, searched and erased like any other's. Seconds old at most,
    so a handful whoever they are for."""
    messages_render()


def _about(person: User):
    """Messages to staff that name the person: the named-worker change does, and links to
    their page, which every message about a person does (a name alone cannot be searched
    for reliably, ADR 9)."""
    return Message.objects.exclude(recipient=person).filter(
        body_text__contains=f"/worker/people/{person.pk}/"
    )


def export(person: User) -> list[Section]:
    _render_waiting()
    return [
        (
            "Messages we sent you",
            rows(
                # Log-in codes and links are secrets already wiped once sent: left out.
                _messages(person).exclude(kind__in=SECRET_KINDS).order_by("created_at", "pk"),
                ["created_at", "channel", "kind", "subject", "body_text", "status", "sent_at"],
            ),
        ),
        (
            "Calls and letters your worker made",
            rows(
                ContactTask.objects.filter(person=person).order_by("created_at"),
                ["created_at", "method", "subject", "body_text", "last_outcome", "closed_at"],
            ),
        ),
    ]


def messages_wipe(*, keys: list[str]) -> int:
    """For an app above whose messages to staff name a person (a reference asked for): wipe
    them by their keys when that person is erased."""
    return Message.objects.filter(dedupe_key__in=keys).update(
        subject=ERASED_TEXT, body_text=ERASED_TEXT, body_html="", context=None
    )


def erase(person: User) -> None:
    _render_waiting()
    messages = _messages(person)
    messages.filter(status__in=[Message.Status.PENDING, Message.Status.SENDING]).update(
        status=Message.Status.FAILED, last_error=NOT_SENT_ERASED
    )
    # The snapshot too: a message still unrendered says nothing any more.
    messages.update(subject=ERASED_TEXT, body_text=ERASED_TEXT, body_html="", context=None)
    messages.filter(channel=Channel.EMAIL).update(to_email=ERASED_EMAIL, to_phone="")
    messages.filter(channel=Channel.TEXT).update(to_email="", to_phone=ERASED_PHONE)
    messages.exclude(last_error=NOT_SENT_ERASED).update(last_error="")
    _about(person).update(subject=ERASED_TEXT, body_text=ERASED_TEXT, body_html="", context=None)
    tasks = ContactTask.objects.filter(person=person)
    tasks.filter(closed_at=None).update(closed_at=timezone.now())
    tasks.update(subject=ERASED_TEXT, body_text="")


def _message_days() -> int:
    return settings.RETENTION_MESSAGE_DAYS


def _messages_due(now) -> QuerySet[Message]:
    days = _message_days()
    if not days:
        return Message.objects.none()
    return (
        Message.objects.filter(created_at__lt=now - timedelta(days=days))
        .exclude(status__in=[Message.Status.PENDING, Message.Status.SENDING])
        .exclude(body_text__in=[RETAINED_TEXT, ERASED_TEXT])
    )


def _message_wipe(pk: int, now) -> int:
    """The row, its key and its kind stay (what we told whom, and no job sends it again)."""
    return (
        _messages_due(now)
        .filter(pk=pk)
        .update(subject=RETAINED_TEXT, body_text=RETAINED_TEXT, body_html="", context=None)
    )


PROVIDER = PersonalDataProvider(
    order=60,
    models=("notifications.Message", "notifications.ContactTask"),
    export=export,
    erase=erase,
    retention=(
        RetentionRule(
            name="What messages said (who, when and what kind stay)",
            setting="RETENTION_MESSAGE_DAYS",
            days=_message_days,
            due=_messages_due,
            apply=_message_wipe,
        ),
    ),
)
