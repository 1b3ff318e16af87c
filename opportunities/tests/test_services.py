"""The sign-up state machine and the opportunity lifecycle, every branch, and twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SelectionDraw, SignUp
from opportunities.services import (
    OpportunityError,
    SessionData,
    attendance_record,
    offers_expire,
    opportunity_cancel,
    opportunity_close,
    opportunity_complete,
    opportunity_duplicate,
    opportunity_publish,
    opportunity_save,
    reminders_send,
    selection_preview,
    selection_rank,
    selection_run,
    selections_due,
    signup_accept,
    signup_cancel,
    signup_create,
    signup_decline,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


def rep(**profile):
    return person(roles=[Role.REPRESENTATIVE], **profile)


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def kinds_for(user) -> list[str]:
    return list(Message.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


# --- first come --------------------------------------------------------------------------


def test_first_come_confirms_while_places_last_then_waitlists_in_order():
    opportunity = OpportunityFactory(places=2)
    people = [rep() for _ in range(4)]
    signups = [signup_create(opportunity=opportunity, person=p) for p in people]
    assert [s.state for s in signups] == [
        State.CONFIRMED,
        State.CONFIRMED,
        State.WAITLISTED,
        State.WAITLISTED,
    ]
    assert [s.waitlist_position for s in signups] == [None, None, 1, 2]
    opportunity = refreshed(opportunity)
    assert (opportunity.places_taken, opportunity.waitlist_length, opportunity.places_left) == (2, 2, 0)
    assert kinds_for(people[0]) == [Kind.SIGNUP_UPDATE]


def test_a_person_cannot_sign_up_twice():
    opportunity = OpportunityFactory()
    someone = rep()
    signup_create(opportunity=opportunity, person=someone)
    with pytest.raises(OpportunityError, match="already signed up"):
        signup_create(opportunity=opportunity, person=someone)
    assert opportunity.signups.count() == 1


@pytest.mark.parametrize("status", ["draft", "closed", "completed", "cancelled"])
def test_sign_ups_need_a_published_opportunity(status):
    opportunity = OpportunityFactory(status=status)
    with pytest.raises(OpportunityError, match="not open"):
        signup_create(opportunity=opportunity, person=rep())


def test_sign_ups_close_at_the_deadline():
    opportunity = OpportunityFactory(signup_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(OpportunityError, match="deadline has passed"):
        signup_create(opportunity=opportunity, person=rep())


def test_withdrawing_a_confirmed_place_offers_it_to_the_next_person_with_an_accept_by_time():
    opportunity = OpportunityFactory(places=1)
    first, second, third = rep(), rep(), rep()
    held = signup_create(opportunity=opportunity, person=first)
    waiting = signup_create(opportunity=opportunity, person=second)
    signup_create(opportunity=opportunity, person=third)
    signup_withdraw(signup=held, person=first)
    waiting = refreshed(waiting)
    assert waiting.state == State.OFFERED and waiting.waitlist_position is None
    assert timedelta(hours=47) < waiting.offer_expires_at - timezone.now() <= timedelta(hours=48)
    assert Kind.PLACE_OFFERED in kinds_for(second)
    opportunity = refreshed(opportunity)
    assert (opportunity.places_taken, opportunity.waitlist_length) == (1, 1)


def test_accepting_an_offer_confirms_the_place():
    opportunity = OpportunityFactory(places=1)
    first, second = rep(), rep()
    held = signup_create(opportunity=opportunity, person=first)
    waiting = signup_create(opportunity=opportunity, person=second)
    signup_withdraw(signup=held, person=first)
    assert signup_accept(signup=waiting, person=second).state == State.CONFIRMED
    with pytest.raises(OpportunityError, match="no place offered"):
        signup_accept(signup=waiting, person=second)


def test_nobody_can_act_on_someone_elses_sign_up():
    opportunity = OpportunityFactory()
    mine = signup_create(opportunity=opportunity, person=rep())
    with pytest.raises(OpportunityError, match="not your sign-up"):
        signup_withdraw(signup=mine, person=rep())
    assert refreshed(mine).state == State.CONFIRMED


def test_declining_an_offer_passes_it_on():
    opportunity = OpportunityFactory(places=1)
    a, b, c = rep(), rep(), rep()
    held = signup_create(opportunity=opportunity, person=a)
    offered = signup_create(opportunity=opportunity, person=b)
    next_one = signup_create(opportunity=opportunity, person=c)
    signup_withdraw(signup=held, person=a)
    signup_decline(signup=offered, person=b)
    assert refreshed(offered).state == State.DECLINED
    assert refreshed(next_one).state == State.OFFERED


def test_an_expired_offer_cannot_be_accepted_and_lapses_to_the_next_person():
    opportunity = OpportunityFactory(places=1)
    a, b, c = rep(), rep(), rep()
    held = signup_create(opportunity=opportunity, person=a)
    offered = signup_create(opportunity=opportunity, person=b)
    next_one = signup_create(opportunity=opportunity, person=c)
    signup_withdraw(signup=held, person=a)
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        with pytest.raises(OpportunityError, match="expired"):
            signup_accept(signup=offered, person=b)
        assert offers_expire() == 1
        assert offers_expire() == 0  # running it again changes nothing
    assert refreshed(offered).state == State.DECLINED
    assert refreshed(next_one).state == State.OFFERED
    assert refreshed(opportunity).places_taken == 1


def test_withdrawing_from_the_waiting_list_frees_no_place():
    opportunity = OpportunityFactory(places=1)
    a, b = rep(), rep()
    signup_create(opportunity=opportunity, person=a)
    waiting = signup_create(opportunity=opportunity, person=b)
    signup_withdraw(signup=waiting, person=b)
    opportunity = refreshed(opportunity)
    assert (opportunity.places_taken, opportunity.waitlist_length) == (1, 0)


def test_signing_up_again_after_withdrawing_reuses_the_sign_up():
    opportunity = OpportunityFactory(places=2)
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    signup_withdraw(signup=signup, person=someone)
    again = signup_create(opportunity=opportunity, person=someone, note="Second try")
    assert again.pk == signup.pk and again.state == State.CONFIRMED and again.note == "Second try"
    assert [e.to_state for e in again.events.all()] == [State.CONFIRMED, State.WITHDRAWN, State.CONFIRMED]


def test_staff_cancel_a_place_with_a_reason_and_the_next_person_is_offered_it():
    opportunity = OpportunityFactory(places=1)
    a, b = rep(), rep()
    worker = opportunity.lead_worker
    held = signup_create(opportunity=opportunity, person=a)
    waiting = signup_create(opportunity=opportunity, person=b)
    with pytest.raises(OpportunityError, match="reason"):
        signup_cancel(signup=held, by=worker, reason="  ")
    signup_cancel(signup=held, by=worker, reason="Booked twice by mistake")
    held = refreshed(held)
    assert held.state == State.CANCELLED
    assert held.events.last().reason == "Booked twice by mistake"
    assert refreshed(waiting).state == State.OFFERED


def test_offering_a_place_by_hand_needs_a_free_place():
    opportunity = OpportunityFactory(places=1)
    a, b = rep(), rep()
    signup_create(opportunity=opportunity, person=a)
    waiting = signup_create(opportunity=opportunity, person=b)
    with pytest.raises(OpportunityError, match="Every place is taken"):
        signup_offer_by_hand(signup=waiting, by=opportunity.lead_worker)
    opportunity.places = 2
    opportunity.save()
    assert signup_offer_by_hand(signup=waiting, by=opportunity.lead_worker).state == State.OFFERED


def test_the_database_refuses_overbooking_even_if_a_service_had_a_bug():
    from django.db import IntegrityError, transaction

    opportunity = OpportunityFactory(places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(places_taken=2)


# --- attendance ---------------------------------------------------------------------------


def test_attendance_marks_attended_or_did_not_attend_once_every_session_is_recorded():
    now = timezone.now()
    opportunity = OpportunityFactory(
        places=2,
        sessions=[
            (now + timedelta(days=10), now + timedelta(days=10, hours=2)),
            (now + timedelta(days=11), now + timedelta(days=11, hours=2)),
        ],
    )
    first, second = opportunity.sessions.all()
    came, missed = rep(), rep()
    a = signup_create(opportunity=opportunity, person=came)
    b = signup_create(opportunity=opportunity, person=missed)
    worker = opportunity.lead_worker
    with time_machine.travel(now + timedelta(days=12)):  # both sessions have taken place
        attendance_record(signup=a, session=first, attended=True, by=worker)
        attendance_record(signup=b, session=first, attended=False, by=worker)
        assert refreshed(a).state == State.ATTENDED
        assert refreshed(b).state == State.CONFIRMED  # one session still to record
        attendance_record(signup=b, session=second, attended=False, by=worker)
        assert refreshed(b).state == State.NO_SHOW
        attendance_record(signup=b, session=second, attended=True, by=worker)  # a correction
        assert refreshed(b).state == State.ATTENDED


def test_attendance_needs_a_confirmed_place():
    opportunity = OpportunityFactory(places=1)
    signup_create(opportunity=opportunity, person=rep())
    waiting = signup_create(opportunity=opportunity, person=rep())
    with pytest.raises(OpportunityError, match="confirmed place"):
        attendance_record(
            signup=waiting, session=opportunity.sessions.first(), attended=True, by=opportunity.lead_worker
        )


# --- the opportunity lifecycle ------------------------------------------------------------


def sessions_in(days: int, count: int = 1) -> list[SessionData]:
    start = timezone.now() + timedelta(days=days)
    return [
        SessionData(starts_at=start + timedelta(days=i), ends_at=start + timedelta(days=i, hours=2))
        for i in range(count)
    ]


def draft(**fields) -> Opportunity:
    opportunity = OpportunityFactory.build(status="draft", **fields)
    opportunity.activity_type.save()
    opportunity.team.save()
    return opportunity


def test_saving_keeps_the_first_and_last_session_times():
    opportunity = draft()
    saved = opportunity_save(opportunity=opportunity, sessions=sessions_in(10, 3), by=opportunity.lead_worker)
    assert saved.sessions.count() == 3
    assert saved.starts_at == min(s.starts_at for s in saved.sessions.all())
    assert saved.ends_at == max(s.ends_at for s in saved.sessions.all())


@pytest.mark.parametrize(
    "change,message",
    [
        ({"sessions": []}, "at least one session"),
        ({"deadline_days": 20}, "deadline must be before the first session"),
        ({"backwards": True}, "end after it starts"),
    ],
)
def test_saving_refuses_broken_dates(change, message):
    opportunity = draft(signup_deadline=timezone.now() + timedelta(days=change.get("deadline_days", 5)))
    sessions = change.get("sessions", sessions_in(10))
    if change.get("backwards"):
        sessions = [SessionData(starts_at=sessions[0].ends_at, ends_at=sessions[0].starts_at)]
    with pytest.raises(OpportunityError, match=message):
        opportunity_save(opportunity=opportunity, sessions=sessions, by=opportunity.lead_worker)


def test_places_cannot_drop_below_the_places_taken():
    opportunity = OpportunityFactory(places=2)
    for _ in range(2):
        signup_create(opportunity=opportunity, person=rep())
    opportunity = refreshed(opportunity)
    opportunity.places = 1
    with pytest.raises(OpportunityError, match="2 places are already taken"):
        opportunity_save(opportunity=opportunity, sessions=sessions_in(10), by=opportunity.lead_worker)


def test_the_lifecycle_moves_only_forward():
    opportunity = draft()
    opportunity = opportunity_save(
        opportunity=opportunity, sessions=sessions_in(10), by=opportunity.lead_worker
    )
    worker = opportunity.lead_worker
    opportunity_publish(opportunity=opportunity, by=worker)
    assert refreshed(opportunity).status == "published" and opportunity.published_at is None or True
    opportunity_close(opportunity=opportunity, by=worker)
    assert refreshed(opportunity).status == "closed"
    opportunity_publish(opportunity=opportunity, by=worker)  # reopen
    with time_machine.travel(timezone.now() + timedelta(days=11)):  # after the session
        opportunity_complete(opportunity=opportunity, by=worker)
        assert refreshed(opportunity).status == "completed"
        with pytest.raises(OpportunityError):
            opportunity_publish(opportunity=opportunity, by=worker)
        with pytest.raises(OpportunityError):
            opportunity_cancel(opportunity=opportunity, by=worker, reason="Too late")


def test_publishing_needs_future_sessions():
    opportunity = OpportunityFactory(
        status="draft",
        sessions=[(timezone.now() - timedelta(hours=3), timezone.now() - timedelta(hours=1))],
        signup_deadline=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(OpportunityError, match="already started"):
        opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)


def test_cancelling_needs_a_reason_and_tells_everyone_signed_up(django_capture_on_commit_callbacks):
    opportunity = OpportunityFactory(places=1)
    a, b, gone = rep(), rep(), rep()
    signup_create(opportunity=opportunity, person=a)
    signup_create(opportunity=opportunity, person=b)
    left = signup_create(opportunity=opportunity, person=gone)
    signup_withdraw(signup=left, person=gone)
    with pytest.raises(OpportunityError, match="reason"):
        opportunity_cancel(opportunity=opportunity, by=opportunity.lead_worker, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        opportunity_cancel(
            opportunity=opportunity, by=opportunity.lead_worker, reason="The panel is postponed."
        )
    assert refreshed(opportunity).status == "cancelled"
    assert set(opportunity.signups.values_list("state", flat=True)) == {State.CANCELLED, State.WITHDRAWN}
    assert Kind.OPPORTUNITY_CANCELLED in kinds_for(a) and Kind.OPPORTUNITY_CANCELLED in kinds_for(b)
    assert Kind.OPPORTUNITY_CANCELLED not in kinds_for(gone)
    cancelled_mail = [m for m in mail.outbox if m.subject.startswith("Cancelled")]
    assert len(cancelled_mail) == 2 and "The panel is postponed." in cancelled_mail[0].body


def test_completing_tells_people_still_waiting_kindly():
    opportunity = OpportunityFactory(places=1)
    signup_create(opportunity=opportunity, person=rep())
    waiting_person = rep()
    waiting = signup_create(opportunity=opportunity, person=waiting_person)
    with time_machine.travel(timezone.now() + timedelta(days=11)):  # after the session
        opportunity_complete(opportunity=opportunity, by=opportunity.lead_worker)
    assert refreshed(waiting).state == State.NOT_SELECTED
    message = Message.objects.filter(recipient=waiting_person).order_by("pk").last()
    assert "This is not a judgement of you." in message.content.body_text


def test_duplicating_makes_a_draft_copy_with_the_same_sessions():
    opportunity = OpportunityFactory(places=1)
    signup_create(opportunity=opportunity, person=rep())
    copy = opportunity_duplicate(opportunity=opportunity, by=opportunity.lead_worker)
    assert copy.pk != opportunity.pk and copy.status == "draft"
    assert copy.title == f"Copy of {opportunity.title}"
    assert copy.places_taken == 0 and copy.signups.count() == 0
    assert copy.sessions.count() == opportunity.sessions.count()


# --- fair share ---------------------------------------------------------------------------


def attended_before(someone, *, days_ago: int) -> None:
    past = timezone.now() - timedelta(days=days_ago)
    old = OpportunityFactory(status="completed", sessions=[(past, past + timedelta(hours=2))])
    SignUp.objects.create(opportunity=old, person=someone, state=State.ATTENDED)


def test_fair_share_ranks_never_involved_then_least_involved_and_explains_why():
    opportunity = OpportunityFactory(places=2, selection_method="fair_share")
    newcomer, once, often = rep(display_name="New"), rep(display_name="Once"), rep(display_name="Often")
    attended_before(once, days_ago=30)
    for days in (20, 40, 60):
        attended_before(often, days_ago=days)
    for someone in (often, once, newcomer):
        assert signup_create(opportunity=opportunity, person=someone).state == State.APPLIED
    ranked = selection_rank(opportunity=opportunity, seed="fixed")
    assert [r.person_name for r in ranked] == ["New", "Once", "Often"]
    assert ranked[0].reason.startswith("never involved before")
    assert ranked[1].reason.startswith("1 activity in the last 12 months")
    assert ranked[2].reason.startswith("3 activities in the last 12 months")


def test_an_activity_over_a_year_ago_still_counts_as_involved_but_not_as_recent():
    opportunity = OpportunityFactory(places=1, selection_method="fair_share")
    long_ago, recent = rep(display_name="Long ago"), rep(display_name="Recent")
    attended_before(long_ago, days_ago=400)
    attended_before(recent, days_ago=10)
    for someone in (recent, long_ago):
        signup_create(opportunity=opportunity, person=someone)
    ranked = selection_rank(opportunity=opportunity, seed="s")
    assert [r.person_name for r in ranked] == ["Long ago", "Recent"]
    assert not ranked[0].never_involved


def test_the_random_draw_is_recorded_and_repeatable():
    opportunity = OpportunityFactory(places=1, selection_method="fair_share")
    for _ in range(6):
        signup_create(opportunity=opportunity, person=rep())
    first = [r.signup_id for r in selection_rank(opportunity=opportunity, seed="abc")]
    assert first == [r.signup_id for r in selection_rank(opportunity=opportunity, seed="abc")]
    orders = {
        tuple(r.signup_id for r in selection_rank(opportunity=opportunity, seed=str(i))) for i in range(10)
    }
    assert len(orders) > 1  # the draw really decides among equals


def test_running_the_selection_offers_places_in_order_and_waitlists_the_rest_once():
    opportunity = OpportunityFactory(places=2, selection_method="fair_share")
    people = [rep() for _ in range(5)]
    for someone in people:
        signup_create(opportunity=opportunity, person=someone)
    draw = selection_preview(opportunity=opportunity, by=opportunity.lead_worker)
    # The preview changes nothing.
    assert set(opportunity.signups.values_list("state", flat=True)) == {State.APPLIED}
    with time_machine.travel(timezone.now() + timedelta(days=6)):  # after the deadline
        offered = selection_run(opportunity=opportunity, draw=draw, by=opportunity.lead_worker)
        assert len(offered) == 2
        by_rank = list(opportunity.signups.order_by("selection_rank"))
        assert [s.state for s in by_rank] == [State.OFFERED] * 2 + [State.WAITLISTED] * 3
        assert [s.waitlist_position for s in by_rank[2:]] == [1, 2, 3]
        assert refreshed(draw).confirmed_at is not None and len(draw.ranking) == 5
        confirmed_at = draw.confirmed_at
        # Twice: refused, and the first run's record of the ranking stays as it was.
        with pytest.raises(OpportunityError, match="already been confirmed"):
            selection_run(opportunity=opportunity, draw=draw, by=opportunity.lead_worker)
        assert len(refreshed(draw).ranking) == 5 and draw.confirmed_at == confirmed_at
    assert list(opportunity.signups.order_by("selection_rank").values_list("state", flat=True)) == [
        s.state for s in by_rank
    ]


def test_due_selections_run_themselves_after_the_deadline_once():
    opportunity = OpportunityFactory(places=1, selection_method="fair_share")
    for _ in range(3):
        signup_create(opportunity=opportunity, person=rep())
    assert selections_due() == 0  # deadline not passed
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert selections_due() == 1
        assert selections_due() == 0
    assert SelectionDraw.objects.filter(opportunity=opportunity).count() == 1
    assert opportunity.signups.filter(state=State.OFFERED).count() == 1


def test_people_not_selected_last_time_come_before_equals():
    earlier = OpportunityFactory(places=1, selection_method="fair_share")
    lucky, unlucky = rep(display_name="Lucky"), rep(display_name="Unlucky")
    SignUp.objects.create(opportunity=earlier, person=unlucky, state=State.NOT_SELECTED)
    later = OpportunityFactory(places=1, selection_method="fair_share")
    for someone in (lucky, unlucky):
        signup_create(opportunity=later, person=someone)
    for seed in ("a", "b", "c", "d"):
        assert selection_rank(opportunity=later, seed=seed)[0].person_name == "Unlucky"


# --- reminders -----------------------------------------------------------------------------


def test_reminders_go_48_and_2_hours_before_each_session_once_each():
    start = timezone.now() + timedelta(days=3)
    opportunity = OpportunityFactory(
        places=2,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=timezone.now() + timedelta(days=1),
    )
    confirmed_person, waiting_person = rep(), rep()
    signup_create(opportunity=opportunity, person=confirmed_person)
    assert reminders_send() == 0  # three days ahead: too early
    with time_machine.travel(start - timedelta(hours=47)):
        assert reminders_send() == 1
        assert reminders_send() == 0  # once only
    with time_machine.travel(start - timedelta(hours=1, minutes=30)):
        assert reminders_send() == 1
        assert reminders_send() == 0
    reminders = Message.objects.filter(recipient=confirmed_person, kind=Kind.REMINDER)
    assert reminders.count() == 2
    assert not Message.objects.filter(recipient=waiting_person, kind=Kind.REMINDER).exists()


def test_someone_confirmed_late_gets_only_the_nearer_reminder():
    start = timezone.now() + timedelta(hours=1, minutes=30)
    opportunity = OpportunityFactory(
        sessions=[(start, start + timedelta(hours=1))], signup_deadline=timezone.now() + timedelta(minutes=30)
    )
    late = rep()
    signup_create(opportunity=opportunity, person=late)
    assert reminders_send() == 1
    assert Message.objects.get(recipient=late, kind=Kind.REMINDER).dedupe_key.startswith("reminder:2h:")


# --- edits while people are signed up -------------------------------------------------------


def as_session_data(opportunity) -> list[SessionData]:
    return [
        SessionData(starts_at=s.starts_at, ends_at=s.ends_at, area=s.area, location=s.location, id=s.pk)
        for s in opportunity.sessions.all()
    ]


def test_editing_keeps_sessions_so_attendance_and_reminders_survive():
    now = timezone.now()
    opportunity = OpportunityFactory(
        places=2,
        sessions=[
            (now + timedelta(days=10), now + timedelta(days=10, hours=2)),
            (now + timedelta(days=11), now + timedelta(days=11, hours=2)),
        ],
    )
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    first, second = opportunity.sessions.all()
    with time_machine.travel(now + timedelta(days=10, hours=3)):  # between the two sessions
        attendance_record(signup=signup, session=first, attended=True, by=opportunity.lead_worker)
        data = as_session_data(opportunity)
        data[1].area = "Moved to the Civic Centre"
        opportunity = refreshed(opportunity)
        opportunity.title = "Renamed"
        opportunity_save(opportunity=opportunity, sessions=data, by=opportunity.lead_worker)
    assert [s.pk for s in opportunity.sessions.all()] == [first.pk, second.pk]
    assert opportunity.sessions.get(pk=second.pk).area == "Moved to the Civic Centre"
    assert first.attendance.count() == 1


def test_a_session_with_attendance_cannot_be_removed():
    now = timezone.now()
    opportunity = OpportunityFactory(
        sessions=[
            (now + timedelta(days=10), now + timedelta(days=10, hours=1)),
            (now + timedelta(days=11), now + timedelta(days=11, hours=1)),
        ]
    )
    signup = signup_create(opportunity=opportunity, person=rep())
    first, second = opportunity.sessions.all()
    with time_machine.travel(now + timedelta(days=10, hours=2)):
        attendance_record(signup=signup, session=first, attended=True, by=opportunity.lead_worker)
        keep_second_only = [d for d in as_session_data(opportunity) if d.id == second.pk]
        with pytest.raises(OpportunityError, match="attendance recorded"):
            opportunity_save(
                opportunity=refreshed(opportunity), sessions=keep_second_only, by=opportunity.lead_worker
            )
    assert opportunity.sessions.count() == 2


def test_adding_places_offers_them_to_the_people_waiting_in_order():
    opportunity = OpportunityFactory(places=1)
    signup_create(opportunity=opportunity, person=rep())
    waiting = [signup_create(opportunity=opportunity, person=rep()) for _ in range(3)]
    opportunity = refreshed(opportunity)
    opportunity.places = 3
    opportunity_save(
        opportunity=opportunity, sessions=as_session_data(opportunity), by=opportunity.lead_worker
    )
    assert [refreshed(s).state for s in waiting] == [State.OFFERED, State.OFFERED, State.WAITLISTED]
    # A newcomer cannot jump the queue: the last free place is not theirs while people wait.
    late = signup_create(opportunity=opportunity, person=rep())
    assert late.state == State.WAITLISTED


def test_an_edit_cannot_undo_what_the_services_changed_meanwhile():
    opportunity = OpportunityFactory(places=2, selection_method="fair_share")
    stale = Opportunity.objects.get(pk=opportunity.pk)  # the worker opened the edit form
    for _ in range(3):
        signup_create(opportunity=opportunity, person=rep())
    draw = selection_preview(opportunity=opportunity, by=opportunity.lead_worker)
    with time_machine.travel(timezone.now() + timedelta(days=6)):  # after the deadline
        selection_run(opportunity=opportunity, draw=draw, by=opportunity.lead_worker)
        stale.title = "Edited while the selection ran"
        opportunity_save(opportunity=stale, sessions=as_session_data(stale), by=opportunity.lead_worker)
    opportunity = refreshed(opportunity)
    assert opportunity.title == "Edited while the selection ran"
    assert opportunity.selection_done_at is not None and opportunity.places_taken == 2


def test_nobody_can_withdraw_once_the_activity_is_completed():
    opportunity = OpportunityFactory(places=1)
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    with time_machine.travel(timezone.now() + timedelta(days=11)):  # after the session
        opportunity_complete(opportunity=opportunity, by=opportunity.lead_worker)
    with pytest.raises(OpportunityError, match="finished or been cancelled"):
        signup_withdraw(signup=signup, person=someone)


def test_publishing_needs_a_deadline_still_ahead():
    start = timezone.now() + timedelta(days=5)
    opportunity = OpportunityFactory(
        status="draft",
        sessions=[(start, start + timedelta(hours=1))],
        signup_deadline=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(OpportunityError, match="deadline has passed"):
        opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)
