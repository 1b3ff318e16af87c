"""The feedback loop: outcomes ("You said, we did"), check-ins and follow-ups."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from involvement.working_days import working_days_after

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Outcome(models.Model):
    """What representatives contributed and what changed as a result, for one opportunity."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    opportunity = models.OneToOneField(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="outcome"
    )
    you_said = models.TextField(
        "you said",
        max_length=5000,
        help_text="What representatives contributed, in their words where you can.",
    )
    we_did = models.TextField(
        "we did", max_length=5000, help_text="What changed, or will change, because of it."
    )
    evidence_url = models.URLField(
        "link to evidence (optional)",
        blank=True,
        help_text="For example, the new policy or the published report.",
    )
    follow_up_on = models.DateField(
        "when we will tell you more (optional)",
        null=True,
        blank=True,
        help_text="If the change is still to come, the date you will report back by.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Who wrote what the service tells people changed: kept, as the record's author.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="outcome_published_idx")]

    def __str__(self) -> str:
        return f"Outcome of {self.opportunity}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class CheckIn(models.Model):
    """A representative's private reflection, after an activity or at any time.

    Special-category data: the person, their named worker and the lead worker of the
    opportunity may read it (each staff read is logged); managers see aggregates only.
    """

    # PROTECT: check-ins feed the dashboard's figures. Erasing a person anonymises them and
    # wipes what they wrote, keeping the scores (docs/adr/0009-erasing-a-person.md).
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="check_ins")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins",
    )
    how_it_went = models.PositiveSmallIntegerField("how did it go?", validators=SCORE)
    felt_valued = models.PositiveSmallIntegerField("did you feel valued?", validators=SCORE)
    went_well = models.TextField("what went well? (optional)", blank=True, max_length=2000)
    could_be_better = models.TextField("what could be better? (optional)", blank=True, max_length=2000)
    wants_chat = models.BooleanField("would you like a chat with your involvement worker?", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "opportunity"],
                condition=Q(opportunity__isnull=False),
                name="one_check_in_per_activity",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="checkin_created_idx")]

    def __str__(self) -> str:
        return f"Check-in by {self.person_id}"


def due_on_if_asked_today() -> date:
    """A follow-up's last day when it is asked for now (the service sets it from the time it
    was asked: `feedback.services.follow_up_due_on`)."""
    return working_days_after(timezone.localdate(), settings.FOLLOW_UP_TARGET_WORKING_DAYS)


class FollowUp(models.Model):
    """A request for a chat, for the person's named worker (or the lead worker).

    Open until the worker closes it; while open, the worker may pick it up, saying when they
    will call (`call_by`), which the person sees. It should be picked up (or closed) by
    `due_on`, FOLLOW_UP_TARGET_WORKING_DAYS working days after it was asked for."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        CLOSED = "closed", "Done"

    class Urgency(models.TextChoices):
        # The order is the worker's order: the home lists the most urgent first.
        TODAY = "today", "Today, if you can"
        THIS_WEEK = "this_week", "This week"
        NO_RUSH = "no_rush", "There is no rush"

    check_in = models.OneToOneField(CheckIn, on_delete=models.CASCADE, related_name="follow_up")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assigned_follow_ups"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(default=timezone.now)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.THIS_WEEK)
    # The last day to pick it up within the target, fixed when it is asked for (so that a
    # change to the target or the bank holidays never moves a follow-up already waiting).
    due_on = models.DateField(default=due_on_if_asked_today)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    call_by = models.DateField("I will call you by", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who followed the person up, and what they did, is the record that somebody did.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_taken = models.TextField("what you did", blank=True, max_length=2000)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["worker", "status", "requested_at"], name="followup_worker_idx")]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_picked_up(self) -> bool:
        return self.picked_up_at is not None

    def is_overdue(self, today: date | None = None) -> bool:
        """Still waiting to be picked up after its last day."""
        today = today or timezone.localdate()
        return self.is_open and not self.is_picked_up and self.due_on < today

    @property
    def hours_to_close(self) -> float | None:
        if self.closed_at is None:
            return None
        return (self.closed_at - self.requested_at).total_seconds() / 3600


class Invitation(models.Model):
    """An invitation to a newly published opportunity, sent to someone whose interests match
    and who has never, or least, been involved (F4: many users missed out). One per person
    per opportunity (the constraint), and at most one per person in INVITATION_GAP_DAYS
    (checked under a lock on the person: feedback.services.invitations). The dashboard counts
    the first-timers who signed up after one."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations")
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="invitations"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "opportunity"], name="one_invitation_per_opportunity")
        ]
        indexes = [models.Index(fields=["person", "-sent_at"], name="invitation_person_idx")]

    def __str__(self) -> str:
        return f"Invitation of {self.person_id} to {self.opportunity_id}"
