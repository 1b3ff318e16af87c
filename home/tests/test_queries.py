"""The homes run a fixed number of queries, however much data there is (PRODUCT.md,
non-functional promises). Each is measured with a few rows and with many: the same bound
must hold for both, so an N+1 query fails the larger case.

The bounds are what each page ran when measured (noted beside each), plus a margin of two.
For a signed-in person about seven go on the request itself (the session, the user, their
roles, the unread-messages count, and writing the session back), so each page is asked for
once before it is measured: the first request of a session does one-off work.

The data is made as in the apps' own query tests, with their helpers.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import CheckIn, FollowUp, Outcome
from feedback.tests.test_views_queries import ended, published_outcome, rep
from opportunities.models import Opportunity, SelectionMethod, SignUp
from opportunities.services import (
    attendance_record,
    opportunity_cancel,
    opportunity_complete,
    selection_preview,
    selection_run,
    signup_accept,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_queries import sessions

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 40
SIZES = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])
Status = Opportunity.Status
State = SignUp.State


# --- /me/ ------------------------------------------------------------------------------------


def varied_signups(representative, worker, rows: int) -> dict[str, int]:
    """`rows` sign-ups for one person, spread across the states a person can be in, made the
    way they happen: through the services. Returns how many there are in each state."""
    for number in range(rows):
        kind = number % 9
        fair_share = kind in {3, 4, 8}
        opportunity = OpportunityFactory(
            lead_worker=worker,
            places=1,
            selection_method=SelectionMethod.FAIR_SHARE if fair_share else SelectionMethod.FIRST_COME,
            sessions=sessions(1 + number % 3, start_in_days=10 + number),
        )
        ahead = None
        if kind in {1, 2}:  # somebody else took the only place first
            ahead = signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]))
        signup = signup_create(opportunity=opportunity, person=representative)
        if kind == 2:  # ... then gave it up, so it is offered to the representative
            signup_withdraw(signup=ahead, person=ahead.person)
        elif kind == 4:  # selected fairly after the deadline, then accepted
            draw = selection_preview(opportunity=opportunity, by=worker)
            with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
                selection_run(opportunity=opportunity, draw=draw, by=worker)
                signup_accept(signup=signup, person=representative)
        elif kind == 5:  # came to the first session
            session = opportunity.sessions.first()
            with time_machine.travel(session.starts_at + timedelta(minutes=1)):
                attendance_record(signup=signup, session=session, attended=True, by=worker)
        elif kind == 6:
            signup_withdraw(signup=signup, person=representative)
        elif kind == 7:
            opportunity_cancel(opportunity=opportunity, by=worker, reason="Postponed")
        elif kind == 8:  # the activity finished before anyone was selected
            with time_machine.travel(opportunity.ends_at + timedelta(minutes=1)):
                opportunity_complete(opportunity=opportunity, by=worker)
    return dict(
        SignUp.objects.filter(person=representative)
        .values("state")
        .annotate(count=Count("pk"))
        .values_list("state", "count")
    )


@SIZES
def test_my_home_with_sign_ups_in_every_state_runs_a_fixed_number_of_queries(
    client, representative, worker, rows, django_assert_max_num_queries
):
    states = varied_signups(representative, worker, rows)
    client.force_login(representative)
    client.get(reverse("me:home"))
    with django_assert_max_num_queries(14):  # measured: 11, and one for the charter's agreement
        response = client.get(reverse("me:home"))
    assert response.status_code == 200
    if rows >= 9:
        assert set(states) == {
            "confirmed",
            "waitlisted",
            "offered",
            "applied",
            "attended",
            "withdrawn",
            "cancelled",
            "not_selected",
        }
    assert len(response.context["offered"]) == states.get("offered", 0)
    groups = dict(response.context["groups"])
    assert len(groups["Confirmed"]) == states.get("confirmed", 0)
    assert len(groups["On a waiting list"]) == states.get("waitlisted", 0)


@pytest.fixture
def involved(representative, worker):
    """The representative attended `rows` activities, each with a published outcome; half
    of them (the even ones) not yet checked in about; and has `rows` upcoming confirmed places."""

    def make(rows: int) -> None:
        for number in range(rows):
            activity = ended(1 + number % 25, lead_worker=worker)
            SignUp.objects.create(opportunity=activity, person=representative, state=State.ATTENDED)
            published_outcome(activity, by=worker, number=number)
            if number % 2:
                CheckIn.objects.create(
                    person=representative, opportunity=activity, how_it_went=4, felt_valued=4
                )
            coming = OpportunityFactory(lead_worker=worker)
            SignUp.objects.create(opportunity=coming, person=representative, state=State.CONFIRMED)

    return make


@SIZES
def test_my_home_with_outcomes_and_check_ins_runs_a_fixed_number_of_queries(
    client, representative, involved, rows, django_assert_max_num_queries
):
    involved(rows)
    client.force_login(representative)
    client.get(reverse("me:home"))
    with django_assert_max_num_queries(15):  # measured: 13
        response = client.get(reverse("me:home"))
    page = response.content.decode()
    assert page.count("Read the whole outcome") == min(rows, 10)
    assert page.count("Check in about ") - page.count("Check in about how things") == (rows + 1) // 2


def test_the_representative_home_runs_few_queries(client, representative, django_assert_max_num_queries):
    client.force_login(representative)
    client.get(reverse("me:home"))
    with django_assert_max_num_queries(14):  # one of them asks whether an agreement is due
        assert client.get(reverse("me:home")).status_code == 200


# --- /worker/ ------------------------------------------------------------------------------------

# A link to a person's page (the caseload), not to People or to choosing a named worker.
PERSON_LINK = re.compile(r'href="/worker/people/\d+/"')


def test_the_worker_home_does_not_grow_with_the_caseload(client, worker, django_assert_max_num_queries):
    for _ in range(30):
        person(roles=[Role.REPRESENTATIVE], named_worker=worker)
    client.force_login(worker)
    with django_assert_max_num_queries(16):  # measured: 14, one of them agreements' questions
        response = client.get(reverse("worker:home"))
    assert len(PERSON_LINK.findall(response.content.decode())) == 30


@SIZES
def test_the_worker_home_with_opportunities_in_every_state_runs_a_fixed_number_of_queries(
    client, worker, rows, django_assert_max_num_queries
):
    for number in range(rows):
        status = ["draft", "published", "closed", "completed", "cancelled"][number % 5]
        OpportunityFactory(lead_worker=worker, status=status, sessions=sessions(2))
    for _ in range(rows):
        person(roles=[Role.REPRESENTATIVE], named_worker=worker)
    client.force_login(worker)
    client.get(reverse("worker:home"))
    with django_assert_max_num_queries(16):  # measured: 14 (11 before claims, 13 before questions)
        response = client.get(reverse("worker:home"))
    page = response.content.decode()
    assert len(PERSON_LINK.findall(page)) == rows
    assert len(response.context["rows"]) == rows


@pytest.fixture
def busy_worker(worker):
    """`rows` of everything the worker home lists: people waiting for a chat (each on the
    caseload, some taking a break), opportunities led in every state, outcomes due and
    overdue, and offers about to lapse."""

    def make(rows: int) -> None:
        for number in range(rows):
            someone = rep(named_worker=worker, taking_break=number % 3 == 0)
            # Ended 25 to 103 days ago: outcomes due and overdue, all still on the home page.
            took_part = ended(25 + 2 * number, lead_worker=worker)
            SignUp.objects.create(opportunity=took_part, person=someone, state=State.ATTENDED)
            check_in = CheckIn.objects.create(
                person=someone, opportunity=took_part, how_it_went=2, felt_valued=2, wants_chat=True
            )
            FollowUp.objects.create(
                check_in=check_in,
                person=someone,
                worker=worker,
                requested_at=timezone.now() - timedelta(hours=number),
            )
            # Opportunities in each state, some with an outcome drafted or published.
            kind = number % 4
            if kind == 0:
                OpportunityFactory(lead_worker=worker, status=Status.DRAFT)
            elif kind == 1:
                Outcome.objects.create(opportunity=took_part, you_said="S", we_did="D", written_by=worker)
            elif kind == 2:
                published_outcome(took_part, by=worker, number=number)
            else:
                ended(1, status=Status.CLOSED, lead_worker=worker)
            # An offer about to lapse, on an opportunity of its own.
            offered = OpportunityFactory(lead_worker=worker)
            SignUp.objects.create(
                opportunity=offered,
                person=rep(),
                state=State.OFFERED,
                offer_expires_at=timezone.now() + timedelta(hours=1 + number % 20),
            )

    return make


@SIZES
def test_the_worker_home_with_everything_it_lists_runs_a_fixed_number_of_queries(
    client, worker, busy_worker, rows, django_assert_max_num_queries
):
    busy_worker(rows)
    client.force_login(worker)
    client.get(reverse("worker:home"))
    with django_assert_max_num_queries(16):  # measured: 14 (11 before claims, 13 before questions)
        response = client.get(reverse("worker:home"))
    page = response.content.decode()
    assert page.count("/worker/follow-ups/") == rows
    assert len(PERSON_LINK.findall(page)) == rows
    assert "Overdue" in page and "Taking a break" in page and "Check and publish" in page
    assert len(response.context["lapsing"]) == rows
