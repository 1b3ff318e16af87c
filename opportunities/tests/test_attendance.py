"""Attendance for a session is recorded by one service call for everyone the worker answered
for, under the opportunity's lock: all of it, or, refused, none of it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Attendance, SignUp
from opportunities.services import OpportunityError, attendance_record_session, signup_create
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


@pytest.fixture
def running():
    """Three people with a place and one waiting, on an opportunity of two sessions."""
    start = timezone.now() + timedelta(days=2)
    opportunity = OpportunityFactory(
        places=3,
        sessions=[
            (start, start + timedelta(hours=1)),
            (start + timedelta(days=1), start + timedelta(days=1, hours=1)),
        ],
        signup_deadline=timezone.now() + timedelta(days=1),
    )
    signups = [
        signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE])) for _ in range(4)
    ]
    first, second = opportunity.sessions.order_by("starts_at")
    return {"opportunity": opportunity, "signups": signups, "first": first, "second": second}


def states(signups) -> list[str]:
    return [SignUp.objects.get(pk=signup.pk).state for signup in signups]


def test_one_call_records_the_session_for_everyone_answered_for(running, worker):
    a, b, c, waiting = running["signups"]
    assert states(running["signups"]) == [State.CONFIRMED] * 3 + [State.WAITLISTED]
    with time_machine.travel(running["first"].starts_at + timedelta(minutes=5)):
        recorded = attendance_record_session(
            opportunity=running["opportunity"],
            session_id=running["first"].pk,
            attended={a.pk: True, b.pk: False, waiting.pk: True},
            by=worker,
        )
    # Only people with a place are recorded; c was not answered for and is left as they were.
    assert recorded == 2
    assert states(running["signups"]) == [State.ATTENDED, State.CONFIRMED, State.CONFIRMED, State.WAITLISTED]
    assert set(Attendance.objects.values_list("signup_id", "attended")) == {(a.pk, True), (b.pk, False)}

    # Missing the second session too makes b did-not-attend; a correction is a new answer.
    with time_machine.travel(running["second"].starts_at + timedelta(minutes=5)):
        assert (
            attendance_record_session(
                opportunity=running["opportunity"],
                session_id=running["second"].pk,
                attended={a.pk: False, b.pk: False},
                by=worker,
            )
            == 2
        )
    assert states([a, b]) == [State.ATTENDED, State.NO_SHOW]
    running["opportunity"].refresh_from_db()
    assert running["opportunity"].places_taken == 3


def test_a_session_not_yet_started_records_nobody(running, worker):
    a, b, *_ = running["signups"]
    with pytest.raises(OpportunityError, match="only once the session has started"):
        attendance_record_session(
            opportunity=running["opportunity"],
            session_id=running["first"].pk,
            attended={a.pk: True, b.pk: True},
            by=worker,
        )
    assert not Attendance.objects.exists()
    assert states([a, b]) == [State.CONFIRMED, State.CONFIRMED]


def test_a_session_of_another_opportunity_or_nobody_answered_for_is_explained(running, worker):
    a, *_ = running["signups"]
    other = OpportunityFactory().sessions.get()
    with time_machine.travel(running["first"].starts_at + timedelta(minutes=5)):
        with pytest.raises(OpportunityError, match="Choose a session"):
            attendance_record_session(
                opportunity=running["opportunity"], session_id=other.pk, attended={a.pk: True}, by=worker
            )
        with pytest.raises(OpportunityError, match="Choose a session"):
            attendance_record_session(
                opportunity=running["opportunity"], session_id=None, attended={a.pk: True}, by=worker
            )
        with pytest.raises(OpportunityError, match="at least one person"):
            attendance_record_session(
                opportunity=running["opportunity"], session_id=running["first"].pk, attended={}, by=worker
            )
    assert not Attendance.objects.exists()


def test_the_participants_page_records_a_session_for_several_people_in_one_post(client, running, worker):
    a, b, c, _ = running["signups"]
    address = reverse("opportunities:attendance", args=[running["opportunity"].pk])
    with time_machine.travel(running["first"].starts_at + timedelta(minutes=5)):
        client.force_login(worker)
        response = client.post(
            address,
            {
                "session": running["first"].pk,
                f"attended-{a.pk}": "yes",
                f"attended-{b.pk}": "no",
                f"attended-{c.pk}": "maybe",
                "attended-99999999999999999999999": "yes",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "Attendance recorded for 2 people." in response.content.decode()
    assert set(Attendance.objects.values_list("signup_id", "attended")) == {(a.pk, True), (b.pk, False)}
