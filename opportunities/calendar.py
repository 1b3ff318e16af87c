"""iCalendar files for opportunities and for a person's own sessions.

Pure functions: they take loaded objects and return bytes, so the views decide who may see
what and these only decide how it is written. Every time is written in UTC, which every
calendar app understands without a VTIMEZONE; the app shows it in the person's own time.
"""

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from opportunities.models import Opportunity, Session

CALENDAR_NAME = "Involvement Hub"
PRODID = "-//Involvement Hub//EN"
# How often a subscribed calendar app should fetch the feed again (the feed itself is
# never cached: it holds personal details).
REFRESH_INTERVAL = timedelta(minutes=15)


def opportunity_url(opportunity: Opportunity) -> str:
    # The URL map in PRODUCT.md is stable, and a calendar file outlives the request.
    return f"{settings.SITE_URL}/opportunities/{opportunity.pk}/"


def session_uid(session: Session) -> str:
    # Stable, so that a calendar app updates the event it already has instead of adding a copy.
    return f"session-{session.pk}@involvement-hub"


def _location(session: Session, *, include_private: bool) -> str:
    """The exact address and joining link only for people allowed them (PRODUCT.md:
    visitors see no exact address); everyone else gets the area."""
    if include_private:
        exact = ", ".join(part for part in (session.location, session.joining_link) if part)
        if exact:
            return exact
    return session.area


def _description(opportunity: Opportunity, session: Session, *, include_private: bool) -> str:
    lines = [opportunity.summary]
    if include_private and session.joining_link:
        lines.append(f"Joining link: {session.joining_link}")
    lines.append(f"More about this: {opportunity_url(opportunity)}")
    return "\n\n".join(lines)


def _event(session: Session, opportunity: Opportunity, *, include_private: bool, stamp) -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", opportunity.title)
    event.add("description", _description(opportunity, session, include_private=include_private))
    location = _location(session, include_private=include_private)
    if location:
        event.add("location", location)
    event.add("url", opportunity_url(opportunity))
    event.add("last-modified", opportunity.updated_at.astimezone(UTC))
    event.add("status", "CONFIRMED")
    return event


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    return calendar


def opportunity_calendar(opportunity: Opportunity, *, include_private: bool) -> bytes:
    """One event per session of the opportunity. Prefetch `sessions` to avoid a query."""
    calendar = _calendar()
    stamp = timezone.now().astimezone(UTC)
    for session in opportunity.sessions.all():
        calendar.add_component(_event(session, opportunity, include_private=include_private, stamp=stamp))
    return calendar.to_ical()


def person_calendar(sessions: Iterable[Session]) -> bytes:
    """A person's own sessions, with exact addresses and joining links: they are theirs.
    Choosing which sessions belong here is the selector's job; load them with
    select_related("opportunity")."""
    calendar = _calendar()
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT15M")  # the older name Outlook reads
    stamp = timezone.now().astimezone(UTC)
    for session in sessions:
        calendar.add_component(_event(session, session.opportunity, include_private=True, stamp=stamp))
    return calendar.to_ical()
