"""The kinds of message the product sends, and the rules each follows.

Kept apart from the models so that forms in other apps (the preferences on the profile
page) can list the kinds without importing this app's models.
"""

from dataclasses import dataclass

from django.db import models

# How often the digest comes is a choice on the profile (accounts), named here too because
# the outbox and the message templates go by it.
from accounts.models import DigestFrequency


class Kind(models.TextChoices):
    ACCOUNT = "account", "Log-in codes, password resets and e-mail checks"
    STAFF_INVITATION = "staff_invitation", "Staff invitation"
    WELCOME = "welcome", "Welcome"
    SIGNUP_UPDATE = "signup_update", "Changes to my sign-ups"
    PLACE_OFFERED = "place_offered", "A place offered to me from a waiting list"
    REMINDER = "reminder", "Reminders before my sessions"
    OPPORTUNITY_CANCELLED = "opportunity_cancelled", "Cancelled activities"
    OUTCOME_PUBLISHED = "outcome_published", "What changed because of activities I took part in"
    CHECK_IN_INVITATION = "check_in_invitation", "Invitations to tell us how an activity went"
    DIGEST = "digest", "My digest"
    FOLLOW_UP_REQUESTED = "follow_up_requested", "Requests for a chat from people on my caseload"
    WORKER_SUMMARY = "worker_summary", "My daily summary"
    LEAD_WORKER_CHANGED = "lead_worker_changed", "Changes to who leads my opportunities"
    TWO_FACTOR_RESET = "two_factor_reset", "My two-factor authentication reset by an administrator"
    CLAIM_UPDATE = "claim_update", "My payment claims: returned, approved or paid"
    PHONE_CODE = "phone_code", "Codes to confirm my mobile number"
    NAMED_WORKER_CHANGED = "named_worker_changed", "Changes to who is my named involvement worker"
    CHAT_REPLY = "chat_reply", "Replies to my requests for a chat"
    INVITATION = "invitation", "Invitations to new opportunities that match my interests"
    PARTICIPANT_MESSAGE = (
        "participant_message",
        "Messages from the lead worker of an activity I signed up for",
    )
    TRAINING_EXPIRING = "training_expiring", "Training of mine that is about to run out"
    CHARTER_UPDATED = "charter_updated", "New versions of the involvement charter"
    CHARTER_QUESTION = (
        "charter_question",
        "Questions about involvement agreements from people on my caseload",
    )
    REFERENCE_REQUESTED = "reference_requested", "Requests for a reference from people on my caseload"
    REFERENCE_READY = "reference_ready", "References my involvement worker has written for me"
    ACCESS_LOG_SUMMARY = "access_log_summary", "The access log's monthly summary"
    ACCOUNT_UNUSED = "account_unused", "A warning before an account not used for years is closed"
    DATA_EXPORT_READY = "data_export_ready", "A copy of my data, ready to download"


class Channel(models.TextChoices):
    """How a message travels. One outbox row per channel, each with its own key, so that
    delivery, retries, the sweep and failures work for each channel apart."""

    EMAIL = "email", "E-mail"
    TEXT = "text", "Text message"


@dataclass(frozen=True)
class KindRules:
    # May the person turn e-mail off for it? Security mail cannot be turned off.
    email_optional: bool = True
    # Listed in the in-app inbox? Log-in codes and reset links are not: they are single-use
    # secrets and belong only in the e-mail that was asked for.
    in_inbox: bool = True
    # Paused, not created at all, while the person is taking a break (PRODUCT.md: a break
    # pauses invitations and digests).
    paused_by_break: bool = False
    # Who it is for, so that preference forms offer only what a person can receive.
    for_staff: bool = False
    # Holds a secret: a log-in or verification code, or a link that logs in or sets a
    # password. Only the person may read it: its body is hidden in the admin, wiped once it
    # is sent, has failed or has expired, and it is never sent again (the person asks anew).
    holds_secret: bool = False
    # May also come by text, if the person chose so and confirmed a mobile number: short,
    # timely news about a place or a session (templates/notifications/text/<kind>.txt).
    # A new kind that suits a text (a reply to a chat request) sets this and adds its
    # template. Never a kind that holds a secret, bar the code that confirms the number.
    text: bool = False
    # Only ever a text, to the number being confirmed, whatever the preferences.
    text_only: bool = False


RULES: dict[str, KindRules] = {
    Kind.ACCOUNT: KindRules(email_optional=False, in_inbox=False, holds_secret=True),
    Kind.STAFF_INVITATION: KindRules(email_optional=False, in_inbox=False, for_staff=True, holds_secret=True),
    Kind.WELCOME: KindRules(email_optional=True),
    Kind.SIGNUP_UPDATE: KindRules(text=True),
    Kind.PLACE_OFFERED: KindRules(text=True),
    Kind.REMINDER: KindRules(text=True),
    Kind.OPPORTUNITY_CANCELLED: KindRules(text=True),
    Kind.OUTCOME_PUBLISHED: KindRules(),
    Kind.CHECK_IN_INVITATION: KindRules(),
    Kind.DIGEST: KindRules(paused_by_break=True),
    Kind.FOLLOW_UP_REQUESTED: KindRules(for_staff=True),
    Kind.WORKER_SUMMARY: KindRules(for_staff=True),
    Kind.LEAD_WORKER_CHANGED: KindRules(for_staff=True),
    # Security mail: the person must hear of it, and it holds no secret, so it is kept.
    Kind.TWO_FACTOR_RESET: KindRules(email_optional=False),
    Kind.CLAIM_UPDATE: KindRules(),
    Kind.NAMED_WORKER_CHANGED: KindRules(),
    # When the worker will call, and when they marked it done: short, timely, no content.
    Kind.CHAT_REPLY: KindRules(text=True),
    # An opportunity published that matches the person's interests (F4): paused by a break,
    # like the digest it stands in for.
    Kind.INVITATION: KindRules(paused_by_break=True, text=True),
    # A lead worker writing to the people on an activity: often timely (a room changed, what
    # to bring), so it may come by text; the text carries the subject and says where to read
    # the rest, never the worker's free-text body, which can be long and is better read
    # signed in than on a phone that may not be the person's alone.
    Kind.PARTICIPANT_MESSAGE: KindRules(text=True),
    # A month's notice that a course runs out (issue 14): not urgent, so e-mail and the inbox.
    Kind.TRAINING_EXPIRING: KindRules(),
    # A new version of the charter (issue 15): for everyone, so a choice only representatives
    # see on their preferences, like the other news; never paused by a break, since it may
    # ask them to agree to their agreement again.
    Kind.CHARTER_UPDATED: KindRules(),
    # A question about a person's agreement, for their named worker; never what was asked.
    Kind.CHARTER_QUESTION: KindRules(for_staff=True),
    # A reference asked for (issue 14): who and by when, never the person's note.
    Kind.REFERENCE_REQUESTED: KindRules(for_staff=True),
    Kind.REFERENCE_READY: KindRules(),
    # To the data protection lead's address, who may have no account (issue 16): counts only,
    # never names or content; not in anybody's inbox, and not optional.
    Kind.ACCESS_LOG_SUMMARY: KindRules(email_optional=False, in_inbox=False, for_staff=True),
    # Before an unused account is put to an administrator for erasure (issue 16): the person
    # must be able to keep it, so it cannot be switched off.
    Kind.ACCOUNT_UNUSED: KindRules(email_optional=False),
    # A copy of a person's data (issue 16): they must hear of it, so it cannot be turned off;
    # the link needs them logged in again, so it holds no secret.
    Kind.DATA_EXPORT_READY: KindRules(email_optional=False),
    # The code is the secret: not in the inbox, wiped once sent, never sent again.
    Kind.PHONE_CODE: KindRules(email_optional=False, in_inbox=False, holds_secret=True, text_only=True),
}

INBOX_KINDS = [kind for kind, rules in RULES.items() if rules.in_inbox]
SECRET_KINDS = [kind for kind, rules in RULES.items() if rules.holds_secret]
TEXT_KINDS = [kind for kind, rules in RULES.items() if rules.text]
# A text must fit in 4 SMS fragments (153 characters each once split): Notify's price and
# the phone's patience both grow with each one.
TEXT_MAX_CHARS = 612


def optional_kinds(*, staff: bool, representative: bool) -> list[Kind]:
    """The kinds a person may switch e-mail off for, given their roles."""
    return [
        Kind(kind)
        for kind, rules in RULES.items()
        if rules.email_optional and ((rules.for_staff and staff) or (not rules.for_staff and representative))
    ]


def text_kinds(*, staff: bool, representative: bool) -> list[Kind]:
    """The kinds a person may choose to get by text, given their roles."""
    return [
        Kind(kind)
        for kind, rules in RULES.items()
        if rules.text and ((rules.for_staff and staff) or (not rules.for_staff and representative))
    ]


class SignUpUpdate(models.TextChoices):
    """What happened to a sign-up, as the `signup_update` and `place_offered` messages say
    it: the services pass one as `event` and the templates compare with these, never with
    a literal. The values are the sign-up states they follow where there is one, and they
    are part of the messages' keys, so they never change."""

    APPLIED = "applied", "Applied"
    CONFIRMED = "confirmed", "Place confirmed"
    WAITLISTED = "waitlisted", "On the waiting list"
    OFFERED = "offered", "Place offered"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SELECTED = "not_selected", "Not selected"
    CANCELLED = "cancelled", "Cancelled by staff"
    SESSIONS_CHANGED = "sessions_changed", "Time or place changed"
    OFFER_LAPSED = "offer_lapsed", "Offer lapsed"


# Every message template may name these, so that it compares with a choice, not a literal
# (`{% if event == SignUpUpdate.CONFIRMED %}`). Django's choices are never called in templates.
TEMPLATE_CHOICES = {"Kind": Kind, "DigestFrequency": DigestFrequency, "SignUpUpdate": SignUpUpdate}
