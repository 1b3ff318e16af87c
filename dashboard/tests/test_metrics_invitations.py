"""First-timers who came through an invitation (docs/metrics.md, "Reach"), worked by hand:
sign-ups on opportunities in scope made after an invitation to that same opportunity, by
someone who had attended nothing that ended before they signed up."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person
from dashboard.metrics import Scope, reach
from feedback.models import Invitation
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
PERIOD = Scope(start=date(2026, 1, 1), end=date(2026, 6, 30))


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LONDON)


def held(start: datetime, **fields) -> Opportunity:
    return OpportunityFactory(
        sessions=[(start, start + timedelta(hours=2))], signup_deadline=start - timedelta(days=2), **fields
    )


def signed_up(someone, opportunity, when: datetime, state=SignUp.State.APPLIED) -> SignUp:
    return SignUp.objects.create(opportunity=opportunity, person=someone, state=state, created_at=when)


def invite(someone, opportunity, when: datetime) -> None:
    Invitation.objects.create(person=someone, opportunity=opportunity, sent_at=when)


@pytest.fixture
def world():
    panel = held(at(4, 20))  # in the period
    other = held(at(5, 20))  # in the period
    outside = held(datetime(2026, 8, 1, 10, tzinfo=LONDON))  # after it
    earlier = held(at(2, 1), status=Opportunity.Status.COMPLETED)  # ended 1 February
    later = held(at(5, 1), status=Opportunity.Status.COMPLETED)  # ended 1 May
    a, b, c, d, e, f, g, h = (person(roles=[Role.REPRESENTATIVE]) for _ in range(8))
    # a: invited, then signed up, never took part before: counts.
    invite(a, panel, at(4, 1))
    signed_up(a, panel, at(4, 1, 12))
    # b: signed up, then invited: the invitation did not bring them.
    signed_up(b, panel, at(4, 1))
    invite(b, panel, at(4, 1, 12))
    # c: invited, signed up, but took part in something that ended before: not a first-timer.
    signed_up(c, earlier, at(1, 20), state=SignUp.State.ATTENDED)
    invite(c, panel, at(4, 1))
    signed_up(c, panel, at(4, 2))
    # d: invited, signed up; took part only in something that ended after signing up: counts.
    invite(d, panel, at(4, 1))
    signed_up(d, panel, at(4, 2))
    signed_up(d, later, at(4, 3), state=SignUp.State.ATTENDED)
    # e: invited to another opportunity, signed up to this one: not through this invitation.
    invite(e, other, at(4, 1))
    signed_up(e, panel, at(4, 2))
    # f: invited and signed up to an opportunity outside the period: not in scope.
    invite(f, outside, at(4, 1))
    signed_up(f, outside, at(4, 2))
    # g: invited, signed up, then withdrew: still came through the invitation.
    invite(g, other, at(4, 1))
    signed_up(g, other, at(4, 2), state=SignUp.State.WITHDRAWN)
    # h: signed up for something that ended before but did not go (withdrew, then a no-show
    # elsewhere), then invited and signed up: taking part means attending, so this counts.
    signed_up(h, earlier, at(1, 20), state=SignUp.State.WITHDRAWN)
    signed_up(h, held(at(2, 3), status=Opportunity.Status.COMPLETED), at(1, 21), state=SignUp.State.NO_SHOW)
    invite(h, panel, at(4, 1))
    signed_up(h, panel, at(4, 2))
    return panel


def test_first_timers_through_an_invitation_worked_by_hand(world):
    assert reach(PERIOD)["invited_first_timers"] == 4  # a, d, g and h


def test_a_team_filter_applies_to_the_opportunity(world):
    assert (
        reach(Scope(start=PERIOD.start, end=PERIOD.end, team_id=world.team_id))["invited_first_timers"] == 3
    )  # a, d and h: g's opportunity is another team's


def test_the_dashboard_shows_it(client, manager, world):
    client.force_login(manager)
    response = client.get(
        reverse("dashboard:home"),
        {
            "period": "custom",
            "start_day": 1,
            "start_month": 1,
            "start_year": 2026,
            "end_day": 30,
            "end_month": 6,
            "end_year": 2026,
        },
    )
    rows = [row[:2] for row in response.context["tables"]["reach"][1]]
    assert ["First-timers who came through an invitation", 4] in rows
