"""The state machines of sign-ups and opportunities, written down once, and the rules of
what may happen now.

The services change a state only through these tables (`places._move` for sign-ups,
`opportunities._set_status` for opportunities), and `opportunities.presenters` reads the
same tables to say what a person may do, so a page never offers what a service refuses.
"""

from datetime import datetime

from django.utils import timezone

from involvement.errors import ServiceError
from involvement.templatetags.nhs_dates import nhs_datetime
from opportunities.models import PLACE_HOLDING_STATES, Opportunity, SignUp

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
# Someone who withdrew or declined may sign up again: the states the table lets go back to
# applied. Any other sign-up already stands.
SIGNS_UP_AGAIN = {state for state, to in TRANSITIONS.items() if State.APPLIED in to}
# Whose attendance is recorded: the states that attendance can move on, read from the table.
TAKES_ATTENDANCE = {state for state, to in TRANSITIONS.items() if to & {State.ATTENDED, State.NO_SHOW}}

OPPORTUNITY_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
    Status.PUBLISHED: {Status.CLOSED, Status.COMPLETED, Status.CANCELLED},
    Status.CLOSED: {Status.PUBLISHED, Status.COMPLETED, Status.CANCELLED},
    Status.COMPLETED: set(),
    Status.CANCELLED: set(),
}
# Running: published, or closed to newcomers while still to happen. Only here do places move.
RUNNING = {Status.PUBLISHED, Status.CLOSED}
# Finished one way or the other: nothing about the opportunity changes any more.
FINISHED = {status for status, to in OPPORTUNITY_TRANSITIONS.items() if not to}


class OpportunityError(ServiceError):
    """A rule about opportunities, sign-ups or places refused the action (involvement.errors)."""


def signup_create_refusal(
    *, opportunity: Opportunity, signup: SignUp | None, now: datetime | None = None
) -> str:
    """Why the person cannot sign up now, or "" when they can; `signup` is theirs so far, if
    they have one. The service and the opportunity's page both ask this."""
    if opportunity.status != Status.PUBLISHED:
        return "This opportunity is not open for sign-ups."
    if (now or timezone.now()) >= opportunity.signup_deadline:
        return "The sign-up deadline has passed."
    if signup is not None and signup.state not in SIGNS_UP_AGAIN:
        return "You have already signed up for this."
    return ""


# A representative's own actions on their sign-up, by the name used in URLs and pages.
WITHDRAW, ACCEPT, DECLINE = "withdraw", "accept", "decline"


def signup_action_refusal(
    *, signup: SignUp, opportunity: Opportunity, action: str, now: datetime | None = None
) -> str:
    """Why the person cannot take `action` on their sign-up now, or "" when they can. The
    services and the confirmation pages both ask this, so a page never offers what the
    service would refuse."""
    if opportunity.status not in RUNNING:
        return "This activity has finished or been cancelled, so the sign-up cannot change now."
    if action == WITHDRAW and signup.state not in ACTIVE:
        return "There is nothing to withdraw from."
    if action in {ACCEPT, DECLINE} and signup.state != State.OFFERED:
        return f"There is no place offered to {action}."
    if action == ACCEPT and signup.offer_expires_at and signup.offer_expires_at <= (now or timezone.now()):
        return "Sorry, this offer has expired."
    return ""


def opportunity_complete_refusal(*, opportunity: Opportunity, now: datetime | None = None) -> str:
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
