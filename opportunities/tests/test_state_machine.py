"""The two state machines, whole: every pair of sign-up states and every pair of opportunity
statuses is allowed or refused as the tables below say, and so is every action a person or a
worker can take, from every state.

The tables are written out here on purpose, apart from the services' own: a change to the
rules has to be made in both places, so it is made on purpose and read twice.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Opportunity, SignUp
from opportunities.services import (
    HOLDS_PLACE,
    OPPORTUNITY_TRANSITIONS,
    TRANSITIONS,
    OpportunityError,
    attendance_record,
    opportunity_cancel,
    opportunity_close,
    opportunity_complete,
    opportunity_publish,
    signup_accept,
    signup_cancel,
    signup_create,
    signup_decline,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.services.opportunities import _set_status
from opportunities.services.places import _move
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
Status = Opportunity.Status

SIGNUP_MOVES = {
    "applied": {"offered", "confirmed", "waitlisted", "not_selected", "withdrawn", "cancelled"},
    "waitlisted": {"offered", "not_selected", "withdrawn", "cancelled"},
    "offered": {"confirmed", "declined", "withdrawn", "cancelled"},
    "confirmed": {"withdrawn", "cancelled", "attended", "no_show"},
    "not_selected": {"offered"},
    "declined": {"applied", "confirmed", "waitlisted"},  # signing up again
    "withdrawn": {"applied", "confirmed", "waitlisted"},  # signing up again
    "cancelled": set(),  # by staff, with a reason: final
    "attended": {"no_show"},  # a correction of the register
    "no_show": {"attended"},
}

OPPORTUNITY_MOVES = {
    "draft": {"published", "cancelled"},
    "published": {"closed", "completed", "cancelled"},
    "closed": {"published", "completed", "cancelled"},  # reopened, or finished
    "completed": set(),
    "cancelled": set(),
}


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def signup_in(state: str) -> SignUp:
    """A sign-up in `state` on a published first-come opportunity with places to spare."""
    opportunity = OpportunityFactory(places=3)
    fields: dict = {}
    if state in HOLDS_PLACE:
        fields["place_number"] = 1
    if state == State.WAITLISTED:
        fields["waitlist_position"] = 1
    if state == State.OFFERED:
        fields["offer_expires_at"] = timezone.now() + timedelta(hours=48)
    signup = SignUp.objects.create(opportunity=opportunity, person=rep(), state=state, **fields)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        places_taken=int(state in HOLDS_PLACE), waitlist_length=int(state == State.WAITLISTED)
    )
    return signup


def pairs(states) -> list:
    return [pytest.param(a, b, id=f"{a}->{b}") for a in states for b in states]


# --- sign-ups ----------------------------------------------------------------------------------


def test_the_services_use_exactly_the_sign_up_table_written_here():
    assert {str(k): {str(v) for v in vs} for k, vs in TRANSITIONS.items()} == SIGNUP_MOVES
    assert set(SIGNUP_MOVES) == set(State.values)


@pytest.mark.parametrize("from_state,to_state", pairs(State.values))
def test_every_move_between_two_sign_up_states_is_allowed_or_refused(from_state, to_state, worker):
    signup = signup_in(from_state)
    if to_state in SIGNUP_MOVES[from_state]:
        _move(signup, to_state, actor=worker, reason="From the table.")
        signup.refresh_from_db()
        assert signup.state == to_state
        event = signup.events.get()
        assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, worker)
        # A place held has a number; a place kept keeps it; any other state has none.
        assert (signup.place_number is not None) == (to_state in HOLDS_PLACE)
        if from_state in HOLDS_PLACE and to_state in HOLDS_PLACE:
            assert signup.place_number == 1
    else:
        with pytest.raises(OpportunityError, match="cannot be changed that way"):
            _move(signup, to_state, actor=worker, reason="From the table.")
        signup.refresh_from_db()
        assert signup.state == from_state
        assert not signup.events.exists()


def withdraw(signup):
    return signup_withdraw(signup=signup, person=signup.person)


def accept(signup):
    return signup_accept(signup=signup, person=signup.person)


def decline(signup):
    return signup_decline(signup=signup, person=signup.person)


def sign_up_again(signup):
    return signup_create(opportunity=signup.opportunity, person=signup.person)


def offer_by_hand(signup):
    return signup_offer_by_hand(signup=signup, by=signup.opportunity.lead_worker)


def cancel(signup):
    return signup_cancel(signup=signup, by=signup.opportunity.lead_worker, reason="Booked by mistake.")


def record(attended: bool):
    def action(signup):
        session = signup.opportunity.sessions.get()
        # The register opens once the session has started.
        with time_machine.travel(session.starts_at + timedelta(minutes=30)):
            return attendance_record(
                signup=signup, session=session, attended=attended, by=signup.opportunity.lead_worker
            )

    return action


# Each action, from each state: the state it leads to; a state not listed is refused.
ACTIONS = {
    withdraw: {s: "withdrawn" for s in ("applied", "waitlisted", "offered", "confirmed")},
    accept: {"offered": "confirmed"},
    decline: {"offered": "declined"},
    sign_up_again: {"withdrawn": "confirmed", "declined": "confirmed"},
    offer_by_hand: {s: "offered" for s in ("applied", "waitlisted", "not_selected")},
    cancel: {s: "cancelled" for s in ("applied", "waitlisted", "offered", "confirmed")},
    record(True): {"confirmed": "attended", "attended": "attended", "no_show": "attended"},
    record(False): {"confirmed": "no_show", "attended": "no_show", "no_show": "no_show"},
}
ACTION_NAMES = {
    action: name
    for action, name in zip(
        ACTIONS,
        ["withdraw", "accept", "decline", "sign up again", "offer by hand", "cancel", "attended", "missed"],
        strict=True,
    )
}


@pytest.mark.parametrize(
    "action,from_state",
    [
        pytest.param(action, state, id=f"{ACTION_NAMES[action]}:{state}")
        for action in ACTIONS
        for state in State.values
    ],
)
def test_every_action_from_every_sign_up_state_is_allowed_or_refused(action, from_state):
    signup = signup_in(from_state)
    expected = ACTIONS[action].get(from_state)
    if expected:
        action(signup)
        signup.refresh_from_db()
        assert signup.state == expected
    else:
        with pytest.raises(OpportunityError):
            action(signup)
        signup.refresh_from_db()
        assert signup.state == from_state


@pytest.mark.parametrize("state", [State.WITHDRAWN, State.CANCELLED])
def test_offering_a_withdrawn_or_cancelled_sign_up_by_hand_is_refused_and_says_why(state):
    signup = signup_in(state)
    # Even when the opportunity is full, the worker is told about the person, not the places.
    signup.opportunity.places = 1
    signup.opportunity.save(update_fields=["places"])
    signup_create(opportunity=signup.opportunity, person=rep())
    with pytest.raises(OpportunityError, match=f"is {signup.get_state_display().lower()}, so a place cannot"):
        offer_by_hand(signup)
    signup.refresh_from_db()
    assert signup.state == state and signup.place_number is None


# --- opportunities -----------------------------------------------------------------------------


def test_the_services_use_exactly_the_opportunity_table_written_here():
    assert {str(k): {str(v) for v in vs} for k, vs in OPPORTUNITY_TRANSITIONS.items()} == OPPORTUNITY_MOVES
    assert set(OPPORTUNITY_MOVES) == set(Status.values)


@pytest.mark.parametrize("from_status,to_status", pairs(Status.values))
def test_every_move_between_two_opportunity_statuses_is_allowed_or_refused(from_status, to_status):
    opportunity = OpportunityFactory(status=from_status)
    if to_status in OPPORTUNITY_MOVES[from_status]:
        _set_status(opportunity, to_status)
        opportunity.refresh_from_db()
        assert opportunity.status == to_status
        if to_status == Status.PUBLISHED:
            assert opportunity.published_at is not None
    else:
        with pytest.raises(OpportunityError, match="cannot be made"):
            _set_status(opportunity, to_status)
        opportunity.refresh_from_db()
        assert opportunity.status == from_status


def publish(opportunity):
    opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)


def close(opportunity):
    opportunity_close(opportunity=opportunity, by=opportunity.lead_worker)


def complete(opportunity):
    # An opportunity is completed once its last session has ended.
    with time_machine.travel(opportunity.ends_at + timedelta(hours=1)):
        opportunity_complete(opportunity=opportunity, by=opportunity.lead_worker)


def cancel_opportunity(opportunity):
    opportunity_cancel(opportunity=opportunity, by=opportunity.lead_worker, reason="The room is closed.")


STATUS_ACTIONS = {
    publish: Status.PUBLISHED,
    close: Status.CLOSED,
    complete: Status.COMPLETED,
    cancel_opportunity: Status.CANCELLED,
}


@pytest.mark.parametrize(
    "action,from_status",
    [
        pytest.param(action, status, id=f"{action.__name__}:{status}")
        for action in STATUS_ACTIONS
        for status in Status.values
    ],
)
def test_every_action_from_every_opportunity_status_is_allowed_or_refused(action, from_status):
    opportunity = OpportunityFactory(status=from_status)
    to_status = STATUS_ACTIONS[action]
    if to_status in OPPORTUNITY_MOVES[from_status]:
        action(opportunity)
        opportunity.refresh_from_db()
        assert opportunity.status == to_status
    else:
        with pytest.raises(OpportunityError):
            action(opportunity)
        opportunity.refresh_from_db()
        assert opportunity.status == from_status
