"""Reads for outcomes, check-ins and follow-ups."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from catalogue.models import ActivityType, Team
from feedback.models import CheckIn, FollowUp, Outcome
from opportunities.models import Opportunity, SignUp
from opportunities.selectors import opportunities_led_by


def outcomes_published(
    *, team_id: int | None = None, activity_type_id: int | None = None
) -> QuerySet[Outcome]:
    """Published outcomes, newest first, for one team and one type of activity if given."""
    outcomes = (
        Outcome.objects.filter(status=Outcome.Status.PUBLISHED)
        .select_related("opportunity__team", "opportunity__activity_type")
        .order_by("-published_at", "-pk")
    )
    if team_id is not None:
        outcomes = outcomes.filter(opportunity__team_id=team_id)
    if activity_type_id is not None:
        outcomes = outcomes.filter(opportunity__activity_type_id=activity_type_id)
    return outcomes


def outcome_filter_choices() -> tuple[QuerySet[Team], QuerySet[ActivityType]]:
    """The teams and types of activity the outcomes page offers to filter by."""
    return Team.objects.filter(is_active=True), ActivityType.objects.filter(is_active=True)


def opportunities_led_with_outcomes(*, worker: User) -> QuerySet[Opportunity]:
    """The worker's opportunities (`opportunities_led_by`), each with its outcome, if any,
    in the same query (`opportunity.outcome`)."""
    return opportunities_led_by(worker=worker).select_related("outcome")


def outcome_for(*, opportunity: Opportunity) -> Outcome | None:
    return Outcome.objects.filter(opportunity=opportunity).first()


def outcomes_for_person(*, person: User, limit: int = 10) -> QuerySet[Outcome]:
    """Published outcomes of activities the person attended."""
    return outcomes_published().filter(
        opportunity__signups__person=person, opportunity__signups__state=SignUp.State.ATTENDED
    )[:limit]


def check_ins_due(*, person: User, within_days: int = 30) -> QuerySet[Opportunity]:
    """Activities the person attended recently and has not checked in about."""
    from datetime import timedelta

    return (
        Opportunity.objects.filter(
            signups__person=person,
            signups__state=SignUp.State.ATTENDED,
            ends_at__lte=timezone.now(),
            ends_at__gte=timezone.now() - timedelta(days=within_days),
        )
        .exclude(check_ins__person=person)
        .order_by("-ends_at")
    )


def check_ins_of(*, person: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(person=person).select_related(
        "opportunity", "follow_up__worker__profile", "person__profile"
    )


# The worker's order: the most urgent first (FollowUp.Urgency's order), then the oldest.
URGENCY_RANK = Case(
    *(When(urgency=value, then=Value(rank)) for rank, value in enumerate(FollowUp.Urgency.values)),
    default=Value(len(FollowUp.Urgency.values)),
    output_field=IntegerField(),
)


def follow_ups_waiting(*, worker: User) -> QuerySet[FollowUp]:
    """The worker's open follow-ups, most urgent first, then oldest first."""
    return (
        FollowUp.objects.filter(worker=worker, status=FollowUp.Status.OPEN)
        .select_related("person__profile", "check_in__opportunity")
        .order_by(URGENCY_RANK, "requested_at", "pk")
    )


def follow_up_get(*, follow_up_id: int) -> FollowUp | None:
    return (
        FollowUp.objects.select_related(
            "person__profile", "check_in__opportunity", "check_in__person__profile"
        )
        .filter(pk=follow_up_id)
        .first()
    )


def follow_ups_for_person(*, person: User) -> QuerySet[FollowUp]:
    """The person's follow-ups, open ones first, with who has each (for the person page,
    which shows only those the viewer may see, and never the check-in's words)."""
    return (
        FollowUp.objects.filter(person=person)
        .select_related("worker__profile", "check_in__opportunity")
        .order_by("-status", "-requested_at", "-pk")
    )
