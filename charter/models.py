"""The co-signed involvement charter and personal agreements (issue 15).

A charter version is a full snapshot: its own copy of every section, so an earlier version
reads exactly as it was published. A proposal changes one section, is co-signed by at least
one representative and one member of staff, and an administrator publishes it as the next
version (charter.services)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from charter.sections import SectionKey


class CharterVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What changed, in a line: the proposal's reason, or "The first charter".
    summary = models.CharField(max_length=300, blank=True)
    # Who co-signed it: copied from the proposal when it is published, so the version keeps
    # its signers whatever later happens to the proposal.
    co_signers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="charter_versions_signed")

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Version {self.number}"


class Section(models.Model):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40, choices=SectionKey.choices)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=5000)
    order = models.PositiveSmallIntegerField()
    # The version whose publishing last changed these words. A proposal records it when it
    # is written; publishing refuses a proposal whose section has moved on since.
    revision = models.PositiveIntegerField()

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="one_section_per_key")]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open for co-signing"
        PUBLISHED = "published", "Published"

    section_key = models.CharField("section", max_length=40, choices=SectionKey.choices)
    # The section's revision the new wording was written against (Section.revision).
    based_on_revision = models.PositiveIntegerField()
    body = models.TextField("new wording", max_length=5000)
    reason = models.TextField("why this change", max_length=2000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    published_as = models.ForeignKey(
        CharterVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"], name="proposal_status_idx")]

    def __str__(self) -> str:
        return f"Proposal {self.pk}: {self.get_section_key_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CoSignature(models.Model):
    class As(models.TextChoices):
        REPRESENTATIVE = "representative", "Representative"
        STAFF = "staff", "Staff"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_signatures")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Which side of the partnership they signed for, fixed when they signed: a peer worker
    # (a representative employed as staff) signs as staff.
    signed_as = models.CharField(max_length=20, choices=As.choices)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="one_co_signature_each")]


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("your comment", max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class Agreement(models.Model):
    """A representative agreed to their personal involvement agreement, built from this
    version of the charter; `text` is the agreement exactly as they read it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements")
    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="agreements")
    agreed_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-agreed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_agreement_per_version")
        ]


class AgreementQuestion(models.Model):
    """A question about the agreement, for the person's named worker to answer.

    Kept here rather than as a feedback follow-up: a follow-up belongs to a check-in (its
    scores feed the dashboard), and a question is not one. Like a follow-up, the message to
    the worker never carries what was asked (it may be about the person's health)."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        CLOSED = "closed", "Answered"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_questions"
    )
    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField("your question", max_length=2000)
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField("what you did", blank=True, max_length=2000)

    class Meta:
        ordering = ["-asked_at", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
