"""The sign-up and selection rules at their edges: the exact moment a deadline passes, the
last place, the words a person is shown. Each test here was written for a change that the
mutation run (`make mutation`, docs/testing.md) made to opportunities/services and that no
other test noticed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Attendance, Opportunity, SelectionDraw, SignUp
from opportunities.services import (
    OpportunityError,
    attendance_record,
    attendance_record_session,
    offer_passes_over,
    opportunity_complete,
    selection_preview,
    selection_rank,
    selection_run,
    signup_accept,
    signup_create,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
Status = Opportunity.Status


def rep():
    return person(roles=[Role.REPRESENTATIVE])


# --- states.py ---------------------------------------------------------------------------------


def test_signing_up_at_the_very_moment_of_the_deadline_is_refused():
    """The deadline is the last moment to sign up before, not at: the page says "sign up by",
    and the fair-share selection may run from that moment on."""
    opportunity = OpportunityFactory()
    with (
        time_machine.travel(opportunity.signup_deadline, tick=False),
        pytest.raises(OpportunityError) as refused,
    ):
        signup_create(opportunity=opportunity, person=rep())
    assert str(refused.value) == "The sign-up deadline has passed."
    assert not opportunity.signups.exists()


def test_completing_an_opportunity_with_no_sessions_says_to_add_them_first(worker):
    opportunity = OpportunityFactory()
    opportunity.sessions.all().delete()
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_at=None, ends_at=None)
    opportunity.refresh_from_db()
    with pytest.raises(OpportunityError) as refused:
        opportunity_complete(opportunity=opportunity, by=worker)
    # The whole sentence, as the worker reads it on the page.
    assert str(refused.value) == (
        "Add its sessions first: an opportunity is completed after its last session has ended."
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED


# --- signups.py --------------------------------------------------------------------------------


def test_accepting_an_offer_tells_the_person_their_place_is_confirmed_and_the_history_says_who():
    opportunity = OpportunityFactory(places=1)
    first, second = rep(), rep()
    held = signup_create(opportunity=opportunity, person=first)
    waiting = signup_create(opportunity=opportunity, person=second)
    signup_withdraw(signup=held, person=first)
    signup_accept(signup=waiting, person=second)
    last = Message.objects.filter(recipient=second).latest("pk")
    assert last.kind == Kind.SIGNUP_UPDATE
    assert f"Your place on {opportunity.title} is confirmed." in last.body_text
    accepted = waiting.events.order_by("pk").last()
    assert (accepted.from_state, accepted.to_state, accepted.actor) == (
        State.OFFERED,
        State.CONFIRMED,
        second,
    )


def started_with_one_confirmed_person():
    start = timezone.now() - timedelta(hours=3)
    opportunity = OpportunityFactory(sessions=[(start, start + timedelta(hours=2))])
    signup = signup_create(opportunity=opportunity, person=rep())
    return opportunity, opportunity.sessions.get(), signup


def test_recording_a_session_for_several_people_keeps_who_recorded_it(worker):
    opportunity, session, signup = started_with_one_confirmed_person()
    recorded = attendance_record_session(
        opportunity=opportunity, session_id=session.pk, attended={signup.pk: True}, by=worker
    )
    assert recorded == 1
    assert Attendance.objects.get(signup=signup, session=session).recorded_by == worker
    moved = signup.events.order_by("pk").last()
    assert (moved.to_state, moved.actor, moved.reason) == (State.ATTENDED, worker, "Attendance recorded.")


def test_recording_a_session_with_nobody_chosen_says_what_to_do(worker):
    opportunity, session, signup = started_with_one_confirmed_person()
    with pytest.raises(OpportunityError) as refused:
        attendance_record_session(opportunity=opportunity, session_id=session.pk, attended={}, by=worker)
    assert str(refused.value) == "Choose attended or did not attend for at least one person."
    assert not Attendance.objects.exists()


def test_recording_a_session_of_another_opportunity_is_refused_and_says_why(worker):
    opportunity, session, signup = started_with_one_confirmed_person()
    _, elsewhere, _ = started_with_one_confirmed_person()
    with pytest.raises(OpportunityError) as refused:
        attendance_record(signup=signup, session=elsewhere, attended=True, by=worker)
    assert str(refused.value) == "That session belongs to another opportunity."
    assert not Attendance.objects.exists()


def test_recording_attendance_for_someone_without_a_confirmed_place_says_why(worker):
    opportunity, session, confirmed = started_with_one_confirmed_person()
    signup_withdraw(signup=confirmed, person=confirmed.person)
    with pytest.raises(OpportunityError) as refused:
        attendance_record(signup=confirmed, session=session, attended=True, by=worker)
    assert str(refused.value) == "Attendance can only be recorded for people with a confirmed place."
    assert not Attendance.objects.exists()


# --- selection.py ------------------------------------------------------------------------------


def test_an_offer_by_hand_lists_the_people_passed_over_in_waiting_list_order():
    """The worker is told who they pass over, numbered as the waiting list stands: the list's
    order is its positions, not the order people's sign-ups were made in."""
    opportunity = OpportunityFactory(places=1, selection_method="fair_share")
    # Made first, but second on the list (a place offered and declined moves people about).
    later = SignUp.objects.create(
        opportunity=opportunity, person=rep(), state=State.WAITLISTED, waitlist_position=2
    )
    earlier = SignUp.objects.create(
        opportunity=opportunity, person=rep(), state=State.WAITLISTED, waitlist_position=1
    )
    not_selected = SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.NOT_SELECTED)
    passed = offer_passes_over(signup=not_selected)
    assert [(p.signup_id, p.why) for p in passed] == [
        (earlier.pk, "number 1 on the waiting list"),
        (later.pk, "number 2 on the waiting list"),
    ]


def fair_share(places: int = 1, applicants: int = 3) -> Opportunity:
    opportunity = OpportunityFactory(places=places, selection_method="fair_share")
    for _ in range(applicants):
        signup_create(opportunity=opportunity, person=rep())
    return opportunity


def test_the_selection_may_run_at_the_very_moment_of_the_deadline(worker):
    """The moment sign-ups close (the first test above) is the moment places may be offered."""
    opportunity = fair_share()
    draw = selection_preview(opportunity=opportunity, by=worker)
    with time_machine.travel(opportunity.signup_deadline, tick=False):
        assert len(selection_run(opportunity=opportunity, draw=draw, by=worker)) == 1


def test_the_selection_offers_only_the_places_still_free(worker):
    opportunity = fair_share(places=2, applicants=3)
    draw = selection_preview(opportunity=opportunity, by=worker)
    first = opportunity.signups.order_by("pk").first()
    signup_offer_by_hand(signup=first, by=worker, reason="Needed on this panel for their experience.")
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
        offered = selection_run(opportunity=opportunity, draw=draw, by=worker)
    assert len(offered) == 1
    states = sorted(opportunity.signups.values_list("state", flat=True))
    assert states == sorted([State.OFFERED, State.OFFERED, State.WAITLISTED])


def test_confirming_a_selection_confirms_the_draw_chosen_not_another_one(worker):
    opportunity = fair_share()
    older = selection_preview(opportunity=opportunity, by=worker)
    chosen = selection_preview(opportunity=opportunity, by=worker)
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
        selection_run(opportunity=opportunity, draw=chosen, by=worker)
    older.refresh_from_db()
    chosen.refresh_from_db()
    assert chosen.confirmed_at is not None
    assert older.confirmed_at is None


def test_a_selection_refused_says_why(worker):
    first_come = OpportunityFactory()
    draw = SelectionDraw.objects.create(opportunity=first_come, seed="a", ranking=[], run_by=worker)
    with pytest.raises(OpportunityError) as refused:
        selection_run(opportunity=first_come, draw=draw, by=worker)
    assert str(refused.value) == "Only fair-share opportunities have a selection."

    opportunity = fair_share()
    with pytest.raises(OpportunityError) as refused:
        selection_run(opportunity=opportunity, draw=draw, by=worker)
    assert str(refused.value) == "That selection belongs to another opportunity."

    mine = selection_preview(opportunity=opportunity, by=worker)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Status.DRAFT)
    with pytest.raises(OpportunityError) as refused:
        selection_run(opportunity=opportunity, draw=mine, by=worker)
    assert str(refused.value) == "Selection runs on a published or closed opportunity."


def test_a_place_offered_by_the_selection_is_held_for_a_while_and_the_history_says_who_ran_it(worker):
    opportunity = fair_share()
    draw = selection_preview(opportunity=opportunity, by=worker)
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1), tick=False):
        [offered] = selection_run(opportunity=opportunity, draw=draw, by=worker)
        offered.refresh_from_db()
        assert offered.offer_expires_at == timezone.now() + timedelta(hours=48)
    moved = offered.events.order_by("pk").last()
    assert (moved.to_state, moved.actor) == (State.OFFERED, worker)
    assert moved.reason.startswith("Selected: ")


def test_the_selection_tells_each_person_what_happened_and_the_history_says_why(worker):
    opportunity = fair_share(places=1, applicants=2)
    draw = selection_preview(opportunity=opportunity, by=worker)
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
        [offered] = selection_run(opportunity=opportunity, draw=draw, by=worker)
    waiting = opportunity.signups.get(state=State.WAITLISTED)
    assert Message.objects.filter(recipient=offered.person).latest("pk").kind == Kind.PLACE_OFFERED
    told = Message.objects.filter(recipient=waiting.person).latest("pk")
    assert told.kind == Kind.SIGNUP_UPDATE
    assert "so you are on the waiting list" in told.body_text
    moved = waiting.events.order_by("pk").last()
    assert (moved.to_state, moved.actor) == (State.WAITLISTED, worker)
    assert moved.reason.startswith("Waiting list: ")


def test_the_ranking_gives_the_whole_reason_for_someone_not_selected_last_time():
    """Their reason keeps why they are where they are and adds that they were not selected."""
    person_ = rep()
    SignUp.objects.create(opportunity=OpportunityFactory(), person=person_, state=State.NOT_SELECTED)
    opportunity = OpportunityFactory(selection_method="fair_share")
    signup_create(opportunity=opportunity, person=person_)
    [ranked] = selection_rank(opportunity=opportunity, seed="a recorded seed")
    assert ranked.reason.startswith("never involved before; not selected last time; random draw ")
