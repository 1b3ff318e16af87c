"""Reads for the involvement record: the activities a person took part in with their hours,
their training, statement, certificates and references, each in one query."""

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from accounts.models import User
from opportunities.models import SignUp
from opportunities.training import TrainingCompletion
from records.models import Certificate, RecordStatement, ReferenceRequest

# Only sessions the person was marked as attending count: a no-show's row says False, and a
# session taken off an activity takes its attendance with it (Attendance cascades).
ATTENDED = Q(attendance__attended=True)
SESSION_LENGTH = ExpressionWrapper(
    F("attendance__session__ends_at") - F("attendance__session__starts_at"), output_field=DurationField()
)


RECORD_FIELDS = (
    "person_id",
    "state",
    "opportunity__title",
    "opportunity__involvement_level",
    "opportunity__activity_type__name",
    "opportunity__team__name",
    "record_role__role",
    "record_role__other_role",
)


def activities_taken_part_in(*, person: User) -> QuerySet[SignUp]:
    """Every sign-up of `person` with at least one attended session, most recent first, each
    annotated with `sessions_attended`, `time_attended` (a timedelta), `first_attended` and
    `last_attended`, and with the opportunity and the person's role loaded: one query,
    whatever the number of activities."""
    return (
        SignUp.objects.filter(person=person)
        .annotate(
            sessions_attended=Count("attendance", filter=ATTENDED),
            time_attended=Sum(SESSION_LENGTH, filter=ATTENDED),
            first_attended=Min("attendance__session__starts_at", filter=ATTENDED),
            last_attended=Max("attendance__session__starts_at", filter=ATTENDED),
        )
        .filter(sessions_attended__gt=0)
        .select_related("opportunity__activity_type", "opportunity__team", "record_role")
        # Only what the record shows: an opportunity's long text and search vector, read 200
        # times over, were most of the page's time (bench/records.py).
        .only(*RECORD_FIELDS)
        .order_by("-last_attended", "-pk")
    )


def activity_of(*, person: User, signup_id: int) -> SignUp | None:
    """One activity `person` took part in (None if it is not theirs or they never attended)."""
    return activities_taken_part_in(person=person).filter(pk=signup_id).first()


def training_of(*, person: User) -> QuerySet[TrainingCompletion]:
    return (
        TrainingCompletion.objects.filter(person=person)
        .select_related("course")
        .order_by("-completed_on", "pk")
    )


def statement_of(*, person: User) -> RecordStatement | None:
    return RecordStatement.objects.filter(person=person).first()


def certificates_of(*, person: User) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person=person).order_by("-created_at", "-pk")


def certificate_get(*, certificate_id: int) -> Certificate | None:
    return Certificate.objects.filter(pk=certificate_id).first()


def certificate_by_code(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first()


def references_of(*, person: User) -> QuerySet[ReferenceRequest]:
    return ReferenceRequest.objects.filter(person=person).select_related("worker__profile")


def reference_get(*, reference_id: int) -> ReferenceRequest | None:
    return (
        ReferenceRequest.objects.filter(pk=reference_id)
        .select_related("person__profile", "worker__profile")
        .first()
    )


def references_for_worker(*, worker: User) -> QuerySet[ReferenceRequest]:
    """The references `worker` was asked for: those to write first ("requested" sorts after
    "done"), oldest first, then those sent."""
    return (
        ReferenceRequest.objects.filter(worker=worker)
        .select_related("person__profile")
        .order_by("-state", "requested_at", "pk")
    )


def with_open_reference(people: QuerySet[User], *, worker: User) -> QuerySet[User]:
    """`people` (a worker's caseload), each annotated with the oldest reference they asked
    `worker` for that is not yet sent: `open_reference_id` and `open_reference_asked_at`
    (None when there is none). Subqueries in the caseload's own query, so the worker's
    home lists requests without a query of its own."""
    oldest = ReferenceRequest.objects.filter(
        person=OuterRef("pk"), worker=worker, state=ReferenceRequest.State.REQUESTED
    ).order_by("requested_at", "pk")
    return people.annotate(
        open_reference_id=Subquery(oldest.values("pk")[:1]),
        open_reference_asked_at=Subquery(oldest.values("requested_at")[:1]),
    )


def person_with_profile(*, person_id: int) -> User | None:
    return User.objects.filter(pk=person_id).select_related("profile").first()
