"""Sign-ups: a representative signs up, withdraws, accepts or declines; a worker offers a
place by hand, cancels one, and records attendance."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import profile_for_user
from involvement.templatetags.nhs_dates import nhs_datetime
from opportunities.models import (
    Attendance,
    AttendanceMode,
    Format,
    Opportunity,
    SelectionMethod,
    Session,
    SignUp,
    SignUpEvent,
)
from opportunities.services.places import (
    _fill_free_places,
    _free_place_number,
    _lock,
    _lock_signup,
    _move,
    _notify,
    _offer_hours,
    _recount,
    _retry_on_conflict,
    _standing,
    _taken,
)
from opportunities.services.selection import offer_passes_over
from opportunities.services.states import (
    ACCEPT,
    DECLINE,
    HOLDS_PLACE,
    RUNNING,
    TAKES_ATTENDANCE,
    TRANSITIONS,
    WITHDRAW,
    OpportunityError,
    State,
    signup_action_refusal,
    signup_create_refusal,
)
from opportunities.services.training import check_training


def _acting(person: User, by: User | None) -> tuple[User, User | None]:
    """Who acts and for whom: the person themselves, or a worker on their behalf (assisted
    digital, docs/adr/0013-assisted-digital.md), who must be allowed to act for them."""
    if by is None or by.pk == person.pk:
        return person, None
    if not by.has_perm("opportunities.act_for_person", person):
        raise OpportunityError("Only a worker who looks after this person can act for them.")
    return by, person


@_retry_on_conflict
def signup_create(
    *,
    opportunity: Opportunity,
    person: User,
    note: str = "",
    attendance_mode: str = "",
    by: User | None = None,
) -> SignUp:
    """Sign a person up. First come: confirmed while places last, then the waiting list.
    Fair share: applied, until the selection after the deadline. `attendance_mode` (in person
    or online) is kept for a hybrid opportunity, where the sign-up form asks it; any other
    says by its format how people join. `by`: a worker signing them up on their behalf,
    recorded as such."""
    actor, on_behalf_of = _acting(person, by)
    if attendance_mode and attendance_mode not in AttendanceMode.values:
        raise OpportunityError("Choose in person or online", field="attendance_mode")
    if opportunity.format != Format.HYBRID:
        attendance_mode = ""
    # The person's message preferences, read before the lock rather than under it (the
    # message is written there); they are theirs, not the opportunity's, so no lock covers them.
    person.profile = profile_for_user(user=person)
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        signup = SignUp.objects.select_for_update().filter(opportunity=opportunity, person=person).first()
        refusal = signup_create_refusal(opportunity=opportunity, signup=signup)
        if refusal:
            raise OpportunityError(refusal)
        check_training(opportunity=opportunity, person=person, whose=_whose(on_behalf_of))
        extra: dict[str, int]  # fields for the new state: the waiting-list position
        if opportunity.selection_method == SelectionMethod.FAIR_SHARE:
            to_state, extra = State.APPLIED, {}
        else:
            # Counted under the lock, in one query: a free place goes to a newcomer only
            # while nobody waits (who would otherwise be jumped).
            standing = _standing(opportunity)
            if standing.taken < opportunity.places and not standing.waiting:
                to_state, extra = State.CONFIRMED, {}
            else:
                to_state, extra = State.WAITLISTED, {"waitlist_position": standing.next_position}
        if signup is None:
            signup = SignUp(
                opportunity=opportunity,
                person=person,
                state=to_state,
                note=note,
                attendance_mode=attendance_mode,
                **extra,
            )
            if to_state in HOLDS_PLACE:
                signup.place_number = _free_place_number(signup, places=opportunity.places)
            signup.save(force_insert=True)
            SignUpEvent.objects.create(
                signup=signup, to_state=to_state, actor=actor, on_behalf_of=on_behalf_of
            )
            events: int | None = 1  # a new sign-up's history is the entry just written
        else:
            _move(
                signup,
                to_state,
                actor=actor,
                on_behalf_of=on_behalf_of,
                reason="Signed up again.",
                note=note,
                attendance_mode=attendance_mode,
                **extra,
            )
            events = None  # counted by _notify
        _recount(opportunity)
        _notify(signup, to_state, events=events)
    return signup


def _whose(on_behalf_of: User | None) -> str:
    # The person reads "You need..."; a worker acting for them, "This person needs...".
    return "You" if on_behalf_of is None else "This person"


def _own(signup: SignUp, person: User) -> None:
    if signup.person_id != person.pk:
        raise OpportunityError("That is not your sign-up.")


def _check_action(signup: SignUp, person: User, opportunity: Opportunity, action: str) -> None:
    _own(signup, person)
    refusal = signup_action_refusal(signup=signup, opportunity=opportunity, action=action)
    if refusal:
        raise OpportunityError(refusal)


@_retry_on_conflict
def signup_withdraw(*, signup: SignUp, person: User, by: User | None = None) -> SignUp:
    actor, on_behalf_of = _acting(person, by)
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        _check_action(signup, person, opportunity, WITHDRAW)
        held_place = signup.state in HOLDS_PLACE
        _move(signup, State.WITHDRAWN, actor=actor, on_behalf_of=on_behalf_of)
        _notify(signup, "withdrawn")
        if held_place:
            _fill_free_places(opportunity, actor=None)
        _recount(opportunity)
    return signup


def signup_accept(*, signup: SignUp, person: User, by: User | None = None) -> SignUp:
    actor, on_behalf_of = _acting(person, by)
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        _check_action(signup, person, opportunity, ACCEPT)
        # Training may have run out since the place was offered from the waiting list.
        check_training(opportunity=opportunity, person=person, whose=_whose(on_behalf_of))
        _move(signup, State.CONFIRMED, actor=actor, on_behalf_of=on_behalf_of)
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
        if opportunity.status not in RUNNING:
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
        check_training(opportunity=opportunity, person=signup.person, whose="This person")
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
    """Record one session for one person; the sign-up becomes attended if any session was
    attended, and did-not-attend once every session is recorded as missed."""
    if session.opportunity_id != signup.opportunity_id:
        raise OpportunityError("That session belongs to another opportunity.")
    with transaction.atomic():
        opportunity, signup = _lock_signup(signup)
        if signup.state not in TAKES_ATTENDANCE:
            raise OpportunityError("Attendance can only be recorded for people with a confirmed place.")
        # Re-read under the opportunity's lock: an edit may just have moved the session.
        session = _started(Session.objects.get(pk=session.pk))
        _record_attendance(opportunity, signup, session, attended=attended, by=by)
        _recount(opportunity)
    return signup


def attendance_record_session(
    *, opportunity: Opportunity, session_id: int | None, attended: dict[int, bool], by: User
) -> int:
    """Record one session for several people at once, as the participants page sends it:
    `attended` maps sign-up ids to True (attended) or False (did not attend); anyone not in
    it, or without a confirmed place, is left as they were. All of it is recorded, or none.
    Returns how many people were recorded."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        # Read under the lock: an edit may just have moved or removed the session.
        session = opportunity.sessions.filter(pk=session_id).first() if session_id is not None else None
        if session is None:
            raise OpportunityError("Choose a session to record attendance for.")
        signups = list(
            opportunity.signups.select_for_update()
            .filter(state__in=TAKES_ATTENDANCE, pk__in=list(attended))
            .order_by("pk")
        )
        if not signups:
            raise OpportunityError("Choose attended or did not attend for at least one person.")
        _started(session)
        for signup in signups:
            _record_attendance(opportunity, signup, session, attended=attended[signup.pk], by=by)
        _recount(opportunity)
    return len(signups)


def _started(session: Session) -> Session:
    if session.starts_at > timezone.now():
        raise OpportunityError(
            "Attendance can be recorded only once the session has started, "
            f"on {nhs_datetime(session.starts_at)}."
        )
    return session


def _record_attendance(
    opportunity: Opportunity, signup: SignUp, session: Session, *, attended: bool, by: User
) -> None:
    """Under the opportunity's lock: write the session's record and move the sign-up to
    attended or did-not-attend as its records now say."""
    Attendance.objects.update_or_create(
        signup=signup, session=session, defaults={"attended": attended, "recorded_by": by}
    )
    records = dict(signup.attendance.values_list("session_id", "attended"))
    target: str  # the sign-up's state once this record counts
    if any(records.values()):
        target = State.ATTENDED
    elif len(records) == opportunity.sessions.count():
        target = State.NO_SHOW
    else:
        target = signup.state
    if target != signup.state and target in TRANSITIONS[signup.state]:
        _move(signup, target, actor=by, reason="Attendance recorded.")
