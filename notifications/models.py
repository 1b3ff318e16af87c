"""The outbox: every message the product sends is a row here first."""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.kinds import SECRET_KINDS, Channel, Kind

# What is left of an account message's body once it has been sent, has failed or has
# expired: the row stays as the record that it was sent, the secret does not.
WIPED_BODY = "[removed once sent or expired: only the person it was for could read it]"


class Message(models.Model):
    """One message to one person, written in the transaction of the change that causes it.

    `dedupe_key` makes a second copy impossible (for example `reminder:48h:<sign-up>:<session>`).
    Workers claim a pending row with a conditional update, so two never send the same one.
    Bodies never hold special-category data: no support notes, no check-in answers.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        INBOX_ONLY = "inbox_only", "In the inbox only (e-mail turned off)"

    # PROTECT: the outbox is the record of what we told whom. Erasing a person keeps their
    # messages' rows and wipes the bodies (docs/adr/0009-erasing-a-person.md).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    # One row per channel: a text is a row of its own, keyed `<the e-mail's key>:text`, so
    # that each channel is claimed, retried and failed apart. The e-mail row is the one the
    # inbox lists (`inbox_only` when the person chose text alone).
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    to_email = models.EmailField(blank=True)
    # A text's number, in E.164: a confirmed mobile (or, for the code, the one being confirmed).
    to_phone = models.CharField(max_length=16, blank=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # A message written unrendered (`message_create(..., render_later=True)`, in a busy
    # transaction such as a sign-up): the snapshot of plain values its templates read, fixed
    # when it was written (notifications/services/snapshots.py). Subject and bodies stay
    # empty until delivery renders them from it and clears it. Never more than the message
    # says, so never special-category data. Null for a message rendered when written.
    context = models.JSONField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's claim: pending rows that are due, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"], name="message_due_idx", condition=Q(status="pending")
            ),
            # The inbox and its unread count.
            models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx"),
            models.Index(fields=["recipient"], name="message_unread_idx", condition=Q(read_at__isnull=True)),
            models.Index(fields=["status", "claimed_at"], name="message_status_idx"),
            # The wipe's sweep: account messages that still hold their secret (a handful).
            # Messages written unrendered and not rendered yet: a handful, for the sweep.
            models.Index(fields=["id"], name="message_unrendered_idx", condition=Q(context__isnull=False)),
            models.Index(
                fields=["created_at"],
                name="message_secret_unwiped_idx",
                condition=Q(kind__in=SECRET_KINDS) & ~Q(body_text=WIPED_BODY),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="message_has_address_for_channel",
                condition=(Q(channel="email") & ~Q(to_email="")) | (Q(channel="text") & ~Q(to_phone="")),
            ),
        ]

    def __str__(self) -> str:
        to = self.to_phone if self.channel == Channel.TEXT else self.to_email
        return f"{self.get_kind_display()} to {to}: {self.content.subject}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def is_rendered(self) -> bool:
        return self.context is None

    @cached_property
    def content(self) -> "Message | Shown":
        """What the message says, for a page (`.subject`, `.body_text`, `.body_html`): the
        row itself once rendered (so a list that loads only the subject reads nothing more),
        or, for one written unrendered and not delivered yet, rendered from its snapshot
        here (nothing is stored: delivery, or a worker, stores it)."""
        if self.context is None:
            return self
        from notifications.services.rendering import render_snapshot, stored_columns

        rendered = render_snapshot(kind=self.kind, snapshot=self.context)
        return Shown(**stored_columns(rendered, channel=self.channel))


@dataclass(frozen=True)
class Shown:
    """A message's subject and bodies, as a page shows them (`Message.content`)."""

    subject: str
    body_text: str
    body_html: str


class ContactTask(models.Model):
    """A call to make, or a letter to send, to one person: the outbox's channel for what no
    e-mail or text can carry (issue 13, items 4 and 7).

    Made by `message_store` in the transaction of the change that causes it, keyed by that
    message's key so that the same cause never makes two: for a person with no e-mail address
    (and no confirmed mobile), every message becomes one, for their named worker (or the
    worker who registered them); for a person who prefers a phone call, an offer of a place
    or a change to a session they are in is one too, for their named worker or else the
    lead worker, due by the offer's expiry or the session's start. The worker logs each try
    ("reached", "no answer", "left a message", "letter sent"), each written to the person's
    contact log; any but "no answer" closes it.

    It lives here, not in opportunities or home: the outbox makes it, and this is the lowest
    app that knows about messages; opportunities asks for it through `message_create`, and
    home lists it on the worker's home. Its words are the message's: no special-category data.
    """

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        LETTER = "letter", "Letter"

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached them"
        NO_ANSWER = "no_answer", "No answer"
        LEFT_MESSAGE = "left_message", "Left a message"
        LETTER_SENT = "letter_sent", "Letter sent"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_tasks"
    )
    # Who should make it. Empty only if the person has no named worker and nobody else was
    # given; any worker who may see the person may then take it.
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    # The message's kind (a `Kind` value), kept without choices so that a new kind of message
    # needs no migration of this table.
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField(blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = [models.F("due_at").asc(nulls_last=True), "created_at", "pk"]
        indexes = [
            # The worker's home: their open tasks, soonest due first.
            models.Index(
                fields=["worker", "due_at"], name="contacttask_open_idx", condition=Q(closed_at__isnull=True)
            ),
            models.Index(fields=["person", "-created_at"], name="contacttask_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} to {self.person}: {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
