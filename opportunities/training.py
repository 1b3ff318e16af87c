"""Training completions: who completed which course, and until when it counts.

Kept here, not in `records`: an opportunity may require a course, and the sign-up service
checks that rule under the opportunity's lock; opportunities sits below records and may not
import it (docs/architecture.md). The involvement record, above, reads completions from here.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from catalogue.models import Course


class TrainingCompletion(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    # Copied from the course when recorded: a course's validity changed later does not
    # shorten or lengthen training already done. Null: it never expires.
    expires_on = models.DateField(null=True, blank=True)
    # The training activity attended, when the completion came from one.
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_completions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="one_completion_per_course_a_day"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("completed_on")),
                name="training_expires_after_completion",
            ),
        ]
        indexes = [models.Index(fields=["person", "course", "-expires_on"], name="training_person_course")]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d %B %Y})"

    def is_current(self, on: date) -> bool:
        return self.expires_on is None or self.expires_on > on
