"""What happened, kept: each sign-up's changes of state, each opportunity's (its lead worker
among them) and each fair-share selection's draw. A module of its own to keep
`opportunities/models.py` readable; it is imported there, which registers the models."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignUpEvent(models.Model):
    """The history of a sign-up: every change of state, who made it and why."""

    signup = models.ForeignKey("opportunities.SignUp", on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    # Who moved it: the person, a worker (an offer by hand), or nobody (a job). Evidence, so kept.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when a worker (the actor) did what the person would do themselves, for them: signed
    # them up, withdrew or accepted an offer (assisted digital, docs/adr/0013-assisted-digital.md).
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class OpportunityEvent(models.Model):
    """The history of an opportunity: changes that matter afterwards, such as who leads it,
    who made them and why. Written only by the services; shown to staff on the opportunity."""

    class Kind(models.TextChoices):
        LEAD_CHANGED = "lead_changed", "Lead worker changed"

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Being lead opens people's notes (ADR 6): who led when, and who changed it, is kept.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a change of lead: who led it before (empty when it was just created) and after.
    previous_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["opportunity", "created_at"], name="opportunity_event_idx")]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.get_kind_display()}"


class SelectionDraw(models.Model):
    """A fair-share selection as it was run: the seed of the random draw and the ranking
    with the reason for each place, so that any decision can be explained afterwards."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="draws"
    )
    seed = models.CharField(max_length=64)
    # One row per applicant: ids, rank and reason, never a name, so that erasing a person
    # leaves nothing of them here; names are read when the page is shown.
    ranking = models.JSONField(default=list)
    # Who ran it (None: the periodic job): part of explaining the decision, so kept.
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
