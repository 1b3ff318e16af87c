"""Opportunities, their sessions and the sign-ups of the people who take part."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from catalogue.models import (
    INVOLVEMENT_LEVEL_MEANINGS,
    ActivityType,
    Course,
    InvolvementLevel,
    RateCard,
    Team,
    describe_rate,
)


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "In person or online (hybrid)"


class SelectionMethod(models.TextChoices):
    FIRST_COME = "first_come", "First come, first served"
    FAIR_SHARE = "fair_share", "Fair share: priority to people involved least"


SELECTION_METHOD_MEANINGS = {
    SelectionMethod.FIRST_COME: "Places are confirmed in the order people sign up. When they are gone, "
    "you can join the waiting list.",
    SelectionMethod.FAIR_SHARE: "Everyone can apply until the deadline. Then places go first to people who "
    "have never been involved, then to people involved least in the last 12 months.",
}


def packs_storage() -> FileSystemStorage:
    """Preparation packs sit in the private media root, outside the static and media roots:
    served only through the permission-checked pack view, like payments' receipts."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class Opportunity(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=150)
    summary = models.CharField(
        "plain-language summary",
        max_length=300,
        help_text="One or two short sentences: what it is and who it is for.",
    )
    # Every free-text field has a limit (issue 9): forms say so by the field, and no page has
    # to lay out a 100,000-character paste.
    description = models.TextField("full description", max_length=5000)
    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="opportunities")
    involvement_level = models.CharField(max_length=20, choices=InvolvementLevel.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="opportunities")
    format = models.CharField(max_length=20, choices=Format.choices)
    accessibility = models.TextField(
        "accessibility information",
        max_length=2000,
        help_text="Step-free access, hearing loops, breaks, quiet rooms, captions.",
    )
    is_paid = models.BooleanField("paid", default=True)
    payment = models.CharField(
        "what is paid",
        max_length=300,
        blank=True,
        help_text="For example, £25 an hour including preparation, plus travel.",
    )
    rate_card = models.ForeignKey(
        RateCard,
        verbose_name="rate card",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        help_text="How the fee is worked out. The rate in force is fixed when you publish.",
    )
    # The rate in force when it was published, copied (issue 12): what was promised stays
    # promised whatever the rate card says later. Empty until published, or when unpaid.
    fee_rate_name = models.CharField(max_length=120, blank=True)
    fee_unit = models.CharField(max_length=10, blank=True)
    fee_amount = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    fee_block_hours = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    fee_preparation_hours = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    fee_rate_from = models.DateField(null=True, blank=True)
    places = models.PositiveSmallIntegerField()
    selection_method = models.CharField(
        max_length=20, choices=SelectionMethod.choices, default=SelectionMethod.FIRST_COME
    )
    signup_deadline = models.DateTimeField("sign-up deadline")
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_opportunities"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Training (issue 14): a course people must have, current on the first session's day, to
    # take part; and the course this activity is itself the training for.
    required_course = models.ForeignKey(
        Course,
        verbose_name="training needed (optional)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="required_by",
        help_text="People can sign up only with this training, current on the day of the first session.",
    )
    trains_for = models.ForeignKey(
        Course,
        verbose_name="this activity is training for (optional)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_activities",
        help_text="Everyone who attends can then be recorded as having completed this course, in one step.",
    )
    # A preparation pack for the day (a PDF or image), private: only people with a place and
    # the staff who manage it may download it (opportunities/views/packs.py).
    preparation_pack = models.FileField(upload_to="packs/%Y/%m/", storage=packs_storage, blank=True)
    preparation_pack_content_type = models.CharField(max_length=50, blank=True)
    cancel_reason = models.TextField(blank=True, max_length=300)
    # Kept by the services under the opportunity's row lock, so lists and filters read them
    # without counting sign-ups: places held (confirmed, offered, attended or did not
    # attend) and people waiting.
    places_taken = models.PositiveIntegerField(default=0)
    waitlist_length = models.PositiveIntegerField(default=0)
    # Kept by the services when sessions change: browse sorts and filters on them.
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    selection_done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL keeps this up to date itself; weights rank title over summary over description.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english")
        + SearchVector("description", weight="C", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="opportunity_places_at_least_one"),
            models.CheckConstraint(
                condition=Q(places_taken__lte=F("places")), name="opportunity_never_overbooked"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at", "id"], name="opportunity_browse_idx"),
            GinIndex(fields=["search_vector"], name="opportunity_search_idx"),
            models.Index(fields=["lead_worker", "status"], name="opportunity_lead_idx"),
            # The dashboard selects by first or last session, team and type, and joins sign-ups on
            # the id: covering indexes answer all of that without reading the wide table.
            models.Index(
                fields=["starts_at"],
                include=["id", "ends_at", "team", "activity_type", "status"],
                name="opportunity_starts_idx",
            ),
            models.Index(
                fields=["ends_at"],
                include=["id", "starts_at", "team", "activity_type"],
                name="opportunity_ends_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def promised_fee(self) -> str:
        """The fee as promised when it was published ("" before then, or when unpaid)."""
        if self.fee_amount is None:
            return ""
        preparation = self.fee_preparation_hours or Decimal(0)
        return describe_rate(self.fee_unit, self.fee_amount, self.fee_block_hours, preparation)

    @property
    def fee_shown(self) -> str:
        """The fee as pages show it: the rate promised when it was published; before then, the
        rate card's rate in force today (annotated by `opportunities.selectors`, so a list
        reads it without a query per card); "" when unpaid or when there is none."""
        if not self.is_paid:
            return ""
        if self.fee_amount is not None:
            return self.promised_fee
        amount = getattr(self, "rate_now_amount", None)
        if amount is None:
            return ""
        return describe_rate(
            self.rate_now_unit,  # type: ignore[attr-defined]
            amount,
            self.rate_now_block_hours,  # type: ignore[attr-defined]
            self.rate_now_preparation_hours,  # type: ignore[attr-defined]
        )

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_taken, 0)

    @property
    def involvement_level_meaning(self) -> str:
        return INVOLVEMENT_LEVEL_MEANINGS[InvolvementLevel(self.involvement_level)]

    @property
    def selection_method_meaning(self) -> str:
        return SELECTION_METHOD_MEANINGS[SelectionMethod(self.selection_method)]

    @property
    def is_open_for_signup(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.signup_deadline


class Session(models.Model):
    """One dated occurrence of an opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    area = models.CharField(
        "area (shown to everyone)",
        max_length=120,
        blank=True,
        help_text="For example, Central Leeds, or Online. Visitors see this, not the address.",
    )
    location = models.CharField(
        "exact address (optional)",
        max_length=300,
        blank=True,
        help_text="Only people who are signed in see the address.",
    )
    joining_link = models.URLField("joining link (optional)", blank=True, help_text="For online sessions.")
    # What to expect on the day (issue 14): shown to people signed in, never to visitors.
    meet_by = models.CharField("who will meet you (optional)", max_length=200, blank=True)
    what_to_bring = models.TextField("what to bring (optional)", max_length=1000, blank=True)
    directions = models.TextField("how to get there (optional)", max_length=1000, blank=True)
    map_link = models.URLField("map link (optional)", max_length=500, blank=True)
    breaks = models.CharField("breaks (optional)", max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]

    def __str__(self) -> str:
        return f"{self.opportunity.title}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_what_to_expect(self) -> bool:
        return any((self.meet_by, self.what_to_bring, self.directions, self.map_link, self.breaks))


class AttendanceMode(models.TextChoices):
    """How a person will join a hybrid activity: asked when they sign up, so the lead worker
    knows who to expect in the room (the register) and who online."""

    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


# States that hold one of the places: the services count these (HOLDS_PLACE), and each holds a place number.
PLACE_HOLDING_STATES = ("confirmed", "offered", "attended", "no_show")


class SignUp(models.Model):
    """A representative's place on an opportunity; its state machine is in services/states.py."""

    class State(models.TextChoices):
        APPLIED = "applied", "Applied: waiting for selection"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CONFIRMED = "confirmed", "Confirmed"
        NOT_SELECTED = "not_selected", "Not selected this time"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CANCELLED = "cancelled", "Cancelled by staff"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="signups")
    # PROTECT wherever history hangs on people (places, the waiting list, attendance): erasure
    # anonymises them, never deletes rows behind the counts' back (docs/adr/0009).
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(max_length=20, choices=State.choices)
    note = models.TextField(
        "what would help you take part? (optional)",
        blank=True,
        max_length=2000,
        help_text="For example, a seat near the door, a large-print pack, or a break every hour.",
    )
    # Asked only when the opportunity is hybrid; empty otherwise (its format says how).
    attendance_mode = models.CharField(
        "how will you join?", max_length=10, choices=AttendanceMode.choices, blank=True
    )
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    selection_rank = models.PositiveIntegerField(null=True, blank=True)
    selection_reason = models.CharField(max_length=300, blank=True)
    # The place held (1 to places) while the state holds one: unique per opportunity, so two
    # transactions never both take the last, even past the lock; a trigger caps it (ADR 5).
    place_number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "person"], name="one_signup_per_person"),
            models.UniqueConstraint(
                fields=["opportunity", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="unique_waitlist_position",
            ),
            models.UniqueConstraint(
                fields=["opportunity", "place_number"],
                condition=Q(place_number__isnull=False),
                name="unique_place_number",
            ),
            models.CheckConstraint(
                # "is not null" spelled out: a check whose answer is unknown (null) passes.
                condition=Q(state__in=PLACE_HOLDING_STATES, place_number__isnull=False, place_number__gte=1)
                | (~Q(state__in=PLACE_HOLDING_STATES) & Q(place_number__isnull=True)),
                name="signup_place_number_only_while_holding",
            ),
        ]
        indexes = [
            # Both carry the third column too, so counts of places per person (dashboard, fair
            # share) and per opportunity are index-only scans over a million sign-ups.
            models.Index(fields=["person", "state", "opportunity"], name="signup_person_idx"),
            models.Index(fields=["opportunity", "state", "person"], name="signup_opportunity_idx"),
            models.Index(
                fields=["state", "offer_expires_at"], name="signup_offer_idx", condition=Q(state="offered")
            ),
            # Sign-ups holding a place (dashboard.scope.PLACE_STATES, under half of them): the
            # dashboard's figures read who and which state from this index alone.
            models.Index(
                fields=["opportunity", "person", "state"],
                name="signup_place_idx",
                condition=Q(state__in=["confirmed", "attended", "no_show"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.opportunity}: {self.state}"


class Attendance(models.Model):
    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField()
    # Attendance is what payments and the involvement record will count: who recorded it stays.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signup", "session"], name="one_attendance_per_session")
        ]


# History, participant messages and training completions live in modules of their own;
# importing them here registers the models and keeps `opportunities.models` their address.
from opportunities.history import OpportunityEvent, SelectionDraw, SignUpEvent  # noqa: E402,F401
from opportunities.participant_message import (  # noqa: E402,F401
    PARTICIPANT_GROUP_STATES,
    PARTICIPANT_MESSAGE_BODY_MAX,
    PARTICIPANT_MESSAGE_SUBJECT_MAX,
    ParticipantGroup,
    ParticipantMessage,
)
from opportunities.training import TrainingCompletion  # noqa: E402,F401
