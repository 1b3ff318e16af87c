"""The involvement record (issue 14, F8): the person's role on each activity, their skills and
statement, the certificates they issue from it, and references they ask their named worker for.

The activities, hours and training themselves are opportunities' (sign-ups, attendance,
`opportunities.training.TrainingCompletion`): the record reads them and stores only what
nothing below it holds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

STATEMENT_MAX = 1500
SKILLS_MAX = 600


class Role(models.TextChoices):
    """What the person did on an activity, as a job application would name it."""

    PANEL_MEMBER = "panel_member", "Panel member"
    CO_FACILITATOR = "co_facilitator", "Co-facilitator"
    CHAIR = "chair", "Chair"
    PARTICIPANT = "participant", "Participant"
    TRAINER = "trainer", "Trainer"
    OTHER = "other", "Other"


class ActivityRole(models.Model):
    """The person's role on one activity they took part in. Kept here, keyed by the
    sign-up, because opportunities (below records) owns the sign-up and has no use for it."""

    signup = models.OneToOneField(
        "opportunities.SignUp", on_delete=models.CASCADE, related_name="record_role"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    other_role = models.CharField("if other: the role", max_length=80, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="other") | ~Q(other_role=""), name="other_role_is_named"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.other_role if self.role == Role.OTHER else self.get_role_display()


class RecordStatement(models.Model):
    """The skills and short statement the person writes about their involvement: one each."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_statement"
    )
    skills = models.TextField(blank=True, max_length=SKILLS_MAX)
    statement = models.TextField(blank=True, max_length=STATEMENT_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Statement of person {self.person_id}"

    @property
    def skills_list(self) -> list[str]:
        """One skill a line (or separated by commas), as typed, blanks dropped."""
        parts = self.skills.replace(",", "\n").splitlines()
        return [part.strip() for part in parts if part.strip()]


class Certificate(models.Model):
    """What the person chose to share, frozen when it was made: the verify page shows
    `content` as it was then, whatever changed on the record since (ADR 0015). The code is
    the only key to it: 32 characters of `secrets.token_urlsafe`, 192 bits."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    code = models.CharField(max_length=64, unique=True)
    content = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="certificate_person_idx")]

    def __str__(self) -> str:
        return f"Certificate of {self.created_at:%d %B %Y}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class ReferencePurpose(models.TextChoices):
    JOB = "job", "A job"
    COURSE = "course", "A course"
    VOLUNTEERING = "volunteering", "A volunteering role"
    OTHER = "other", "Something else"


class ReferenceRequest(models.Model):
    """A person asking their named worker for a reference; the worker writes it here. It
    stays with the worker asked, even if the person's named worker changes later."""

    class State(models.TextChoices):
        REQUESTED = "requested", "Asked for"
        DONE = "done", "Written"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reference_requests"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="references_to_write"
    )
    purpose = models.CharField("what is it for?", max_length=20, choices=ReferencePurpose.choices)
    role_title = models.CharField("the job, course or role", max_length=120)
    organisation = models.CharField(max_length=120)
    deadline = models.DateField("when do you need it by? (optional)", null=True, blank=True)
    note = models.TextField("anything your worker should know (optional)", blank=True, max_length=1000)
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    body = models.TextField(blank=True, max_length=5000)
    requested_at = models.DateTimeField(default=timezone.now)
    written_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["worker", "state", "requested_at"], name="reference_worker_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="done") | (Q(written_at__isnull=False) & ~Q(body="")),
                name="done_reference_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Reference for {self.role_title}, {self.organisation}"
