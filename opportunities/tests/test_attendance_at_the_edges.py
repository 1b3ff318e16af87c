"""Attendance at its edges: the refusals word for word, the very moment a session starts, and
who recorded what. Written for mutants of opportunities/services/signups.py that survived
(docs/testing.md): each test fails with its mutant."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Attendance, SignUp, SignUpEvent
from opportunities.services import (
    OpportunityError,
    attendance_record,
    attendance_record_session,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
LONDON = ZoneInfo("Europe/London")
# A Tuesday afternoon in British Summer Time, so that the words show the local time.
STARTS = datetime(2027, 6, 1, 14, 30, tzinfo=LONDON)


@pytest.fixture
def booked():
    """Two people with a place on an activity of one session, signed up a week before it."""
    with time_machine.travel(STARTS - timedelta(days=7), tick=False):
        opportunity = OpportunityFactory(
            places=2,
            sessions=[(STARTS, STARTS + timedelta(hours=2))],
            signup_deadline=STARTS - timedelta(days=1),
        )
        signups = [
            signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]))
            for _ in range(2)
        ]
    return {"opportunity": opportunity, "signups": signups, "session": opportunity.sessions.get()}


def test_attendance_before_the_session_starts_is_refused_with_its_date_and_time(booked, worker):
    first, _ = booked["signups"]
    with time_machine.travel(STARTS - timedelta(minutes=1), tick=False):
        for record in (
            lambda: attendance_record(signup=first, session=booked["session"], attended=True, by=worker),
            lambda: attendance_record_session(
                opportunity=booked["opportunity"],
                session_id=booked["session"].pk,
                attended={first.pk: True},
                by=worker,
            ),
        ):
            with pytest.raises(OpportunityError) as refused:
                record()
            assert str(refused.value) == (
                "Attendance can be recorded only once the session has started, "
                "on Tuesday 1 June 2027, 2:30pm."
            )
    assert not Attendance.objects.exists()


def test_attendance_may_be_recorded_at_the_very_moment_the_session_starts(booked, worker):
    first, second = booked["signups"]
    with time_machine.travel(STARTS, tick=False):
        attendance_record(signup=first, session=booked["session"], attended=True, by=worker)
        assert (
            attendance_record_session(
                opportunity=booked["opportunity"],
                session_id=booked["session"].pk,
                attended={second.pk: False},
                by=worker,
            )
            == 1
        )
    assert [SignUp.objects.get(pk=s.pk).state for s in (first, second)] == [State.ATTENDED, State.NO_SHOW]


def test_recording_with_no_session_chosen_says_so_word_for_word(booked, worker):
    first, _ = booked["signups"]
    with (
        time_machine.travel(STARTS + timedelta(minutes=5), tick=False),
        pytest.raises(OpportunityError) as refused,
    ):
        attendance_record_session(
            opportunity=booked["opportunity"], session_id=None, attended={first.pk: True}, by=worker
        )
    assert str(refused.value) == "Choose a session to record attendance for."


def test_the_record_and_the_history_say_which_worker_recorded_attendance(booked, worker, other_worker):
    first, second = booked["signups"]
    with time_machine.travel(STARTS + timedelta(minutes=5), tick=False):
        attendance_record(signup=first, session=booked["session"], attended=True, by=worker)
        attendance_record_session(
            opportunity=booked["opportunity"],
            session_id=booked["session"].pk,
            attended={second.pk: False},
            by=other_worker,
        )
    assert set(Attendance.objects.values_list("signup_id", "recorded_by_id")) == {
        (first.pk, worker.pk),
        (second.pk, other_worker.pk),
    }
    moves = SignUpEvent.objects.filter(to_state__in=[State.ATTENDED, State.NO_SHOW])
    assert set(moves.values_list("signup_id", "to_state", "actor_id", "reason")) == {
        (first.pk, State.ATTENDED, worker.pk, "Attendance recorded."),
        (second.pk, State.NO_SHOW, other_worker.pk, "Attendance recorded."),
    }


def test_withdrawing_someone_elses_sign_up_is_refused_word_for_word(booked):
    first, second = booked["signups"]
    with (
        time_machine.travel(STARTS - timedelta(days=2), tick=False),
        pytest.raises(OpportunityError) as refused,
    ):
        signup_withdraw(signup=first, person=second.person)
    assert str(refused.value) == "That is not your sign-up."
    assert SignUp.objects.get(pk=first.pk).state == State.CONFIRMED
