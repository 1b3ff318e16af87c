"""What a lead worker writes to the people on an activity (issue 13, item 5): the groups it
can go to, and the record of each message sent. A module of its own to keep
`opportunities/models.py` readable; it is imported there, which registers the model."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class ParticipantGroup(models.TextChoices):
    """Who a lead worker's message to participants goes to, in the product's words; each
    stands for the sign-up states listed in `PARTICIPANT_GROUP_STATES`."""

    CONFIRMED = "confirmed", "Confirmed: people with a place, including those who have attended"
    WAITING = "waiting", "Waiting: on the waiting list, or offered a place"
    APPLIED = "applied", "Applied: waiting for selection"


# A person marked attended at the first of several sessions still takes part in the next
# ones, so they hear what confirmed people hear; "did not attend" keeps its place too.
PARTICIPANT_GROUP_STATES: dict[str, tuple[str, ...]] = {
    ParticipantGroup.CONFIRMED: ("confirmed", "attended", "no_show"),
    ParticipantGroup.WAITING: ("waitlisted", "offered"),
    ParticipantGroup.APPLIED: ("applied",),
}

PARTICIPANT_MESSAGE_SUBJECT_MAX = 100
PARTICIPANT_MESSAGE_BODY_MAX = 2000


class ParticipantMessage(models.Model):
    """One message the lead worker wrote to the people on an opportunity: the record of what
    was sent, by whom, to which groups and to how many. Each person's copy is a row of the
    outbox (`participant_message:<this id>:<person id>`), written in the same transaction.
    Never special-category data: the form says so."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="participant_messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=PARTICIPANT_MESSAGE_SUBJECT_MAX)
    body = models.TextField(max_length=PARTICIPANT_MESSAGE_BODY_MAX)
    groups = ArrayField(models.CharField(max_length=20, choices=ParticipantGroup.choices))
    recipient_count = models.PositiveIntegerField()
    # The form's own token, made when the form was shown: the same form sent twice (a double
    # click, a resubmitted page) finds this row and sends nothing more.
    send_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["opportunity", "-created_at"], name="participant_message_idx")]

    def __str__(self) -> str:
        return f"{self.opportunity}: {self.subject}"

    def get_groups_display(self) -> list[str]:
        return [ParticipantGroup(group).label.split(":")[0] for group in self.groups]
