"""A person's past activities for the record's tests, written directly as fixtures do (the
services that make them are opportunities' and tested there)."""

from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from catalogue.models import Course
from opportunities.models import Attendance, SignUp
from opportunities.tests.factories import OpportunityFactory
from opportunities.training import TrainingCompletion


def took_part(
    person: User,
    *,
    lead: User,
    sessions: list[tuple[datetime, datetime, bool]],
    **opportunity_fields,
) -> SignUp:
    """A completed opportunity with these sessions, each (start, end, attended?), and the
    person's sign-up with their attendance recorded."""
    opportunity = OpportunityFactory(
        lead_worker=lead,
        status="completed",
        sessions=[(start, end) for start, end, _ in sessions],
        **opportunity_fields,
    )
    state = SignUp.State.ATTENDED if any(was for *_, was in sessions) else SignUp.State.NO_SHOW
    signup = SignUp.objects.create(opportunity=opportunity, person=person, state=state)
    for session, (*_, was) in zip(opportunity.sessions.order_by("starts_at"), sessions, strict=True):
        Attendance.objects.create(signup=signup, session=session, attended=was, recorded_by=lead)
    return signup


def ago(days: int, hour: int = 10, hours: float = 2) -> tuple[datetime, datetime]:
    start = (timezone.localtime() - timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(hours=hours)


def trained(person: User, *, name: str = "Recruitment panel training", days_ago: int = 30, months: int = 24):
    course, _ = Course.objects.get_or_create(name=name, defaults={"valid_for_months": months})
    done = timezone.localdate() - timedelta(days=days_ago)
    return TrainingCompletion.objects.create(
        person=person, course=course, completed_on=done, expires_on=done + timedelta(days=30 * months)
    )
