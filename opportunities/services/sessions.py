"""An opportunity's sessions: checking them, saving them in place, and telling the people
signed up when a time or place changes."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from involvement.templatetags.nhs_dates import nhs_datetime
from notifications.kinds import Kind
from notifications.services import CallRequest, message_create
from opportunities.models import Attendance, Opportunity, Session
from opportunities.services.states import ACTIVE, OpportunityError


@dataclass
class SessionData:
    starts_at: datetime
    ends_at: datetime
    area: str = ""
    location: str = ""
    joining_link: str = ""
    id: int | None = None  # an existing session being edited
    # What to expect on the day: saved, but not a change of time or place that people are told of.
    meet_by: str = ""
    what_to_bring: str = ""
    directions: str = ""
    map_link: str = ""
    breaks: str = ""


def _sync_dates(opportunity: Opportunity) -> None:
    span = opportunity.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    opportunity.starts_at, opportunity.ends_at = span["first"], span["last"]
    opportunity.save(update_fields=["starts_at", "ends_at", "updated_at"])


# What people are told about when it changes: when and where a session is.
SESSION_DETAILS = ("starts_at", "ends_at", "area", "location", "joining_link")
# What to expect on the day (issue 14): written as typed, even on a session that has started
# (a worker may add the directions afterwards for the record), and told of by nobody.
WHAT_TO_EXPECT = ("meet_by", "what_to_bring", "directions", "map_link", "breaks")


@dataclass
class SessionChange:
    """One session added, changed or removed, as the people signed up are told of it."""

    before: SessionData | None
    after: SessionData | None

    @property
    def address_changed(self) -> bool:
        return bool(self.before and self.after and self.before.location != self.after.location)

    @property
    def link_changed(self) -> bool:
        return bool(self.before and self.after and self.before.joining_link != self.after.joining_link)

    def fingerprint(self) -> tuple[tuple[str, ...] | None, ...]:
        return tuple(
            None if side is None else tuple(str(getattr(side, name)) for name in SESSION_DETAILS)
            for side in (self.before, self.after)
        )


def _details(session: Session) -> SessionData:
    return SessionData(**{name: getattr(session, name) for name in SESSION_DETAILS}, id=session.pk)


def _save_sessions(
    opportunity: Opportunity, sessions: list[SessionData], *, running: bool
) -> list[SessionChange]:
    """Write the sessions in place and return what changed. Once an opportunity is running
    (published or closed), a session that has started is a record of what happened: it can
    be neither changed nor removed, while the rest of the opportunity still can."""
    existing = {session.pk: session for session in opportunity.sessions.all()}
    kept = {data.id for data in sessions if data.id in existing}
    removed = sorted(set(existing) - kept)
    if removed and Attendance.objects.filter(session_id__in=removed).exists():
        raise OpportunityError("A session with attendance recorded cannot be removed.")
    changes = []
    for pk in removed:
        if running and existing[pk].has_started:
            raise OpportunityError(
                f"The session on {nhs_datetime(existing[pk].starts_at)} has already started, "
                "so it cannot be removed."
            )
        changes.append(SessionChange(before=_details(existing[pk]), after=None))
    Session.objects.filter(pk__in=removed).delete()
    for data in sessions:
        fields = {name: getattr(data, name) for name in SESSION_DETAILS}
        expect = {name: getattr(data, name) for name in WHAT_TO_EXPECT}
        if data.id in existing:
            before = _details(existing[data.id])
            if any(getattr(existing[data.id], name) != value for name, value in expect.items()):
                Session.objects.filter(pk=data.id).update(**expect)
            if all(getattr(before, name) == value for name, value in fields.items()):
                continue
            if running and existing[data.id].has_started:
                raise OpportunityError(
                    f"The session on {nhs_datetime(before.starts_at)} has already started, "
                    "so it cannot be changed."
                )
            Session.objects.filter(pk=data.id).update(**fields)
            changes.append(SessionChange(before=before, after=SessionData(**fields, id=data.id)))
        else:
            session = Session.objects.create(opportunity=opportunity, **fields, **expect)
            changes.append(SessionChange(before=None, after=_details(session)))
    return changes


def _tell_about_session_changes(
    opportunity: Opportunity, changes: list[SessionChange], *, version: datetime | None
) -> None:
    """Everyone with an active sign-up hears of a change of time or place, once. The key is
    built from the change itself and the row's version before it: a second save of the same
    form changes nothing and sends nothing, and moving a session back and then forth again
    is a new change, so it is told again."""
    fingerprint = hashlib.sha256(
        repr(
            (opportunity.pk, version.isoformat() if version else "", [c.fingerprint() for c in changes])
        ).encode()
    ).hexdigest()[:24]
    # A person who prefers a phone call is called too, by their named worker or else the lead
    # worker, before the first changed session still to come starts, at its old time or its
    # new one, whichever is sooner: they would otherwise come at the old (issue 13, item 7).
    now = timezone.now()
    starts = [
        when.starts_at
        for change in changes
        for when in (change.after, change.before)
        if when is not None and when.starts_at > now
    ]
    call = CallRequest(worker_id=opportunity.lead_worker_id, due_at=min(starts, default=None))
    for signup in opportunity.signups.filter(state__in=ACTIVE).select_related("person__profile"):
        message_create(
            call=call,
            recipient=signup.person,
            kind=Kind.SIGNUP_UPDATE,
            dedupe_key=f"sessions:changed:{signup.pk}:{fingerprint}",
            context={
                "signup": signup,
                "opportunity": opportunity,
                "event": "sessions_changed",
                "changes": changes,
            },
        )


def _check_sessions(opportunity: Opportunity, sessions: list[SessionData]) -> None:
    if not sessions:
        raise OpportunityError("Add at least one session.")
    latest_year = timezone.localdate().year + settings.SESSION_MAX_YEARS_AHEAD
    for session in sessions:
        if session.ends_at <= session.starts_at:
            raise OpportunityError("A session must end after it starts.")
        # The forms refuse such dates too; this holds for every other caller, because a
        # year-9999 session, once stored, would overflow every page that counts from it.
        if timezone.localtime(session.ends_at).year > latest_year:
            raise OpportunityError(f"Sessions can be planned up to the end of {latest_year}.")
        # Held here too, whoever calls: the link goes to people's phones, https only.
        if session.map_link and not session.map_link.lower().startswith("https://"):
            raise OpportunityError("A map link must start with https://.")
    first = min(session.starts_at for session in sessions)
    if opportunity.signup_deadline > first:
        raise OpportunityError("The sign-up deadline must be before the first session.")
