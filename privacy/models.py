"""A person's requests about their data (issue 16, ADR 17): a copy of it, or its erasure.

The row is the record of the request itself: who asked, how, who confirmed an erasure and
when it was carried out, pointing at the (anonymised) person by id, never by name, so that
a restore from backup can apply the erasure again (ADR 9, step 9)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DataRequest(models.Model):
    class Kind(models.TextChoices):
        EXPORT = "export", "A copy of their data"
        ERASURE = "erasure", "Erasing their data"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        READY = "ready", "Ready to download"
        DONE = "done", "Carried out"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online, by the person"
        PHONE = "phone", "By phone"
        LETTER = "letter", "By letter"
        IN_PERSON = "in_person", "In person"
        EMAIL = "email", "By e-mail"
        UNUSED = "unused", "The account was not used for years, after a warning"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # PROTECT: an erased person's row stays (anonymised), and so does the record of the request.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="data_requests"
    )
    # Empty when nobody asked: an unused account put to an administrator by retention.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # An export's zip, relative to PRIVATE_MEDIA_ROOT, and when its link stops working.
    file = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One erasure waiting per person: a second request adds nothing to review.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(kind="erasure", status="pending"),
                name="one_pending_erasure_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for person {self.person_id} ({self.get_status_display()})"

    # What the pages ask, rather than comparing a status by hand (test_presenters).
    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_ready(self) -> bool:
        """A copy made; its link may still have run out (`expires_at`)."""
        return self.status == self.Status.READY
