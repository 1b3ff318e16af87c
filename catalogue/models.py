"""Reference data every other app reads and administrators keep: teams, activity types and
the involvement ladder. At the bottom of the apps: it imports none of them.

Rate cards and courses join these when payments and training records are built.
"""

from django.db import models


class InvolvementLevel(models.TextChoices):
    """The upper rungs of the Think Local Act Personal ladder of co-production."""

    INFORMING = "informing", "Informing"
    CONSULTING = "consulting", "Consulting"
    ENGAGING = "engaging", "Engaging"
    CO_DESIGNING = "co-designing", "Co-designing"
    CO_PRODUCING = "co-producing", "Co-producing"


# One line each, shown beside the level wherever it appears, so nobody is promised more
# influence than an activity gives.
INVOLVEMENT_LEVEL_MEANINGS = {
    InvolvementLevel.INFORMING: "We tell you about a decision and why it was made.",
    InvolvementLevel.CONSULTING: "We ask for your views before we decide.",
    InvolvementLevel.ENGAGING: "You help shape the work as it goes, and we report back what changed.",
    InvolvementLevel.CO_DESIGNING: "You design the service or change with staff.",
    InvolvementLevel.CO_PRODUCING: "You share power and decisions with staff from start to finish.",
}


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    is_active = models.BooleanField(default=True, help_text="Inactive teams are hidden from new choices.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActivityType(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, max_length=2000, help_text="Plain English: what taking part involves."
    )
    default_involvement_level = models.CharField(
        max_length=20, choices=InvolvementLevel.choices, default=InvolvementLevel.CONSULTING
    )
    is_active = models.BooleanField(default=True, help_text="Inactive types are hidden from new choices.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def default_involvement_level_meaning(self) -> str:
        return INVOLVEMENT_LEVEL_MEANINGS[InvolvementLevel(self.default_involvement_level)]
