"""Reads behind the calendar files and the private feed."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from opportunities.models import Opportunity, Session, SignUp

# Statuses whose opportunity file anyone may download: drafts are unpublished and
# cancelled activities are not happening.
PUBLIC_STATUSES = (Opportunity.Status.PUBLISHED, Opportunity.Status.CLOSED, Opportunity.Status.COMPLETED)
# Whose place on an activity puts its sessions in their calendar. "Attended" stays in:
# attendance is recorded per session, so after the first of several sessions the sign-up
# is already attended while the later sessions are still to come.
PLACE_STATES = (SignUp.State.CONFIRMED, SignUp.State.ATTENDED)
# "Closed" only stops new sign-ups and "completed" comes after the last session: the
# people with a place keep their sessions. Cancelled and draft activities drop out.
PERSON_STATUSES = PUBLIC_STATUSES
# Recent sessions stay so people can look back (and claim payment), without the feed
# growing for ever.
PAST_DAYS = 90


def opportunity_for_calendar(*, opportunity_id: int) -> Opportunity | None:
    return (
        Opportunity.objects.filter(pk=opportunity_id, status__in=PUBLIC_STATUSES)
        .prefetch_related("sessions")
        .first()
    )


def confirmed_sessions_for_person(*, person: User) -> QuerySet[Session]:
    """Upcoming sessions, and those of the last 90 days, of activities the person has a
    place on, in one query. Both sign-up conditions sit in one filter() so they apply to
    the same sign-up row; one sign-up per person per opportunity keeps rows unique."""
    since = timezone.now() - timedelta(days=PAST_DAYS)
    return (
        Session.objects.filter(
            opportunity__signups__person=person,
            opportunity__signups__state__in=PLACE_STATES,
            opportunity__status__in=PERSON_STATUSES,
            ends_at__gte=since,
        )
        .select_related("opportunity")
        .order_by("starts_at", "pk")
    )
