"""The sign-up and selection rules at their edges: the exact moment a deadline passes, the
last place, the words a person is shown. Each test here was written for a change that the
mutation run (`make mutation`, docs/testing.md) made to opportunities/services and that no
other test noticed."""

import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory, person
from involvement.templatetags.nhs_dates import nhs_datetime
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Attendance, Opportunity, OpportunityEvent, SelectionDraw, SignUp
from opportunities.services import (
    OpportunityError,
    SessionData,
    attendance_record,
    attendance_record_session,
    offer_passes_over,
    offers_expire,
    opportunity_cancel,
    opportunity_change_lead,
    opportunity_close,
    opportunity_complete,
    opportunity_complete_refusal,
    opportunity_duplicate,
    opportunity_publish,
    opportunity_save,
    reminders_send,
    selection_preview,
    selection_rank,
    selection_run,
    selections_due,
    signup_accept,
    signup_action_refusal,
    signup_create,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.services.states import ACCEPT, WITHDRAW, signup_create_refusal
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_forms import new_opportunity_post

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
    assert f"Your place on {opportunity.title} is confirmed." in last.content.body_text
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
    assert "so you are on the waiting list" in told.content.body_text
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


def test_an_applicant_not_selected_last_time_has_the_better_claim_to_a_place_offered_by_hand():
    """Before the selection, an offer by hand lists the applicants with a better claim. Of two
    applicants alike in every other way, the one not selected last time comes first."""
    opportunity = OpportunityFactory(selection_method="fair_share")
    unlucky, other = rep(), rep()
    SignUp.objects.create(opportunity=OpportunityFactory(), person=unlucky, state=State.NOT_SELECTED)
    unlucky_signup = signup_create(opportunity=opportunity, person=unlucky)
    other_signup = signup_create(opportunity=opportunity, person=other)
    passed = offer_passes_over(signup=other_signup)
    assert [(p.signup_id, p.why) for p in passed] == [
        (unlucky_signup.pk, "applied: never involved before; not selected last time")
    ]
    assert offer_passes_over(signup=unlucky_signup) == []


# --- opportunities.py: who leads -----------------------------------------------------------------


def lead_messages_by_recipient() -> dict:
    return {m.recipient: m for m in Message.objects.filter(kind=Kind.LEAD_WORKER_CHANGED)}


def test_a_manager_handing_an_opportunity_on_names_both_workers_to_each(worker, other_worker, manager):
    opportunity = OpportunityFactory(lead_worker=worker)
    event = opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=manager)
    told = lead_messages_by_recipient()
    assert (
        f"Maya Manager has made you the lead worker of {opportunity.title}, taking over from Wendy Worker."
        in told[other_worker].body_text
    )
    assert (
        f"Maya Manager has made Otto Other the lead worker of {opportunity.title} in your place."
        in told[worker].body_text
    )
    # No reason was given: none is recorded, and the messages have no "Reason:" line.
    assert event.reason == ""
    assert not any("Reason:" in message.body_text for message in told.values())


def test_a_lead_worker_chosen_in_the_edit_form_is_told_without_a_reason_line(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    session = opportunity.sessions.get()
    opportunity.lead_worker = other_worker
    opportunity_save(
        opportunity=opportunity,
        sessions=[
            SessionData(
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                area=session.area,
                location=session.location,
                joining_link=session.joining_link,
                id=session.pk,
            )
        ],
        by=worker,
    )
    told = lead_messages_by_recipient()
    assert set(told) == {worker, other_worker}
    assert OpportunityEvent.objects.get().reason == ""
    assert not any("Reason:" in message.body_text for message in told.values())


def test_a_worker_who_creates_an_opportunity_for_another_is_named_and_nobody_is_taken_over_from(
    client, worker, other_worker
):
    client.force_login(worker)
    data = new_opportunity_post(worker, lead_worker=str(other_worker.pk))
    assert client.post(reverse("opportunities:create"), data).status_code == 302
    opportunity = Opportunity.objects.get()
    [message] = lead_messages_by_recipient().values()
    assert message.recipient == other_worker
    assert f"Wendy Worker has made you the lead worker of {opportunity.title}.\n" in message.body_text
    assert "taking over" not in message.body_text


def test_people_without_a_display_name_are_named_by_their_full_name_or_else_their_email(worker):
    """An account made for someone (by an administrator, or `createsuperuser`) has no profile,
    so no display name, until they first use the hub or are sent something; it may have no
    name either. The messages still say who it is."""
    manager = UserFactory(roles=[Role.MANAGER], first_name="Sam", last_name="Lee")
    unnamed = UserFactory(roles=[Role.WORKER], first_name="", last_name="", email="lead.cover@example.org")
    opportunity = OpportunityFactory(lead_worker=worker)
    opportunity_change_lead(opportunity=opportunity, lead_worker=unnamed, by=manager)
    told = lead_messages_by_recipient()
    assert (
        f"Sam Lee has made you the lead worker of {opportunity.title}, taking over from Wendy Worker."
        in told[unnamed].body_text
    )
    assert (
        f"Sam Lee has made lead.cover@example.org the lead worker of {opportunity.title} in your place."
        in told[worker].body_text
    )


def test_choosing_the_worker_who_already_leads_says_who_that_is(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=other_worker)
    with pytest.raises(OpportunityError) as refused:
        opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=other_worker)
    assert str(refused.value) == "Otto Other already leads this opportunity: choose another worker."
    assert refused.value.field == "lead_worker"


def test_a_worker_who_does_not_lead_is_told_who_may_change_the_lead(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    with pytest.raises(OpportunityError) as refused:
        opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=other_worker)
    assert str(refused.value) == "Only the lead worker or a manager can change the lead worker."


# --- jobs.py -------------------------------------------------------------------------------------


def test_an_offer_lapses_at_the_very_moment_it_expires_and_the_person_is_told():
    opportunity = OpportunityFactory(places=1)
    holder, offered_person = rep(), rep()
    held = signup_create(opportunity=opportunity, person=holder)
    offer = signup_create(opportunity=opportunity, person=offered_person)
    signup_withdraw(signup=held, person=holder)
    offer.refresh_from_db()
    assert offer.state == State.OFFERED

    assert offers_expire(now=offer.offer_expires_at) == 1
    offer.refresh_from_db()
    assert offer.state == State.DECLINED
    lapsed = offer.events.order_by("pk").last()
    assert (lapsed.from_state, lapsed.to_state, lapsed.actor, lapsed.reason) == (
        State.OFFERED,
        State.DECLINED,
        None,
        "The offer lapsed.",
    )
    told = Message.objects.filter(recipient=offered_person).latest("pk")
    assert told.kind == Kind.SIGNUP_UPDATE
    assert told.content.subject == f"The place offered to you has gone: {opportunity.title}"
    assert "was not accepted in time, so it has gone to the next person" in told.content.body_text


@pytest.mark.parametrize(
    ("method", "status", "after_deadline"),
    [
        ("first_come", Status.PUBLISHED, True),
        ("fair_share", Status.DRAFT, True),
        ("fair_share", Status.CANCELLED, True),
        ("fair_share", Status.PUBLISHED, False),
    ],
    ids=["first come", "draft", "cancelled", "before the deadline"],
)
def test_the_selection_job_leaves_alone_what_is_not_due_without_logging_a_failure(
    caplog, method, status, after_deadline
):
    """Only published or closed fair-share opportunities past their deadline are selected.
    Anything else is not tried at all: a selection tried and refused would be logged as a
    failure on every run, every minute, for ever."""
    opportunity = OpportunityFactory(selection_method=method)
    signup_create(opportunity=opportunity, person=rep())
    Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
    moment = opportunity.signup_deadline + timedelta(minutes=1 if after_deadline else -1)
    with caplog.at_level(logging.WARNING), time_machine.travel(moment):
        assert selections_due() == 0
    assert not SelectionDraw.objects.exists()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_each_selection_the_job_runs_records_a_fresh_random_seed():
    """The seed is shown with the ranking so that anyone can check the draw: like the lead
    worker's, each of the job's draws gets a random one of 128 bits."""
    first, second = fair_share(), fair_share()
    with time_machine.travel(max(first.signup_deadline, second.signup_deadline) + timedelta(minutes=1)):
        assert selections_due() == 2
    seeds = [SelectionDraw.objects.get(opportunity=o).seed for o in (first, second)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in seeds), seeds
    assert seeds[0] != seeds[1]


def test_the_reminders_job_names_each_lead_time_window_once_with_three_lead_times():
    """With three lead times (72, 24 and 2 hours), a session 20 hours ahead is in the 24-hour
    window: it gets that reminder, not the 72-hour one."""
    opportunity = OpportunityFactory(
        sessions=[(timezone.now() + timedelta(hours=20), timezone.now() + timedelta(hours=22))],
        signup_deadline=timezone.now() + timedelta(hours=10),
    )
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    with override_settings(REMINDER_HOURS=[72, 24, 2]):
        assert reminders_send() == 1
    [reminder] = Message.objects.filter(kind=Kind.REMINDER)
    assert reminder.dedupe_key.startswith(f"reminder:24h:{signup.pk}:")


def test_someone_whose_session_starts_in_half_an_hour_gets_the_nearest_reminder():
    opportunity = OpportunityFactory(
        sessions=[(timezone.now() + timedelta(minutes=30), timezone.now() + timedelta(hours=2))],
        signup_deadline=timezone.now() + timedelta(minutes=10),
    )
    signup = signup_create(opportunity=opportunity, person=rep())
    assert reminders_send() == 1
    [reminder] = Message.objects.filter(kind=Kind.REMINDER)
    assert reminder.dedupe_key.startswith(f"reminder:2h:{signup.pk}:")


def test_each_reminder_is_for_a_session_in_its_own_window_and_says_which_activity_and_when():
    """One opportunity, four sessions: one over, one in an hour, one in 30 hours, one in ten
    days. A run now reminds of the one in an hour (2 hours ahead) and the one in 30 hours
    (48 hours ahead), and of nothing else."""
    now = timezone.now().replace(microsecond=0)
    starts = [
        now - timedelta(days=1),
        now + timedelta(hours=1),
        now + timedelta(hours=30),
        now + timedelta(days=10),
    ]
    opportunity = OpportunityFactory(
        sessions=[(start, start + timedelta(minutes=50)) for start in starts],
        signup_deadline=now - timedelta(days=2),
    )
    signup = SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.CONFIRMED)
    sessions = {s.starts_at: s for s in opportunity.sessions.all()}
    with time_machine.travel(now, tick=False):
        assert reminders_send() == 2
    reminders = Message.objects.filter(kind=Kind.REMINDER).order_by("dedupe_key")
    assert [m.dedupe_key.rsplit(":", 1)[0] for m in reminders] == [
        f"reminder:2h:{signup.pk}:{sessions[starts[1]].pk}",
        f"reminder:48h:{signup.pk}:{sessions[starts[2]].pk}",
    ]
    for reminder, start in zip(reminders, starts[1:3], strict=True):
        assert reminder.subject == f"Reminder: {opportunity.title}, {nhs_datetime(start)}"
        assert f"A reminder that {opportunity.title} is coming up" in reminder.body_text


# --- sessions.py and opportunity_save ------------------------------------------------------------


def as_data(session, **changes) -> SessionData:
    fields = {
        name: getattr(session, name) for name in ("starts_at", "ends_at", "area", "location", "joining_link")
    }
    return SessionData(**{**fields, **changes}, id=session.pk)


def test_saving_an_opportunity_refuses_impossible_sessions_and_says_why(worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    session = opportunity.sessions.get()
    start = session.starts_at
    for sessions, why in [
        ([], "Add at least one session."),
        ([as_data(session, ends_at=start)], "A session must end after it starts."),
    ]:
        with pytest.raises(OpportunityError) as refused:
            opportunity_save(opportunity=opportunity, sessions=sessions, by=worker)
        assert str(refused.value) == why
    opportunity.signup_deadline = start + timedelta(minutes=1)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(opportunity=opportunity, sessions=[as_data(session)], by=worker)
    assert str(refused.value) == "The sign-up deadline must be before the first session."


def test_the_sign_up_deadline_may_be_the_moment_the_first_session_starts(worker):
    """Sign-ups close as it begins (signing up at the deadline itself is refused)."""
    opportunity = OpportunityFactory(lead_worker=worker)
    session = opportunity.sessions.get()
    opportunity.signup_deadline = session.starts_at
    opportunity_save(opportunity=opportunity, sessions=[as_data(session)], by=worker)
    opportunity.refresh_from_db()
    assert opportunity.signup_deadline == session.starts_at


def test_a_session_that_has_started_can_be_neither_removed_nor_changed_and_the_worker_is_told_which(worker):
    opportunity, session, signup = started_with_one_confirmed_person()
    later = timezone.now() + timedelta(days=10)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(
            opportunity=opportunity,
            sessions=[SessionData(starts_at=later, ends_at=later + timedelta(hours=1))],
            by=worker,
        )
    assert str(refused.value) == (
        f"The session on {nhs_datetime(session.starts_at)} has already started, so it cannot be removed."
    )
    opportunity.signup_deadline = session.starts_at - timedelta(days=1)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(
            opportunity=opportunity, sessions=[as_data(session, location="Elsewhere")], by=worker
        )
    assert str(refused.value) == (
        f"The session on {nhs_datetime(session.starts_at)} has already started, so it cannot be changed."
    )

    attendance_record(signup=signup, session=session, attended=True, by=worker)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(
            opportunity=opportunity,
            sessions=[SessionData(starts_at=later, ends_at=later + timedelta(hours=1))],
            by=worker,
        )
    assert str(refused.value) == "A session with attendance recorded cannot be removed."
    assert opportunity.sessions.get() == session


def test_a_cancelled_opportunity_cannot_be_edited_and_the_worker_is_told_why(worker):
    opportunity = OpportunityFactory(lead_worker=worker, status=Status.CANCELLED)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(opportunity=opportunity, sessions=[as_data(opportunity.sessions.get())], by=worker)
    assert str(refused.value) == "A completed or cancelled opportunity cannot be changed."


def test_adding_a_place_offers_it_to_the_first_person_waiting_and_the_history_says_who_added_it(worker):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=rep())
    waiting = signup_create(opportunity=opportunity, person=rep())
    opportunity.places = 2
    opportunity_save(opportunity=opportunity, sessions=[as_data(opportunity.sessions.get())], by=worker)
    waiting.refresh_from_db()
    assert waiting.state == State.OFFERED
    offered = waiting.events.order_by("pk").last()
    assert (offered.to_state, offered.actor) == (State.OFFERED, worker)


def test_only_a_worker_may_lead_and_the_form_says_so_by_the_field(worker, representative):
    opportunity = OpportunityFactory.build(lead_worker=representative)
    starts = timezone.now() + timedelta(days=20)
    with pytest.raises(OpportunityError) as refused:
        opportunity_save(
            opportunity=opportunity,
            sessions=[SessionData(starts_at=starts, ends_at=starts + timedelta(hours=2))],
            by=worker,
        )
    assert str(refused.value) == "Choose an involvement worker to lead this opportunity."
    assert refused.value.field == "lead_worker"


# --- opportunities.py: publish, cancel, duplicate --------------------------------------------------


def test_publishing_is_refused_at_the_edges_and_says_why(worker):
    draft = OpportunityFactory(status=Status.DRAFT)
    draft.sessions.all().delete()
    with pytest.raises(OpportunityError) as refused:
        opportunity_publish(opportunity=draft, by=worker)
    assert str(refused.value) == "Add at least one session before publishing."

    draft = OpportunityFactory(status=Status.DRAFT)
    with time_machine.travel(draft.starts_at, tick=False), pytest.raises(OpportunityError) as refused:
        opportunity_publish(opportunity=draft, by=worker)
    assert str(refused.value) == "The first session has already started: change the dates before publishing."

    with time_machine.travel(draft.signup_deadline, tick=False), pytest.raises(OpportunityError) as refused:
        opportunity_publish(opportunity=draft, by=worker)
    assert str(refused.value) == "The sign-up deadline has passed: change it before publishing."
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_cancelling_needs_a_reason_which_each_person_is_sent_and_the_history_keeps(worker):
    opportunity = OpportunityFactory()
    signup = signup_create(opportunity=opportunity, person=rep())
    with pytest.raises(OpportunityError) as refused:
        opportunity_cancel(opportunity=opportunity, by=worker, reason="  ")
    assert str(refused.value) == "Give a reason: it is sent to everyone who signed up."

    opportunity_cancel(opportunity=opportunity, by=worker, reason="The panel has been postponed.")
    cancelled = signup.events.order_by("pk").last()
    assert (cancelled.to_state, cancelled.actor, cancelled.reason) == (
        State.CANCELLED,
        worker,
        "The panel has been postponed.",
    )
    told = Message.objects.get(recipient=signup.person, kind=Kind.OPPORTUNITY_CANCELLED)
    assert told.subject == f"Cancelled: {opportunity.title}"
    assert f"We are sorry: {opportunity.title} has been cancelled." in told.body_text


def test_a_copy_is_a_fresh_draft_with_the_same_sessions_and_a_title_that_fits(worker, other_worker):
    long_title = "A" * 150
    opportunity = OpportunityFactory(lead_worker=worker, title=long_title, format="hybrid")
    opportunity.sessions.update(joining_link="https://meet.example.org/panel")
    opportunity_cancel(opportunity=opportunity, by=worker, reason="Postponed.")
    copy = opportunity_duplicate(opportunity=opportunity, by=other_worker)
    copy.refresh_from_db()
    assert copy.title == ("Copy of " + long_title)[:150]
    assert (copy.status, copy.cancel_reason, copy.created_by) == (Status.DRAFT, "", other_worker)
    original, copied = opportunity.sessions.get(), copy.sessions.get()
    assert (copied.area, copied.location, copied.joining_link) == (
        original.area,
        original.location,
        original.joining_link,
    )


def test_a_selection_confirmed_twice_or_too_early_says_why(worker):
    opportunity = fair_share()
    draw = selection_preview(opportunity=opportunity, by=worker)
    with pytest.raises(OpportunityError) as refused:
        selection_run(opportunity=opportunity, draw=draw, by=worker)
    assert str(refused.value) == (
        "Places can be offered only after the sign-up deadline, "
        f"{nhs_datetime(opportunity.signup_deadline)}. Until then the ranking is provisional."
    )
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
        selection_run(opportunity=opportunity, draw=draw, by=worker)
        with pytest.raises(OpportunityError) as refused:
            selection_run(opportunity=opportunity, draw=draw, by=worker)
    assert str(refused.value) == "This selection has already been confirmed."


def test_a_preview_records_who_made_it_and_a_seed_that_gives_its_ranking_again(worker):
    """Anyone checking a selection can work its ranking out again from the seed recorded
    with it: a random one of 128 bits, made afresh for each preview."""
    opportunity = fair_share(applicants=4)
    draw = selection_preview(opportunity=opportunity, by=worker)
    draw.refresh_from_db()
    assert draw.run_by == worker
    assert re.fullmatch(r"[0-9a-f]{32}", draw.seed), draw.seed
    again = selection_rank(opportunity=opportunity, seed=draw.seed)
    assert [r.as_record() for r in again] == draw.ranking
    applicants = opportunity.signups.values_list("pk", "person_id")
    assert sorted((r["signup_id"], r["person_id"]) for r in draw.ranking) == sorted(applicants)
    assert sorted(r["rank"] for r in draw.ranking) == [1, 2, 3, 4]
    # Newcomers all: none involved before, none in the last 12 months.
    assert {(r["never_involved"], r["activities_last_year"]) for r in draw.ranking} == {(True, 0)}


def test_an_activity_that_ended_just_over_a_year_ago_is_not_one_of_the_last_12_months():
    """ "The last 12 months" is 365 days back from now: an activity that ended 365 and a half
    days ago still makes the person someone involved before, but not recently."""
    person_ = rep()
    ended = timezone.now() - timedelta(days=365, hours=12)
    past = OpportunityFactory(sessions=[(ended - timedelta(hours=2), ended)])
    SignUp.objects.create(opportunity=past, person=person_, state=State.ATTENDED)
    opportunity = OpportunityFactory(selection_method="fair_share")
    signup_create(opportunity=opportunity, person=person_)
    [ranked] = selection_rank(opportunity=opportunity, seed="a recorded seed")
    assert (ranked.never_involved, ranked.activities_last_year) == (False, 0)
    assert ranked.reason.startswith("0 activities in the last 12 months; random draw ")


# --- every service that tells many people: no query per person -----------------------------------

LAZY_LOAD = re.compile(r'FROM "(accounts_user|opportunities_opportunity)" WHERE "\1"\."id" = \d+ LIMIT 21$')


def rows_read_one_by_one(operation) -> int:
    """How many people or opportunities `operation` reads one at a time by id (what a missing
    select_related costs: one query for each person told)."""
    with CaptureQueriesContext(connection) as queries:
        operation()
    return sum(1 for query in queries.captured_queries if LAZY_LOAD.search(query["sql"]))


def passed_over(worker, people):
    opportunity = OpportunityFactory(places=1)
    for position in range(1, people + 1):
        SignUp.objects.create(
            opportunity=opportunity, person=rep(), state=State.WAITLISTED, waitlist_position=position
        )
    last = SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.NOT_SELECTED)
    return lambda: offer_passes_over(signup=SignUp.objects.get(pk=last.pk))


def a_preview(worker, people):
    opportunity = fair_share(places=1, applicants=people)
    return lambda: selection_preview(opportunity=opportunity, by=worker)


def a_selection(worker, people):
    opportunity = fair_share(places=1, applicants=people)
    draw = selection_preview(opportunity=opportunity, by=worker)

    def run():
        with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
            selection_run(opportunity=opportunity, draw=draw, by=worker)

    return run


def a_cancellation(worker, people):
    opportunity = OpportunityFactory(places=people)
    for _ in range(people):
        signup_create(opportunity=opportunity, person=rep())
    return lambda: opportunity_cancel(opportunity=opportunity, by=worker, reason="Postponed.")


def a_completion(worker, people):
    start = timezone.now() - timedelta(days=2)
    opportunity = OpportunityFactory(sessions=[(start, start + timedelta(hours=2))])
    for _ in range(people):
        SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.APPLIED)
    return lambda: opportunity_complete(opportunity=opportunity, by=worker)


def offers_lapsing(worker, people):
    opportunity = OpportunityFactory(places=people)
    holders = [rep() for _ in range(people)]
    held = [signup_create(opportunity=opportunity, person=someone) for someone in holders]
    for _ in range(people):
        signup_create(opportunity=opportunity, person=rep())
    for signup, someone in zip(held, holders, strict=True):
        signup_withdraw(signup=signup, person=someone)
    later = timezone.now() + timedelta(hours=49)
    return lambda: offers_expire(now=later)


def reminders(worker, people):
    start = timezone.now() + timedelta(hours=30)
    opportunity = OpportunityFactory(places=people, sessions=[(start, start + timedelta(hours=1))])
    for _ in range(people):
        signup_create(opportunity=opportunity, person=rep())
    return reminders_send


def a_session_moved(worker, people):
    opportunity = OpportunityFactory(lead_worker=worker, places=people)
    for _ in range(people):
        signup_create(opportunity=opportunity, person=rep())
    session = opportunity.sessions.get()
    moved = as_data(
        session,
        starts_at=session.starts_at + timedelta(hours=1),
        ends_at=session.ends_at + timedelta(hours=1),
    )
    return lambda: opportunity_save(opportunity=opportunity, sessions=[moved], by=worker)


@pytest.mark.parametrize(
    "setup",
    [
        passed_over,
        a_preview,
        a_selection,
        a_cancellation,
        a_completion,
        offers_lapsing,
        reminders,
        a_session_moved,
    ],
)
def test_telling_three_people_reads_no_more_rows_one_by_one_than_telling_one(worker, setup):
    """Each of these tells everyone concerned; each person and their opportunity come with
    their sign-up, so the work of a selection of 200 applicants stays in a few queries per
    person, none of them to find out who the person is."""
    assert rows_read_one_by_one(setup(worker, 3)) == rows_read_one_by_one(setup(worker, 1))


def test_completing_declines_an_open_offer_and_the_history_says_the_activity_has_finished(worker):
    """Someone offered a place that was never accepted declined it in effect; someone who
    applied or waited was not selected. Each history says why."""
    start = timezone.now() - timedelta(days=2)
    opportunity = OpportunityFactory(sessions=[(start, start + timedelta(hours=2))])
    offered = SignUp.objects.create(
        opportunity=opportunity,
        person=rep(),
        state=State.OFFERED,
        place_number=1,
        offer_expires_at=timezone.now() + timedelta(hours=1),
    )
    waiting = SignUp.objects.create(
        opportunity=opportunity, person=rep(), state=State.WAITLISTED, waitlist_position=1
    )
    opportunity_complete(opportunity=opportunity, by=worker)
    for signup, to_state in [(offered, State.DECLINED), (waiting, State.NOT_SELECTED)]:
        moved = signup.events.order_by("pk").last()
        assert (moved.from_state, moved.to_state, moved.actor, moved.reason) == (
            signup.state,
            to_state,
            worker,
            "The activity has finished.",
        )
        told = Message.objects.filter(recipient=signup.person).latest("pk")
        assert told.content.subject == f"About your application: {opportunity.title}"


def test_a_change_of_status_that_is_not_allowed_says_which(worker):
    draft = OpportunityFactory(status=Status.DRAFT)
    with pytest.raises(OpportunityError) as refused:
        opportunity_close(opportunity=draft, by=worker)
    assert str(refused.value) == "A draft opportunity cannot be made closed."
    # A draft cancelled was never published, and the record says so.
    opportunity_cancel(opportunity=draft, by=worker, reason="Not needed after all.")
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (Status.CANCELLED, None)


def test_reopening_a_closed_opportunity_keeps_when_it_was_first_published(worker):
    opportunity = OpportunityFactory(status=Status.DRAFT)
    opportunity_publish(opportunity=opportunity, by=worker)
    opportunity.refresh_from_db()
    first_published = opportunity.published_at
    assert first_published is not None
    opportunity_close(opportunity=opportunity, by=worker)
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        opportunity_publish(opportunity=opportunity, by=worker)
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.published_at) == (Status.PUBLISHED, first_published)


def test_the_draw_a_recorded_seed_gives_never_changes():
    """A selection is checked later by working its ranking out again from its seed, perhaps
    after the code has changed: the same seed must give the same draw in every version."""
    opportunity = fair_share(applicants=2)
    ranked = selection_rank(opportunity=opportunity, seed="a recorded seed")
    assert sorted(round(r.draw, 6) for r in ranked) == [0.208476, 0.318213]


def test_only_an_application_not_selected_in_the_last_12_months_gives_priority():
    recently_turned_down, long_ago, went_elsewhere = rep(), rep(), rep()
    SignUp.objects.create(
        opportunity=OpportunityFactory(), person=recently_turned_down, state=State.NOT_SELECTED
    )
    old = SignUp.objects.create(opportunity=OpportunityFactory(), person=long_ago, state=State.NOT_SELECTED)
    SignUp.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    SignUp.objects.create(opportunity=OpportunityFactory(), person=went_elsewhere, state=State.WITHDRAWN)
    opportunity = OpportunityFactory(selection_method="fair_share")
    for someone in (recently_turned_down, long_ago, went_elsewhere):
        signup_create(opportunity=opportunity, person=someone)
    ranked = {r.person_id: r for r in selection_rank(opportunity=opportunity, seed="a recorded seed")}
    assert ranked[recently_turned_down.pk].not_selected_last_time
    assert not ranked[long_ago.pk].not_selected_last_time
    assert not ranked[went_elsewhere.pk].not_selected_last_time


# --- states.py, with the full test selection (cc819dc) ---------------------------------------------


def test_each_refusal_of_a_sign_up_or_of_completing_says_why_word_for_word():
    draft = OpportunityFactory(status=Status.DRAFT)
    assert (
        signup_create_refusal(opportunity=draft, signup=None) == "This opportunity is not open for sign-ups."
    )
    assert (
        opportunity_complete_refusal(opportunity=draft) == "A draft opportunity cannot be marked completed."
    )

    cancelled = OpportunityFactory(status=Status.CANCELLED)
    signup = SignUp.objects.create(opportunity=cancelled, person=rep(), state=State.CANCELLED)
    assert signup_action_refusal(signup=signup, opportunity=cancelled, action=WITHDRAW) == (
        "This activity has finished or been cancelled, so the sign-up cannot change now."
    )
    running = OpportunityFactory()
    withdrawn = SignUp.objects.create(opportunity=running, person=rep(), state=State.WITHDRAWN)
    assert signup_action_refusal(signup=withdrawn, opportunity=running, action=WITHDRAW) == (
        "There is nothing to withdraw from."
    )
    confirmed = SignUp.objects.create(
        opportunity=running, person=rep(), state=State.CONFIRMED, place_number=1
    )
    assert (
        signup_create_refusal(opportunity=running, signup=confirmed) == "You have already signed up for this."
    )


def test_an_offer_cannot_be_accepted_at_the_very_moment_it_expires():
    opportunity = OpportunityFactory()
    expires = timezone.now() + timedelta(hours=1)
    offer = SignUp.objects.create(
        opportunity=opportunity, person=rep(), state=State.OFFERED, place_number=1, offer_expires_at=expires
    )
    assert signup_action_refusal(signup=offer, opportunity=opportunity, action=ACCEPT, now=expires) == (
        "Sorry, this offer has expired."
    )


def test_an_opportunity_may_be_completed_at_the_very_moment_its_last_session_ends():
    start = timezone.now() - timedelta(hours=2)
    opportunity = OpportunityFactory(sessions=[(start, start + timedelta(hours=1))])
    assert opportunity_complete_refusal(opportunity=opportunity, now=opportunity.ends_at) == ""
