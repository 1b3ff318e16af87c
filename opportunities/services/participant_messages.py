"""The lead worker writes one message to the people on an opportunity (issue 13, item 5):
each person chosen gets it in their inbox and by the channel they chose, through the outbox,
in the transaction that records the message."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from notifications.kinds import Kind
from notifications.services import message_create
from opportunities.models import (
    PARTICIPANT_GROUP_STATES,
    PARTICIPANT_MESSAGE_BODY_MAX,
    PARTICIPANT_MESSAGE_SUBJECT_MAX,
    Opportunity,
    ParticipantGroup,
    ParticipantMessage,
    SignUp,
)
from opportunities.services.states import OpportunityError


@dataclass(frozen=True)
class ParticipantMessageSent:
    message: ParticipantMessage
    # The same form sent twice (a double click): nothing more was sent the second time.
    already_sent: bool


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_full_name() or user.email or ""


def _check(*, subject: str, body: str, groups: list[str]) -> None:
    if not subject:
        raise OpportunityError("Enter a subject", field="subject")
    if len(subject) > PARTICIPANT_MESSAGE_SUBJECT_MAX:
        raise OpportunityError(
            f"The subject must be {PARTICIPANT_MESSAGE_SUBJECT_MAX} characters or fewer", field="subject"
        )
    if not body:
        raise OpportunityError("Enter your message", field="body")
    if len(body) > PARTICIPANT_MESSAGE_BODY_MAX:
        raise OpportunityError(
            f"The message must be {PARTICIPANT_MESSAGE_BODY_MAX} characters or fewer", field="body"
        )
    if not groups or any(group not in ParticipantGroup.values for group in groups):
        raise OpportunityError("Choose who the message is for", field="groups")


def participants_message_send(
    *,
    opportunity: Opportunity,
    sender: User,
    subject: str,
    body: str,
    groups: list[str],
    send_key: uuid.UUID,
) -> ParticipantMessageSent:
    """Write the message once to every person in the chosen groups. Only the lead worker may
    send one. `send_key` is the form's own token: a second send with it (a double click, a
    page sent again) changes nothing and returns the first, so nobody gets it twice. Each
    person's copy is keyed `participant_message:<message>:<person>`, so the outbox refuses a
    second copy too."""
    subject, body = subject.strip(), body.strip()
    _check(subject=subject, body=body, groups=groups)
    groups = sorted(set(groups), key=ParticipantGroup.values.index)
    if opportunity.lead_worker_id != sender.pk:
        raise OpportunityError("Only the lead worker can write to the people taking part.")
    with transaction.atomic():
        earlier = ParticipantMessage.objects.filter(send_key=send_key).first()
        if earlier is not None:
            if earlier.opportunity_id != opportunity.pk or earlier.sender_id != sender.pk:
                raise OpportunityError("This form has already been used. Write the message again.")
            return ParticipantMessageSent(message=earlier, already_sent=True)
        states = [state for group in groups for state in PARTICIPANT_GROUP_STATES[group]]
        recipients = [
            signup.person
            for signup in SignUp.objects.filter(opportunity=opportunity, state__in=states)
            .select_related("person__profile")
            .order_by("pk")
        ]
        if not recipients:
            raise OpportunityError(
                "Nobody is in the groups you chose, so there is nobody to send to", field="groups"
            )
        message, created = ParticipantMessage.objects.get_or_create(
            send_key=send_key,
            defaults={
                "opportunity": opportunity,
                "sender": sender,
                "subject": subject,
                "body": body,
                "groups": groups,
                "recipient_count": len(recipients),
            },
        )
        if not created:
            # The same form sent at the same moment: the other request sent it.
            return ParticipantMessageSent(message=message, already_sent=True)
        context = {"opportunity": opportunity, "sender_name": _name(sender), "subject": subject, "body": body}
        for person in recipients:
            message_create(
                recipient=person,
                kind=Kind.PARTICIPANT_MESSAGE,
                dedupe_key=f"participant_message:{message.pk}:{person.pk}",
                context=context,
            )
    return ParticipantMessageSent(message=message, already_sent=False)
