"""Every change to opportunities and sign-ups: the state machines, places and messages.

Locking scheme (docs/adr/0005-places-and-locking.md): every change that can move a place
locks the opportunity's row first (`SELECT ... FOR UPDATE`), then re-reads the sign-ups it
depends on, then writes and recounts. Places are never overbooked because the count is made
and the change written while the lock is held, and the database backs it with constraints
(one sign-up per person; a waiting-list position used once; places taken never above places)
and, on its own, with numbered places: each holder holds a number from 1 to places, unique
per opportunity, so even past the lock a sixth holder of five places is refused.
"""

import functools
import hashlib
import logging
import random
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role, has_role
from involvement.errors import ServiceError
from involvement.templatetags.nhs_dates import nhs_datetime
from notifications.kinds import Kind
from notifications.services import message_create
from opportunities.models import (
    PLACE_HOLDING_STATES,
    Attendance,
    Opportunity,
    OpportunityEvent,
    SelectionDraw,
    SelectionMethod,
    Session,
    SignUp,
    SignUpEvent,
)

logger = logging.getLogger(__name__)

State = SignUp.State
Status = Opportunity.Status

# The sign-up state machine, written down once. Keys: from-state; values: allowed to-states.
TRANSITIONS: dict[str, set[str]] = {
    State.APPLIED: {
        State.OFFERED,
        State.CONFIRMED,
        State.WAITLISTED,
        State.NOT_SELECTED,
        State.WITHDRAWN,
        State.CANCELLED,
    },
    State.WAITLISTED: {State.OFFERED, State.NOT_SELECTED, State.WITHDRAWN, State.CANCELLED},
    State.OFFERED: {State.CONFIRMED, State.DECLINED, State.WITHDRAWN, State.CANCELLED},
    State.CONFIRMED: {State.WITHDRAWN, State.CANCELLED, State.ATTENDED, State.NO_SHOW},
    State.NOT_SELECTED: {State.OFFERED},
    State.DECLINED: {State.APPLIED, State.CONFIRMED, State.WAITLISTED},
    State.WITHDRAWN: {State.APPLIED, State.CONFIRMED, State.WAITLISTED},
    State.CANCELLED: set(),
    State.ATTENDED: {State.NO_SHOW},
    State.NO_SHOW: {State.ATTENDED},
}
# States that hold one of the places (confirmed, offered, attended, did not attend): each
# holds a place number, as the database insists (models.PLACE_HOLDING_STATES).
HOLDS_PLACE = {State(state) for state in PLACE_HOLDING_STATES}
ACTIVE = {State.APPLIED, State.WAITLISTED, State.OFFERED, State.CONFIRMED}

OPPORTUNITY_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
    Status.PUBLISHED: {Status.CLOSED, Status.COMPLETED, Status.CANCELLED},
    Status.CLOSED: {Status.PUBLISHED, Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}


class OpportunityError(ServiceError):
    """A rule about opportunities, sign-ups or places refused the action (involvement.errors)."""


# --- helpers -----------------------------------------------------------------------------


def _lock(opportunity_id: int) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity_id)


# Conflicts the database refuses when two writers race past the lock: a place number or a
# waiting-list position already taken, a place beyond the last, a deadlock. Under the lock they
# never happen; if one does, the change is rolled back whole and made again from a fresh read,
# and after a few tries the person is told plainly rather than shown an error page.
CONFLICT_ATTEMPTS = 5
_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock


def _retry_on_conflict(service):
    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except (IntegrityError, OperationalError) as error:
                code = getattr(error.__cause__, "pgcode", None)
                if isinstance(error, OperationalError) and code not in _RETRYABLE_SQLSTATES:
                    raise
                # The constraint's name only: never the row, which may name a person.
                constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
                logger.warning(
                    "%s refused by the database (%s, attempt %s)",
                    service.__name__,
                    constraint or code,
                    attempt,
                )
                time.sleep(random.uniform(0.005, 0.02) * attempt)  # spread the retries out
        raise OpportunityError(
            "A lot of people are changing this at the same moment, so it could not be saved. "
            "Please try again."
        )

    return wrapper


def _free_place_number(signup: SignUp) -> int | None:
    """The lowest place number nobody on the opportunity holds, read under its lock; None
    when every place is held (the database then refuses the change)."""
    held = set(
        SignUp.objects.filter(opportunity_id=signup.opportunity_id, place_number__isnull=False).values_list(
            "place_number", flat=True
        )
    )
    places = Opportunity.objects.values_list("places", flat=True).get(pk=signup.opportunity_id)
    return next((number for number in range(1, places + 1) if number not in held), None)


def _move(signup: SignUp, to_state: str, *, actor: User | None, reason: str = "", **fields) -> None:
    if to_state not in TRANSITIONS[signup.state]:
        raise OpportunityError(
            f"This sign-up is {signup.get_state_display().lower()}, so it cannot be changed that way."
        )
    SignUpEvent.objects.create(
        signup=signup, from_state=signup.state, to_state=to_state, actor=actor, reason=reason
    )
    signup.state = to_state
    for name, value in fields.items():
        setattr(signup, name, value)
    # A place held keeps its number (offered, then confirmed, then attended); a new holder
    # takes the lowest free one; anyone else gives theirs up.
    if to_state not in HOLDS_PLACE:
        signup.place_number = None
    elif signup.place_number is None:
        signup.place_number = _free_place_number(signup)
    if to_state != State.WAITLISTED:
        signup.waitlist_position = None
    if to_state != State.OFFERED:
        signup.offer_expires_at = None
    signup.save()


def _recount(opportunity: Opportunity) -> None:
    """Store places taken and waiting-list length, counted while the row is locked."""
    counts = opportunity.signups.aggregate(
        taken=Count("pk", filter=Q(state__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(state=State.WAITLISTED)),
    )
    opportunity.places_taken, opportunity.waitlist_length = counts["taken"], counts["waiting"]
    opportunity.save(update_fields=["places_taken", "waitlist_length", "updated_at"])


def _taken(opportunity: Opportunity) -> int:
    return opportunity.signups.filter(state__in=HOLDS_PLACE).count()


def _next_position(opportunity: Opportunity) -> int:
    top = opportunity.signups.aggregate(top=Max("waitlist_position"))["top"]
    return (top or 0) + 1


def _notify(signup: SignUp, event: str, **context) -> None:
    kind = Kind.PLACE_OFFERED if event == "offered" else Kind.SIGNUP_UPDATE
    message_create(
        recipient=signup.person,
        kind=kind,
        dedupe_key=f"signup:{event}:{signup.pk}:{signup.events.count()}",
        context={"signup": signup, "opportunity": signup.opportunity, "event": event, **context},
    )


def _offer_hours() -> int:
    return settings.OFFER_ACCEPT_HOURS


def _fill_free_places(opportunity: Opportunity, *, actor: User | None) -> list[SignUp]:
    """Offer every free place to the people waiting, in waiting-list order. Called after
    anything that frees or adds places, so a free place never sits beside a waiting person
    (and a newcomer can never jump the queue)."""
    if opportunity.status not in {Status.PUBLISHED, Status.CLOSED}:
        return []
    free = opportunity.places - _taken(opportunity)
    if free <= 0:
        return []
    offered = list(
        opportunity.signups.select_for_update()
        .filter(state=State.WAITLISTED)
        .order_by("waitlist_position", "pk")
        .select_related("person", "opportunity")[:free]
    )
    expires = timezone.now() + timedelta(hours=_offer_hours())
    for signup in offered:
        _move(signup, State.OFFERED, actor=actor, reason="A place came free.", offer_expires_at=expires)
        _notify(signup, "offered")
    return offered


# --- opportunities -------------------------------------------------------------------------


@dataclass
class SessionData:
    starts_at: object
    ends_at: object
    area: str = ""
    location: str = ""
    joining_link: str = ""
    id: int | None = None  # an existing session being edited


def _sync_dates(opportunity: Opportunity) -> None:
    span = opportunity.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    opportunity.starts_at, opportunity.ends_at = span["first"], span["last"]
    opportunity.save(update_fields=["starts_at", "ends_at", "updated_at"])


# What people are told about when it changes: when and where a session is.
SESSION_DETAILS = ("starts_at", "ends_at", "area", "location", "joining_link")


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

    def fingerprint(self) -> tuple:
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
        if data.id in existing:
            before = _details(existing[data.id])
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
            session = Session.objects.create(opportunity=opportunity, **fields)
            changes.append(SessionChange(before=None, after=_details(session)))
    return changes


def _tell_about_session_changes(opportunity: Opportunity, changes: list[SessionChange], *, version) -> None:
    """Everyone with an active sign-up hears of a change of time or place, once. The key is
    built from the change itself and the row's version before it: a second save of the same
    form changes nothing and sends nothing, and moving a session back and then forth again
    is a new change, so it is told again."""
    fingerprint = hashlib.sha256(
        repr(
            (opportunity.pk, version.isoformat() if version else "", [c.fingerprint() for c in changes])
        ).encode()
    ).hexdigest()[:24]
    for signup in opportunity.signups.filter(state__in=ACTIVE).select_related("person__profile"):
        message_create(
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
    first = min(session.starts_at for session in sessions)
    if opportunity.signup_deadline > first:
        raise OpportunityError("The sign-up deadline must be before the first session.")


def opportunity_save(*, opportunity: Opportunity, sessions: list[SessionData], by: User) -> Opportunity:
    """Create or edit an opportunity and its sessions. Sessions are edited in place (their
    ids stay, so attendance and reminder keys survive an edit); a session with attendance
    recorded cannot be removed."""
    _check_sessions(opportunity, sessions)
    version = None
    with transaction.atomic():
        if opportunity.pk:
            locked = _lock(opportunity.pk)
            if locked.status in {Status.COMPLETED, Status.CANCELLED}:
                raise OpportunityError("A completed or cancelled opportunity cannot be changed.")
            # The row's last change, read under the lock: it tells one edit of the sessions
            # from a later edit that happens to make the same change (see the message key).
            version = locked.updated_at
            if opportunity.places < locked.places_taken:
                raise OpportunityError(
                    f"{locked.places_taken} places are already taken: there must be at least that many."
                )
            if opportunity.places < locked.places:
                _fit_place_numbers(locked, places=opportunity.places)
            # The form changes only its own fields; everything the services own comes from
            # the locked row, so an edit cannot undo a concurrent sign-up or selection.
            for name in SERVICE_OWNED_FIELDS:
                setattr(opportunity, name, getattr(locked, name))
            previous_lead = locked.lead_worker
            if opportunity.lead_worker_id != previous_lead.pk:
                _check_lead_change(locked, lead_worker=opportunity.lead_worker, by=by)
        else:
            opportunity.created_by = by
            # Whoever creates it leads it unless they choose another worker.
            previous_lead = None
            _check_lead_change(None, lead_worker=opportunity.lead_worker, by=by)
        opportunity.save()
        if opportunity.lead_worker_id != (previous_lead.pk if previous_lead else by.pk):
            _record_lead_change(opportunity, previous_lead=previous_lead, by=by)
        running = opportunity.status in {Status.PUBLISHED, Status.CLOSED}
        changes = _save_sessions(opportunity, sessions, running=running)
        _sync_dates(opportunity)
        if running and changes:
            _tell_about_session_changes(opportunity, changes, version=version)
        if opportunity.status != Status.DRAFT:
            _fill_free_places(opportunity, actor=by)
            _recount(opportunity)
    return opportunity


def _check_lead_change(current: Opportunity | None, *, lead_worker: User, by: User) -> None:
    """Being lead opens the participants' notes, so only the lead worker (handing over) or a
    manager may change who leads an existing opportunity; the new lead must be a worker."""
    if current is not None and not by.has_perm("opportunities.change_lead", current):
        raise OpportunityError(
            "Only the lead worker or a manager can change the lead worker.", field="lead_worker"
        )
    if not (lead_worker.is_active and has_role(lead_worker, Role.WORKER)):
        raise OpportunityError("Choose an involvement worker to lead this opportunity.", field="lead_worker")


def _name(user: User | None) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or user.get_full_name() or user.email) if user else ""


def _record_lead_change(
    opportunity: Opportunity, *, previous_lead: User | None, by: User, reason: str = ""
) -> OpportunityEvent:
    """Write the change to the opportunity's history and tell the old and the new lead."""
    event = OpportunityEvent.objects.create(
        opportunity=opportunity,
        kind=OpportunityEvent.Kind.LEAD_CHANGED,
        actor=by,
        previous_lead=previous_lead,
        new_lead=opportunity.lead_worker,
        reason=reason,
    )
    told = [(opportunity.lead_worker, "new")] + ([(previous_lead, "previous")] if previous_lead else [])
    for recipient, role in told:
        message_create(
            recipient=recipient,
            kind=Kind.LEAD_WORKER_CHANGED,
            # One change, one message to each of the two: the event makes the key unique.
            dedupe_key=f"opportunity:lead:{opportunity.pk}:{event.pk}:{role}",
            context={
                "opportunity": opportunity,
                "is_new_lead": role == "new",
                "by_you": recipient.pk == by.pk,
                "actor_name": _name(by),
                "previous_name": _name(previous_lead),
                "new_name": _name(opportunity.lead_worker),
                "reason": reason,
            },
        )
    return event


def opportunity_change_lead(
    *, opportunity: Opportunity, lead_worker: User, by: User, reason: str = ""
) -> OpportunityEvent:
    """Hand an opportunity to another lead worker: by its lead worker, or by a manager."""
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock(opportunity.pk)
        if lead_worker.pk == locked.lead_worker_id:
            raise OpportunityError(
                f"{_name(lead_worker)} already leads this opportunity: choose another worker.",
                field="lead_worker",
            )
        _check_lead_change(locked, lead_worker=lead_worker, by=by)
        previous_lead = locked.lead_worker
        locked.lead_worker = lead_worker
        locked.save(update_fields=["lead_worker", "updated_at"])
        return _record_lead_change(locked, previous_lead=previous_lead, by=by, reason=reason)


def _fit_place_numbers(opportunity: Opportunity, *, places: int) -> None:
    """Before places go down, move anyone holding a number above the new count to a free one
    below it: the database refuses fewer places than a number held. The numbers mean nothing
    to people, so moving one changes nothing they see. Called under the lock, with no more
    places held than `places`."""
    held = dict(
        opportunity.signups.filter(place_number__isnull=False).values_list("pk", "place_number")
    )
    free = iter(sorted(set(range(1, places + 1)) - set(held.values())))
    for signup_id, number in sorted(held.items(), key=lambda item: item[1]):
        if number > places:
            SignUp.objects.filter(pk=signup_id).update(place_number=next(free))


# Fields only services change; an edit form never overwrites them.
SERVICE_OWNED_FIELDS = [
    "status",
    "places_taken",
    "waitlist_length",
    "selection_done_at",
    "published_at",
    "cancel_reason",
    "created_by_id",
    "created_at",
]


def _set_status(opportunity: Opportunity, to_status: str) -> None:
    if to_status not in OPPORTUNITY_TRANSITIONS[opportunity.status]:
        raise OpportunityError(
            f"A {opportunity.get_status_display().lower()} opportunity cannot be made {to_status}."
        )
    opportunity.status = to_status
    if to_status == Status.PUBLISHED and opportunity.published_at is None:
        opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])


def opportunity_publish(*, opportunity: Opportunity, by: User) -> None:
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        if not opportunity.sessions.exists():
            raise OpportunityError("Add at least one session before publishing.")
        if opportunity.starts_at and opportunity.starts_at <= timezone.now():
            raise OpportunityError(
                "The first session has already started: change the dates before publishing."
            )
        if opportunity.signup_deadline <= timezone.now():
            raise OpportunityError("The sign-up deadline has passed: change it before publishing.")
        _set_status(opportunity, Status.PUBLISHED)


def opportunity_close(*, opportunity: Opportunity, by: User) -> None:
    with transaction.atomic():
        _set_status(_lock(opportunity.pk), Status.CLOSED)


def opportunity_complete_refusal(*, opportunity: Opportunity, now=None) -> str:
    """Why the opportunity cannot be marked completed yet, or "" when it can. Shared by the
    service and the confirmation page, so the page never offers what the service refuses."""
    now = now or timezone.now()
    if Status.COMPLETED not in OPPORTUNITY_TRANSITIONS[opportunity.status]:
        return f"A {opportunity.get_status_display().lower()} opportunity cannot be marked completed."
    if opportunity.ends_at is None:
        return "Add its sessions first: an opportunity is completed after its last session has ended."
    if opportunity.ends_at > now:
        # Completing early would tell everyone still waiting that it has finished, and open
        # the outcome and check-ins before anything has happened.
        return (
            "It can be marked completed only after its last session has ended, "
            f"on {nhs_datetime(opportunity.ends_at)}."
        )
    return ""


def opportunity_complete(*, opportunity: Opportunity, by: User) -> None:
    """Completed: nobody else can join, and anyone still waiting is told kindly."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        refusal = opportunity_complete_refusal(opportunity=opportunity)
        if refusal:
            raise OpportunityError(refusal)
        _set_status(opportunity, Status.COMPLETED)
        for signup in opportunity.signups.select_related("person", "opportunity").filter(
            state__in=[State.APPLIED, State.WAITLISTED, State.OFFERED]
        ):
            to_state = State.DECLINED if signup.state == State.OFFERED else State.NOT_SELECTED
            _move(signup, to_state, actor=by, reason="The activity has finished.")
            _notify(signup, "not_selected")
        _recount(opportunity)


def opportunity_cancel(*, opportunity: Opportunity, by: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise OpportunityError("Give a reason: it is sent to everyone who signed up.")
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        _set_status(opportunity, Status.CANCELLED)
        opportunity.cancel_reason = reason
        opportunity.save(update_fields=["cancel_reason", "updated_at"])
        for signup in opportunity.signups.select_related("person").filter(state__in=ACTIVE):
            _move(signup, State.CANCELLED, actor=by, reason=reason)
            message_create(
                recipient=signup.person,
                kind=Kind.OPPORTUNITY_CANCELLED,
                dedupe_key=f"opportunity:cancelled:{opportunity.pk}:{signup.pk}",
                context={"opportunity": opportunity, "reason": reason},
            )
        _recount(opportunity)


def opportunity_duplicate(*, opportunity: Opportunity, by: User) -> Opportunity:
    """A draft copy to post a similar activity quickly; dates are left for the worker."""
    with transaction.atomic():
        copy = Opportunity.objects.get(pk=opportunity.pk)
        sessions = list(copy.sessions.all())
        copy.pk = None
        copy.title = f"Copy of {opportunity.title}"[:150]
        copy.status = Status.DRAFT
        copy.places_taken = copy.waitlist_length = 0
        copy.published_at = copy.selection_done_at = None
        copy.cancel_reason = ""
        copy.created_by = by
        copy.created_at = timezone.now()
        if has_role(by, Role.WORKER):
            # A copy is a new opportunity: whoever makes it leads it, as when creating one.
            copy.lead_worker = by
        copy._state.adding = True
        copy.save()
        Session.objects.bulk_create(
            Session(
                opportunity=copy,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                area=s.area,
                location=s.location,
                joining_link=s.joining_link,
            )
            for s in sessions
        )
        _sync_dates(copy)
    return copy


# --- sign-ups: the representative's actions ------------------------------------------------


@_retry_on_conflict
def signup_create(*, opportunity: Opportunity, person: User, note: str = "") -> SignUp:
    """Sign a person up. First come: confirmed while places last, then the waiting list.
    Fair share: applied, until the selection after the deadline."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        if opportunity.status != Status.PUBLISHED:
            raise OpportunityError("This opportunity is not open for sign-ups.")
        if timezone.now() >= opportunity.signup_deadline:
            raise OpportunityError("The sign-up deadline has passed.")
        signup = SignUp.objects.select_for_update().filter(opportunity=opportunity, person=person).first()
        if signup and signup.state not in {State.WITHDRAWN, State.DECLINED}:
            raise OpportunityError("You have already signed up for this.")
        if opportunity.selection_method == SelectionMethod.FAIR_SHARE:
            to_state, extra = State.APPLIED, {}
        elif (
            _taken(opportunity) < opportunity.places
            and not opportunity.signups.filter(state=State.WAITLISTED).exists()
        ):
            to_state, extra = State.CONFIRMED, {}
        else:
            to_state, extra = State.WAITLISTED, {"waitlist_position": _next_position(opportunity)}
        if signup is None:
            signup = SignUp(opportunity=opportunity, person=person, state=to_state, note=note, **extra)
            if to_state in HOLDS_PLACE:
                signup.place_number = _free_place_number(signup)
            signup.save(force_insert=True)
            SignUpEvent.objects.create(signup=signup, to_state=to_state, actor=person)
        else:
            _move(signup, to_state, actor=person, reason="Signed up again.", note=note, **extra)
        _recount(opportunity)
        _notify(signup, to_state)
    return signup


def _lock_signup(signup: SignUp) -> tuple[Opportunity, SignUp]:
    """Lock the opportunity first (always in this order, so two services never deadlock),
    then re-read the sign-up under the lock: its state may have changed since it was read."""
    opportunity = _lock(signup.opportunity_id)
    signup = SignUp.objects.select_for_update().select_related("person", "opportunity").get(pk=signup.pk)
    return opportunity, signup


def _own(signup: SignUp, person: User, opportunity: Opportunity) -> None:
    if signup.person_id != person.pk:
        raise OpportunityError("That is not your sign-up.")


# A representative's own actions on their sign-up, by the name used in URLs and pages.
WITHDRAW, ACCEPT, DECLINE = "withdraw", "accept", "decline"


def signup_action_refusal(*, signup: SignUp, opportunity: Opportunity, action: str, now=None) -> str:
    """Why the person cannot take `action` on their sign-up now, or "" when they can. The
    services and the confirmation pages both ask this, so a page never offers what the
    service would refuse."""
    if opportunity.status not in {Status.PUBLISHED, Status.CLOSED}:
        return "This activity has finished or been cancelled, so the sign-up cannot change now."
    if action == WITHDRAW and signup.state not in ACTIVE:
        return "There is nothing to withdraw from."
    if action in {ACCEPT, DECLINE} and signup.state != State.OFFERED:
        return f"There is no place offered to {action}."
    if action == ACCEPT and signup.offer_expires_at and signup.offer_expires_at <= (now or timezone.now()):
        return "Sorry, this offer has expired."
    return ""


def _check_action(signup: SignUp, person: User, opportunity: Opportunity, action: str) -> None:
    _own(signup, person, opportunity)
    refusal = signup_action_refusal(signup=signup, opportunity=opportunity, action=action)
    if refusal:
        raise OpportunityError(refusal)


@_retry_on_conflict
def signup_withdraw(*, signup: SignUp, person: User) -> SignUp:
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        _check_action(signup, person, opportunity, WITHDRAW)
        held_place = signup.state in HOLDS_PLACE
        _move(signup, State.WITHDRAWN, actor=person)
        _notify(signup, "withdrawn")
        if held_place:
            _fill_free_places(opportunity, actor=None)
        _recount(opportunity)
    return signup


def signup_accept(*, signup: SignUp, person: User) -> SignUp:
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        _check_action(signup, person, opportunity, ACCEPT)
        _move(signup, State.CONFIRMED, actor=person)
        _notify(signup, "confirmed")
        _recount(opportunity)
    return signup


@_retry_on_conflict
def signup_decline(*, signup: SignUp, person: User) -> SignUp:
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        _check_action(signup, person, opportunity, DECLINE)
        _move(signup, State.DECLINED, actor=person)
        _fill_free_places(opportunity, actor=None)
        _recount(opportunity)
    return signup


# --- sign-ups: the worker's actions -------------------------------------------------------


# The reason given for an offer by hand goes into the sign-up's history after a short
# preamble; both must fit SignUpEvent.reason (300 characters).
OFFER_REASON_MAX_LENGTH = 240


@_retry_on_conflict
def signup_offer_by_hand(*, signup: SignUp, by: User, reason: str = "") -> SignUp:
    """Offer a place to one person out of turn. On a fair-share opportunity that passes over
    people with a better claim to it (F4), so it needs a reason, kept in the history."""
    reason = reason.strip()
    if len(reason) > OFFER_REASON_MAX_LENGTH:
        raise OpportunityError(
            f"The reason must be {OFFER_REASON_MAX_LENGTH} characters or fewer.", field="reason"
        )
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        if opportunity.status not in {Status.PUBLISHED, Status.CLOSED}:
            raise OpportunityError("Places can only be offered on a published or closed opportunity.")
        if State.OFFERED not in TRANSITIONS[signup.state]:
            # Before the count of places: a person who withdrew or was cancelled is never
            # offered a place by hand, and the worker is told why rather than "full".
            raise OpportunityError(
                f"This sign-up is {signup.get_state_display().lower()}, so a place cannot be offered to it."
            )
        if opportunity.selection_method == SelectionMethod.FAIR_SHARE and not reason:
            raise OpportunityError(
                "Give a reason for offering this place by hand: it is kept in the sign-up's history.",
                field="reason",
            )
        if _taken(opportunity) >= opportunity.places:
            raise OpportunityError("Every place is taken. Add places first, or wait for someone to withdraw.")
        passed_over = len(offer_passes_over(signup=signup))
        preamble = "Offered by hand"
        if passed_over:
            preamble += f", ahead of {passed_over} {'person' if passed_over == 1 else 'people'} ranked higher"
        _move(
            signup,
            State.OFFERED,
            actor=by,
            reason=f"{preamble}: {reason}" if reason else f"{preamble}.",
            offer_expires_at=timezone.now() + timedelta(hours=_offer_hours()),
        )
        _notify(signup, "offered")
        _recount(opportunity)
    return signup


@_retry_on_conflict
def signup_cancel(*, signup: SignUp, by: User, reason: str) -> SignUp:
    reason = reason.strip()
    if not reason:
        raise OpportunityError("Give a reason for cancelling this place.")
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        held_place = signup.state in HOLDS_PLACE
        _move(signup, State.CANCELLED, actor=by, reason=reason)
        _notify(signup, "cancelled", reason=reason)
        if held_place:
            _fill_free_places(opportunity, actor=by)
        _recount(opportunity)
    return signup


def attendance_record(*, signup: SignUp, session: Session, attended: bool, by: User) -> SignUp:
    """Record one session; the sign-up becomes attended if any session was attended, and
    did-not-attend once every session is recorded as missed."""
    if session.opportunity_id != signup.opportunity_id:
        raise OpportunityError("That session belongs to another opportunity.")
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        if signup.state not in {State.CONFIRMED, State.ATTENDED, State.NO_SHOW}:
            raise OpportunityError("Attendance can only be recorded for people with a confirmed place.")
        # Re-read under the opportunity's lock: an edit may just have moved the session.
        session = Session.objects.get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise OpportunityError(
                "Attendance can be recorded only once the session has started, "
                f"on {nhs_datetime(session.starts_at)}."
            )
        Attendance.objects.update_or_create(
            signup=signup, session=session, defaults={"attended": attended, "recorded_by": by}
        )
        records = dict(signup.attendance.values_list("session_id", "attended"))
        session_count = opportunity.sessions.count()
        if any(records.values()):
            target = State.ATTENDED
        elif len(records) == session_count:
            target = State.NO_SHOW
        else:
            target = signup.state
        if target != signup.state and target in TRANSITIONS[signup.state]:
            _move(signup, target, actor=by, reason="Attendance recorded.")
        _recount(opportunity)
    return signup


# --- fair-share selection ------------------------------------------------------------------


@dataclass
class RankedApplicant:
    signup_id: int
    person_name: str
    rank: int
    reason: str
    activities_last_year: int
    never_involved: bool
    not_selected_last_time: bool
    draw: float


def _involvement_history(people: Iterable[int], *, exclude_opportunity: int) -> dict[int, dict]:
    """For each person: ever attended, attended in the last 12 months, and whether their
    latest finished fair-share application was unsuccessful. One query."""
    year_ago = timezone.now() - timedelta(days=365)
    rows = (
        SignUp.objects.filter(person_id__in=list(people))
        .exclude(opportunity_id=exclude_opportunity)
        .values("person_id")
        .annotate(
            ever=Count("pk", filter=Q(state=State.ATTENDED)),
            last_year=Count("pk", filter=Q(state=State.ATTENDED, opportunity__ends_at__gte=year_ago)),
            not_selected=Count("pk", filter=Q(state=State.NOT_SELECTED, updated_at__gte=year_ago)),
        )
    )
    return {row["person_id"]: row for row in rows}


def selection_rank(*, opportunity: Opportunity, seed: str) -> list[RankedApplicant]:
    """Priority order: never involved before; then fewest activities in the last 12 months;
    then anyone not selected for an activity in the last year (priority next time); then a
    random draw from a recorded seed, so the same seed always gives the same order."""
    applicants = list(opportunity.signups.filter(state=State.APPLIED).select_related("person__profile"))
    history = _involvement_history((a.person_id for a in applicants), exclude_opportunity=opportunity.pk)
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16))
    ranked = []
    for signup in sorted(applicants, key=lambda s: s.pk):
        row = history.get(signup.person_id, {"ever": 0, "last_year": 0, "not_selected": 0})
        ranked.append(
            RankedApplicant(
                signup_id=signup.pk,
                person_name=getattr(signup.person.profile, "display_name", "") or signup.person.email,
                rank=0,
                reason="",
                activities_last_year=row["last_year"],
                never_involved=row["ever"] == 0,
                not_selected_last_time=row["not_selected"] > 0,
                draw=rng.random(),
            )
        )
    ranked.sort(
        key=lambda r: (not r.never_involved, r.activities_last_year, not r.not_selected_last_time, r.draw)
    )
    for index, applicant in enumerate(ranked, start=1):
        applicant.rank = index
        applicant.reason = f"{_priority_reason(applicant)}; random draw {applicant.draw:.4f}"
    return ranked


def _priority(applicant: RankedApplicant) -> tuple:
    """Fair-share priority without the random draw: lower comes first."""
    return (
        not applicant.never_involved,
        applicant.activities_last_year,
        not applicant.not_selected_last_time,
    )


def _priority_reason(applicant: RankedApplicant) -> str:
    if applicant.never_involved:
        why = "never involved before"
    else:
        count = applicant.activities_last_year
        why = f"{count} activit{'y' if count == 1 else 'ies'} in the last 12 months"
    if applicant.not_selected_last_time:
        why += "; not selected last time"
    return why


@dataclass
class PassedOver:
    signup_id: int
    person_name: str
    why: str


def offer_passes_over(*, signup: SignUp) -> list[PassedOver]:
    """Who has a better claim to a place than `signup`, so would be passed over if it were
    offered the place by hand: people ahead on the waiting list; for an application before
    the selection, applicants with a higher fair-share priority (ties are left to the
    draw, which has not happened); for someone not selected, everyone still waiting."""
    if signup.state not in {State.WAITLISTED, State.APPLIED, State.NOT_SELECTED}:
        return []
    waiting = list(
        signup.opportunity.signups.filter(state=State.WAITLISTED)
        .select_related("person__profile")
        .order_by("waitlist_position", "pk")
    )
    if signup.state == State.WAITLISTED:
        waiting = [s for s in waiting if (s.waitlist_position or 0) < (signup.waitlist_position or 0)]
    passed = [
        PassedOver(s.pk, _applicant_name(s), f"number {number} on the waiting list")
        for number, s in enumerate(waiting, start=1)
        if signup.state != State.APPLIED
    ]
    if signup.state == State.WAITLISTED:
        return passed
    ranked = selection_rank(opportunity=signup.opportunity, seed="")
    if signup.state == State.APPLIED:
        mine = next((r for r in ranked if r.signup_id == signup.pk), None)
        ranked = [r for r in ranked if mine is not None and _priority(r) < _priority(mine)]
    return passed + [
        PassedOver(r.signup_id, r.person_name, f"applied: {_priority_reason(r)}") for r in ranked
    ]


def _applicant_name(signup: SignUp) -> str:
    return getattr(signup.person.profile, "display_name", "") or signup.person.email


def selection_preview(*, opportunity: Opportunity, by: User) -> SelectionDraw:
    """Record a seed and show the ranking it gives, before anything is changed."""
    seed = secrets.token_hex(16)
    ranked = selection_rank(opportunity=opportunity, seed=seed)
    return SelectionDraw.objects.create(
        opportunity=opportunity, seed=seed, ranking=[vars(r) for r in ranked], run_by=by
    )


def selection_run(*, opportunity: Opportunity, draw: SelectionDraw, by: User) -> list[SignUp]:
    """Offer the places in priority order and put everyone else on the waiting list in the
    same order. Safe to run twice: a second run finds nobody still applied."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        if opportunity.selection_method != SelectionMethod.FAIR_SHARE:
            raise OpportunityError("Only fair-share opportunities have a selection.")
        if draw.opportunity_id != opportunity.pk:
            raise OpportunityError("That selection belongs to another opportunity.")
        if opportunity.status not in {Status.PUBLISHED, Status.CLOSED}:
            raise OpportunityError("Selection runs on a published or closed opportunity.")
        if timezone.now() < opportunity.signup_deadline:
            # Everyone may apply until the deadline (F4): offering places before it would
            # shut out whoever applies later. A preview before it is only provisional.
            raise OpportunityError(
                "Places can be offered only after the sign-up deadline, "
                f"{nhs_datetime(opportunity.signup_deadline)}. Until then the ranking is provisional."
            )
        ranked = selection_rank(opportunity=opportunity, seed=draw.seed)
        free = opportunity.places - _taken(opportunity)
        signups = {
            s.pk: s
            for s in opportunity.signups.select_for_update()
            .select_related("person", "opportunity")
            .filter(state=State.APPLIED)
        }
        position = _next_position(opportunity)
        offered = []
        expires = timezone.now() + timedelta(hours=_offer_hours())
        for applicant in ranked:
            signup = signups.get(applicant.signup_id)
            if signup is None:
                continue
            signup.selection_rank, signup.selection_reason = applicant.rank, applicant.reason[:300]
            if free > 0:
                _move(
                    signup,
                    State.OFFERED,
                    actor=by,
                    reason=f"Selected: {applicant.reason}"[:300],
                    offer_expires_at=expires,
                )
                _notify(signup, "offered")
                offered.append(signup)
                free -= 1
            else:
                _move(
                    signup,
                    State.WAITLISTED,
                    actor=by,
                    reason=f"Waiting list: {applicant.reason}"[:300],
                    waitlist_position=position,
                )
                position += 1
                _notify(signup, "waitlisted")
        draw.ranking = [vars(r) for r in ranked]
        draw.confirmed_at = timezone.now()
        draw.save(update_fields=["ranking", "confirmed_at"])
        opportunity.selection_done_at = timezone.now()
        opportunity.save(update_fields=["selection_done_at", "updated_at"])
        _recount(opportunity)
    return offered


# --- periodic jobs -------------------------------------------------------------------------


def offers_expire(*, now=None) -> int:
    """Offers whose accept-by time has passed lapse, and the place goes to the next person.
    Idempotent and safe to run concurrently: each offer is re-checked under the lock."""
    now = now or timezone.now()
    lapsed = 0
    due = list(
        SignUp.objects.filter(state=State.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", "opportunity_id"
        )
    )
    for signup_id, opportunity_id in due:
        with transaction.atomic():
            opportunity = _lock(opportunity_id)
            signup = (
                SignUp.objects.select_for_update().select_related("person", "opportunity").get(pk=signup_id)
            )
            if (
                signup.state != State.OFFERED
                or signup.offer_expires_at is None
                or signup.offer_expires_at > now
            ):
                continue  # accepted, declined or already lapsed by another run
            _move(signup, State.DECLINED, actor=None, reason="The offer lapsed.")
            _notify(signup, "offer_lapsed")
            _fill_free_places(opportunity, actor=None)
            _recount(opportunity)
            lapsed += 1
    return lapsed


def selections_due(*, now=None) -> int:
    """Fair-share opportunities whose deadline has passed are selected automatically if the
    lead worker has not run the selection by hand. Idempotent."""
    now = now or timezone.now()
    done = 0
    for opportunity in Opportunity.objects.filter(
        selection_method=SelectionMethod.FAIR_SHARE,
        status__in=[Status.PUBLISHED, Status.CLOSED],
        signup_deadline__lte=now,
        selection_done_at__isnull=True,
    ):
        draw = SelectionDraw.objects.create(opportunity=opportunity, seed=secrets.token_hex(16))
        selection_run(opportunity=opportunity, draw=draw, by=None)
        done += 1
    return done


def reminders_send(*, now=None) -> int:
    """Reminders before each session to confirmed people, once per lead time (48 and 2 hours
    by default). Each lead time covers the sessions between it and the next shorter one, so
    somebody who confirms an hour before gets the 2-hour reminder only. The message key makes
    each reminder once only, whatever the retries."""
    from notifications.selectors import existing_dedupe_keys

    now = now or timezone.now()
    lead_times = sorted(settings.REMINDER_HOURS, reverse=True)
    created = 0
    for index, hours in enumerate(lead_times):
        shorter = lead_times[index + 1] if index + 1 < len(lead_times) else 0
        signups = list(
            SignUp.objects.filter(
                state=State.CONFIRMED,
                opportunity__status=Status.PUBLISHED,
                opportunity__sessions__starts_at__gt=now + timedelta(hours=shorter),
                opportunity__sessions__starts_at__lte=now + timedelta(hours=hours),
            )
            .select_related("person__profile", "opportunity")
            .distinct()
        )
        sessions = Session.objects.filter(
            opportunity_id__in={s.opportunity_id for s in signups},
            starts_at__gt=now + timedelta(hours=shorter),
            starts_at__lte=now + timedelta(hours=hours),
        )
        by_opportunity: dict[int, list[Session]] = {}
        for session in sessions:
            by_opportunity.setdefault(session.opportunity_id, []).append(session)
        # The key carries the session's start time: a session moved after its reminder
        # went gets a reminder for the new time, and an unchanged one never gets two.
        wanted = {
            f"reminder:{hours}h:{signup.pk}:{session.pk}:{session.starts_at:%Y%m%dT%H%M%SZ}": (
                signup,
                session,
            )
            for signup in signups
            for session in by_opportunity.get(signup.opportunity_id, [])
        }
        done = existing_dedupe_keys(keys=list(wanted))
        for key, (signup, session) in wanted.items():
            if key in done:
                continue
            with transaction.atomic():
                message = message_create(
                    recipient=signup.person,
                    kind=Kind.REMINDER,
                    dedupe_key=key,
                    context={"session": session, "opportunity": signup.opportunity, "hours": hours},
                )
            created += message is not None
    return created
