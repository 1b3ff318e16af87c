"""What a person may do and see in the current state, computed once for the templates.

Everything here is read from the services' own tables and rules (opportunities.services.
states): templates ask these objects and never list states, and views never compare them,
so a page never offers what a service would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.selectors import names_by_person_id
from opportunities.calendar_selectors import PUBLIC_STATUSES as CALENDAR_STATUSES
from opportunities.models import (
    PARTICIPANT_GROUP_STATES,
    AttendanceMode,
    Format,
    Opportunity,
    ParticipantGroup,
    SelectionDraw,
    SelectionMethod,
    SignUp,
)
from opportunities.services.states import (
    ACCEPT,
    DECLINE,
    FINISHED,
    HOLDS_PLACE,
    OPPORTUNITY_TRANSITIONS,
    RUNNING,
    SIGNS_UP_AGAIN,
    TAKES_ATTENDANCE,
    TRANSITIONS,
    WITHDRAW,
    State,
    Status,
    signup_action_refusal,
    signup_create_refusal,
)
from opportunities.services.training import (
    TrainingNeeded,
    people_with_current_training,
    training_needed,
)

if TYPE_CHECKING:
    from accounts.permissions import Anyone


@dataclass
class SignUpActionPage:
    """A confirmation page for a representative's own action on their sign-up."""

    action: str
    heading: str
    button: str
    # What will happen, one plain sentence each.
    consequences: list[str] = field(default_factory=list)
    # Why the action cannot be taken now, or "".
    refusal: str = ""
    # Accepting shows the dates first, so nobody takes a place they cannot come to.
    show_sessions: bool = False


def _next_person(opportunity: Opportunity, whose: str) -> str:
    # The waiting-list length is kept by the services under the row lock, so this reads no
    # sign-ups. Where nobody is waiting, the place is simply free again.
    if opportunity.waitlist_length:
        return f"{whose} place will be offered to the next person on the waiting list."
    return f"{whose} place will be free for someone else to take."


def signup_action_page(*, signup: SignUp, opportunity: Opportunity, action: str) -> SignUpActionPage:
    refusal = signup_action_refusal(signup=signup, opportunity=opportunity, action=action)
    title = opportunity.title
    never_held = "It is never held against you, and it does not lower your priority for other places."
    if action == WITHDRAW:
        page = SignUpActionPage(action, f"Withdraw from {title}?", "Yes, withdraw", refusal=refusal)
        if signup.state in HOLDS_PLACE:
            page.consequences.append(_next_person(opportunity, "Your"))
            if signup.state == State.CONFIRMED:
                page.consequences.append("You will not get reminders about its sessions.")
        elif signup.state == State.APPLIED:
            page.consequences.append(
                "Your application will be withdrawn, so you will not be offered a place."
            )
        elif signup.state == State.WAITLISTED:
            page.consequences.append("You will leave the waiting list, and the people behind you move up.")
        page.consequences += [
            "If you change your mind, you can sign up again while sign-ups are open, "
            "but your place is not kept for you.",
            never_held,
        ]
        return page
    if action == DECLINE:
        return SignUpActionPage(
            action,
            f"Decline the place on {title}?",
            "Yes, decline the place",
            consequences=[_next_person(opportunity, "The"), never_held],
            refusal=refusal,
        )
    if action == ACCEPT:
        return SignUpActionPage(
            action,
            f"Accept the place on {title}",
            "Accept the place",
            consequences=[
                "Your place will be confirmed, and we will send you the details.",
                "We will remind you before each session.",
                "You can still withdraw later if you need to. " + never_held,
            ],
            refusal=refusal,
            show_sessions=True,
        )
    raise ValueError(f"Unknown action: {action}")


# --- the opportunity's page -----------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityPage:
    """What the opportunity's page says of its status, and what a worker may do with it now,
    read from the services' table of statuses (OPPORTUNITY_TRANSITIONS)."""

    show_status: bool  # a tag beside the title whenever it is not simply published
    cancelled: bool
    notice: str  # "Sign-ups are closed." and the like, or ""
    has_calendar: bool
    can_edit: bool
    can_cancel: bool
    can_publish: bool
    publish_label: str
    can_close: bool
    can_complete: bool
    outcome_due: bool  # the outcome ("you said, we did") is written once it has finished


NOTICES: dict[str, str] = {
    Status.COMPLETED: "This activity has finished.",
    Status.CLOSED: "Sign-ups are closed.",
}


def opportunity_page(*, opportunity: Opportunity) -> OpportunityPage:
    status = opportunity.status
    moves = OPPORTUNITY_TRANSITIONS[status]
    return OpportunityPage(
        show_status=status != Status.PUBLISHED,
        cancelled=status == Status.CANCELLED,
        notice=NOTICES.get(status, ""),
        has_calendar=status in CALENDAR_STATUSES,
        can_edit=status not in FINISHED,
        can_cancel=Status.CANCELLED in moves,
        can_publish=Status.PUBLISHED in moves,
        publish_label="Publish" if status == Status.DRAFT else "Open sign-ups again",
        can_close=Status.CLOSED in moves,
        can_complete=Status.COMPLETED in moves,
        outcome_due=status == Status.COMPLETED,
    )


# --- the person's own sign-up ---------------------------------------------------------------


@dataclass(frozen=True)
class YourSignUp:
    """The person's own sign-up on the opportunity's page, and what they may do with it,
    asked of the same rules the services apply (signup_create_refusal and
    signup_action_refusal)."""

    # Their place, in whatever state, unless they stepped away (withdrew or declined).
    has_place: bool
    # A place offered to them: accept or decline it.
    can_answer_offer: bool
    can_withdraw: bool
    # The sign-up form; `open_for_signup` says whether anyone may sign up now (a visitor is
    # asked to log in).
    can_sign_up: bool
    open_for_signup: bool
    # They took part: ask how it went.
    invites_check_in: bool
    # The course they need first, instead of the sign-up form, with the next date to take it.
    training: TrainingNeeded | None = None
    # A confirmed place (or one taken part in): opens the preparation pack.
    confirmed: bool = False


def your_signup(*, user: Anyone, opportunity: Opportunity, signup: SignUp | None) -> YourSignUp:
    def may(action: str) -> bool:
        return signup is not None and not signup_action_refusal(
            signup=signup, opportunity=opportunity, action=action
        )

    can_answer_offer = may(DECLINE)  # declining has no deadline; accepting may have passed it
    could_sign_up = user.has_perm("opportunities.sign_up") and not signup_create_refusal(
        opportunity=opportunity, signup=signup
    )
    # The same rule the sign-up service applies under the lock (services/training.py); an
    # offer to answer needs it too, since accepting asks it again.
    training = (
        training_needed(opportunity=opportunity, person=user)  # type: ignore[arg-type]
        if (could_sign_up or can_answer_offer) and opportunity.required_course_id
        else None
    )
    return YourSignUp(
        has_place=signup is not None and signup.state not in SIGNS_UP_AGAIN,
        can_answer_offer=can_answer_offer,
        # Someone with an offer answers it: accepting or declining, not withdrawing.
        can_withdraw=may(WITHDRAW) and not can_answer_offer,
        can_sign_up=could_sign_up and training is None,
        open_for_signup=not signup_create_refusal(opportunity=opportunity, signup=None),
        invites_check_in=signup is not None and signup.state == State.ATTENDED,
        training=training,
        confirmed=signup is not None and signup.state in PARTICIPANT_GROUP_STATES[ParticipantGroup.CONFIRMED],
    )


# What a person is told once they have signed up, by the state it left them in.
SIGNED_UP: dict[str, str] = {
    State.CONFIRMED: "Your place is confirmed. We have sent you the details.",
    State.WAITLISTED: "All places are taken, so you are on the waiting list. "
    "We will tell you if a place comes free.",
    State.APPLIED: "Thank you for applying. We will tell you after the deadline whether you have a place.",
}


def signed_up_message(signup: SignUp) -> str:
    return SIGNED_UP.get(signup.state, "Your sign-up has been saved.")


# --- the participants and selection pages ---------------------------------------------------


def still_open_to_apply(*, opportunity: Opportunity, now: datetime | None = None) -> bool:
    """Before the deadline people may still apply (F4): a fair-share ranking is then only a
    preview, and the selection refuses to offer places."""
    return (now or timezone.now()) < opportunity.signup_deadline


@dataclass(frozen=True)
class ParticipantRow:
    """One sign-up on the participants page, with what the worker may see and do."""

    signup: SignUp
    # Contact details and notes: the person's named worker, and the lead worker while the
    # sign-up is active or recent (opportunities.permissions). Others see names and states.
    show_details: bool
    can_offer: bool
    can_cancel: bool
    takes_attendance: bool
    offer_open: bool
    # Whether their training counts for this activity; None when it needs no course.
    trained: bool | None = None


@dataclass(frozen=True)
class ParticipantsPage:
    rows: list[ParticipantRow]
    applied_count: int
    # Before the deadline people may still apply: a ranking is only a preview.
    before_deadline: bool
    can_run_selection: bool
    can_complete: bool
    # Everyone who attended can be recorded as trained in one step (opportunity.trains_for).
    can_record_training: bool = False


def participants_page(
    *, user: Anyone, opportunity: Opportunity, signups: list[SignUp], now: datetime | None = None
) -> ParticipantsPage:
    running = opportunity.status in RUNNING
    trained = people_with_current_training(
        opportunity=opportunity, person_ids=[signup.person_id for signup in signups]
    )
    rows = [
        ParticipantRow(
            signup=signup,
            show_details=user.has_perm("opportunities.view_participant_details", signup),
            # Offering by hand refuses anyone the table does not let move to offered, and
            # anything but a running opportunity (signup_offer_by_hand).
            can_offer=running and State.OFFERED in TRANSITIONS[signup.state],
            can_cancel=State.CANCELLED in TRANSITIONS[signup.state],
            takes_attendance=signup.state in TAKES_ATTENDANCE,
            offer_open=signup.state == State.OFFERED,
            trained=None if trained is None else signup.person_id in trained,
        )
        for signup in signups
    ]
    applied = sum(signup.state == State.APPLIED for signup in signups)
    return ParticipantsPage(
        rows=rows,
        applied_count=applied,
        before_deadline=still_open_to_apply(opportunity=opportunity, now=now),
        can_run_selection=opportunity.selection_method == SelectionMethod.FAIR_SHARE
        and bool(applied)
        and opportunity.status not in FINISHED,
        can_complete=Status.COMPLETED in OPPORTUNITY_TRANSITIONS[opportunity.status],
        can_record_training=opportunity.trains_for_id is not None
        and any(signup.state == State.ATTENDED for signup in signups),
    )


@dataclass(frozen=True)
class RankingRow:
    rank: int
    name: str
    reason: str
    # Whether their training counts for the activity; None when it needs no course.
    trained: bool | None = None


def selection_ranking_rows(
    *, draw: SelectionDraw, opportunity: Opportunity | None = None
) -> list[RankingRow]:
    """The draw's ranking as the selection page shows it. The draw keeps ids, not names
    (erasure leaves nothing of a person there), so names are read now, in one query; and
    with `opportunity`, whether each person's training counts for it (one more)."""
    person_ids = [row["person_id"] for row in draw.ranking if row.get("person_id")]
    names = names_by_person_id(person_ids=person_ids)
    trained = (
        people_with_current_training(opportunity=opportunity, person_ids=person_ids)
        if opportunity is not None
        else None
    )
    return [
        RankingRow(
            rank=row["rank"],
            name=names.get(row.get("person_id") or 0, "Someone no longer on Involvement Hub"),
            reason=row["reason"],
            trained=None if trained is None else row.get("person_id") in trained,
        )
        for row in draw.ranking
    ]


# --- the register for a session --------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    name: str
    # "In person" or "Online": asked at sign-up for a hybrid activity, else its format.
    joins: str
    # What the person chose to share with the lead worker for the day; "" for none, and
    # always "" once their sign-up no longer opens their details (ADR 6).
    access_needs: str


@dataclass(frozen=True)
class RegisterPage:
    rows: list[RegisterRow]
    in_person: int
    online: int
    not_said: int
    # The people whose shared needs the page shows: each opening is in the access log.
    shown_needs_of: list


NOT_SAID = "Not said"


def register_page(*, opportunity: Opportunity, signups: list[SignUp]) -> RegisterPage:
    hybrid = opportunity.format == Format.HYBRID
    rows, shown = [], []
    for signup in signups:
        profile = signup.person.profile
        if hybrid:
            joins = signup.get_attendance_mode_display() or NOT_SAID
        else:
            joins = (
                AttendanceMode.ONLINE.label
                if opportunity.format == Format.ONLINE
                else AttendanceMode.IN_PERSON.label
            )
        needs = profile.access_needs_shared if getattr(signup, "lead_access_open", False) else ""
        if needs:
            shown.append(signup.person)
        name = profile.display_name or signup.person.get_full_name() or signup.person.email or ""
        rows.append(RegisterRow(name=name, joins=joins, access_needs=needs))
    return RegisterPage(
        rows=rows,
        in_person=sum(row.joins == AttendanceMode.IN_PERSON.label for row in rows),
        online=sum(row.joins == AttendanceMode.ONLINE.label for row in rows),
        not_said=sum(row.joins == NOT_SAID for row in rows),
        shown_needs_of=shown,
    )
