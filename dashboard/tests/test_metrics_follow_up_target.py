"""The share of requests for a chat picked up within the target (docs/metrics.md, "Feeling
valued and support"), worked by hand: the first answer (picked up, or closed) on or before
the follow-up's last day in London, over those due."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person
from dashboard.metrics import Scope, valued
from feedback.models import CheckIn, FollowUp

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERIOD = Scope(start=date(2026, 3, 1), end=date(2026, 6, 30))
TODAY = datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def follow_ups():
    someone, worker = person(roles=[Role.REPRESENTATIVE]), person(roles=[Role.WORKER])

    def make(due_on: date, *, picked_up_at=None, closed_at=None, asked=None):
        asked = asked or london(2026, 3, 6, 16)
        check_in = CheckIn.objects.create(
            person=someone, how_it_went=3, felt_valued=3, wants_chat=True, created_at=asked
        )
        return FollowUp.objects.create(
            check_in=check_in,
            person=someone,
            worker=worker,
            requested_at=asked,
            due_on=due_on,
            picked_up_at=picked_up_at,
            call_by=picked_up_at.date() if picked_up_at else None,
            closed_at=closed_at,
            status=FollowUp.Status.CLOSED if closed_at else FollowUp.Status.OPEN,
        )

    return make


@time_machine.travel(TODAY, tick=False)
def test_picked_up_within_the_target_worked_by_hand(follow_ups):
    tuesday = date(2026, 3, 10)  # two working days after Friday 6 March
    follow_ups(tuesday, picked_up_at=london(2026, 3, 9, 10))  # in time
    follow_ups(tuesday, picked_up_at=london(2026, 3, 10, 23, 30))  # in time, late on the last day
    follow_ups(tuesday, picked_up_at=london(2026, 3, 11, 0, 30))  # late, just after midnight
    follow_ups(tuesday, closed_at=london(2026, 3, 10, 12))  # closed straight away: in time
    follow_ups(tuesday)  # never answered, its day gone: counts against
    # Picked up in time and closed later: the pick-up is the answer.
    follow_ups(tuesday, picked_up_at=london(2026, 3, 9, 9), closed_at=london(2026, 3, 20, 9))
    # Summer time: 00:30 on 3 June in London is 23:30 on 2 June in UTC. London's day counts.
    follow_ups(date(2026, 6, 2), picked_up_at=london(2026, 6, 3, 0, 30), asked=london(2026, 5, 29, 9))
    # Not due yet (its last day is still to come) and unanswered: left out.
    follow_ups(date(2026, 7, 2), asked=london(2026, 6, 30, 9))
    figures = valued(PERIOD)
    # Due: 7 (all but the last). In time: 4.
    assert figures["picked_up_in_time_share"] == round(100 * 4 / 7, 1) == 57.1
    assert figures["follow_up_target_days"] == 2


@time_machine.travel(TODAY, tick=False)
def test_fewer_than_five_due_hide_the_share(follow_ups):
    for _ in range(4):
        follow_ups(date(2026, 3, 10), picked_up_at=london(2026, 3, 9, 10))
    follow_ups(date(2026, 7, 3), asked=london(2026, 6, 30, 9))  # not due: not a fifth
    assert valued(PERIOD)["picked_up_in_time_share"] is None
    follow_ups(date(2026, 3, 10))
    assert valued(PERIOD)["picked_up_in_time_share"] == 80.0


@time_machine.travel(TODAY, tick=False)
def test_requests_asked_outside_the_period_are_left_out(follow_ups):
    for _ in range(5):
        follow_ups(date(2026, 3, 10), picked_up_at=london(2026, 3, 9, 10))
    follow_ups(date(2026, 2, 3), asked=london(2026, 2, 1, 9))  # before: late, but not counted
    assert valued(PERIOD)["picked_up_in_time_share"] == 100.0


@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_shows_the_share_with_the_target(client, manager, follow_ups):
    for _ in range(5):
        follow_ups(date(2026, 3, 10), picked_up_at=london(2026, 3, 9, 10))
    client.force_login(manager)
    response = client.get(reverse("dashboard:home"), {"start": "2026-03-01", "end": "2026-06-30"})
    rows = [row[:2] for row in response.context["tables"]["valued"][1]]
    assert ["Picked up within 2 working days (%)", 100.0] in rows
