"""Lists and homes run a fixed number of queries, however much data there is (PRODUCT.md,
non-functional promises). Each page is measured with a few rows and with many: the same
bound must hold for both, so an N+1 query fails the larger case.

The bounds are what each page ran when measured (noted beside each), plus a margin of two:
a failure here means a page started running more queries, which is worth a look before the
bound is raised. For a signed-in person a few go on the request itself: the session, the
user, their roles, the unread-messages count; writing the session back (a savepoint, an
update and a release) only once a minute (accounts.sessions), so some measured bounds hold
three more than a page needs now.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import ActivityType
from opportunities.models import Format
from opportunities.services import (
    attendance_record,
    signup_cancel,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 40
SIZES = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


def sessions(count: int, *, start_in_days: int = 10):
    """`count` two-hour sessions a week apart."""
    first = timezone.now() + timedelta(days=start_in_days)
    return [(first + timedelta(weeks=n), first + timedelta(weeks=n, hours=2)) for n in range(count)]


def representatives(count: int) -> list:
    return [person(roles=[Role.REPRESENTATIVE], support_needs="A break every hour.") for _ in range(count)]


# --- browse --------------------------------------------------------------------------------


@pytest.fixture
def published(worker):
    def make(rows: int) -> None:
        # Each opportunity has its own activity type and team (the factory makes new ones),
        # so a missing select_related would show as one query per card.
        for number in range(rows):
            OpportunityFactory(
                title=f"Crisis panel {number}",
                lead_worker=worker,
                format=Format.ONLINE if number % 2 else Format.IN_PERSON,
                sessions=sessions(2, start_in_days=10 + number),
            )

    return make


@SIZES
def test_browse_runs_a_fixed_number_of_queries_for_visitors(
    client, published, rows, django_assert_max_num_queries
):
    published(rows)
    with django_assert_max_num_queries(6):  # measured: 4
        response = client.get(reverse("opportunities:browse"))
    assert len(response.context["page"].object_list) == min(rows, 20)


@SIZES
def test_browse_with_search_and_filters_runs_a_fixed_number_of_queries(
    client, published, rows, django_assert_max_num_queries
):
    published(rows)
    params = {
        "q": "crisis panel",
        "places_left": "on",
        "paid": "yes",
        "starts_from_day": "1",
        "starts_from_month": "1",
        "starts_from_year": "2020",
    }
    with django_assert_max_num_queries(6):  # measured: 4
        response = client.get(reverse("opportunities:browse"), params)
    assert len(response.context["page"].object_list) == min(rows, 20)


@SIZES
def test_browse_for_a_signed_in_person_matching_interests_runs_a_fixed_number_of_queries(
    client, published, representative, rows, django_assert_max_num_queries
):
    published(rows)
    representative.profile.interests.set(ActivityType.objects.all())
    client.force_login(representative)
    client.get(reverse("opportunities:browse"))  # the first request of a session does one-off work
    with django_assert_max_num_queries(14):  # measured: 12
        response = client.get(reverse("opportunities:browse"), {"mine": "on", "q": "crisis"})
    assert len(response.context["page"].object_list) == min(rows, 20)


# --- detail --------------------------------------------------------------------------------


@pytest.fixture
def busy_opportunity(worker):
    """An opportunity with `rows` sessions and `rows` people on it, in several states."""

    def make(rows: int):
        opportunity = OpportunityFactory(
            lead_worker=worker,
            places=rows // 2,
            sessions=sessions(rows),
            signup_deadline=timezone.now() + timedelta(days=5),
        )
        for someone in representatives(rows):
            signup_create(opportunity=opportunity, person=someone, note="Large print.")
        return opportunity

    return make


@SIZES
def test_the_detail_page_runs_a_fixed_number_of_queries_for_visitors(
    client, busy_opportunity, rows, django_assert_max_num_queries
):
    opportunity = busy_opportunity(rows)
    with django_assert_max_num_queries(4):  # measured: 2
        response = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert len(response.context["sessions"]) == rows


@SIZES
def test_the_detail_page_runs_a_fixed_number_of_queries_for_a_waitlisted_person(
    client, busy_opportunity, representative, rows, django_assert_max_num_queries
):
    opportunity = busy_opportunity(rows)
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    with django_assert_max_num_queries(13):  # measured: 11
        response = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert response.context["waitlist_place"] == rows - rows // 2 + 1


@SIZES
def test_the_detail_page_runs_a_fixed_number_of_queries_for_someone_about_to_sign_up(
    client, busy_opportunity, worker, representative, rows, django_assert_max_num_queries
):
    """The clash and pace checks look at every session of this opportunity and the person's
    other places: `rows` sessions here and `rows` other confirmed places."""
    opportunity = busy_opportunity(rows)
    representative.profile.pace_per_month = 2
    representative.profile.save()
    for _ in range(rows):
        other = OpportunityFactory(lead_worker=worker, sessions=sessions(1, start_in_days=10))
        signup_create(opportunity=other, person=representative)
    client.force_login(representative)
    client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    with django_assert_max_num_queries(15):  # measured: 13
        response = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert response.context["can_sign_up"]
    assert len(response.context["clashes"]) == rows
    assert response.context["pace_passed"]


# --- the participants page -----------------------------------------------------------------


@SIZES
def test_the_participants_page_runs_a_fixed_number_of_queries(
    client, worker, rows, django_assert_max_num_queries
):
    """`rows` sign-ups, each with a history of events by different actors, and attendance
    recorded for several sessions."""
    opportunity = OpportunityFactory(lead_worker=worker, places=rows, sessions=sessions(3))
    people = representatives(rows)
    signups = [
        signup_create(opportunity=opportunity, person=someone, note="A quiet room.") for someone in people
    ]
    for number, signup in enumerate(signups):
        if number % 4 == 0:
            signup_withdraw(signup=signup, person=signup.person)
            signup_create(opportunity=opportunity, person=signup.person)
        if number % 4 == 1:
            for session in opportunity.sessions.all():
                with time_machine.travel(session.starts_at + timedelta(minutes=1)):
                    attendance_record(signup=signup, session=session, attended=number % 2 == 1, by=worker)
        if number % 4 == 2:
            signup_cancel(signup=signup, by=person(roles=[Role.WORKER]), reason="Unwell")
    # Measured once every session has started, so the page carries an attendance form for
    # each session with a row per person.
    with time_machine.travel(opportunity.ends_at + timedelta(hours=1)):
        client.force_login(worker)
        client.get(reverse("opportunities:participants", args=[opportunity.pk]))
        with django_assert_max_num_queries(14):  # measured: 12
            response = client.get(reverse("opportunities:participants", args=[opportunity.pk]))
    assert response.content.decode().count("Save attendance") == 3
    assert len(response.context["signups"]) == rows
    # A cancelled place opens no notes to the lead worker (issue 9); every other one does.
    cancelled = len([number for number in range(rows) if number % 4 == 2])
    assert response.content.decode().count("Read notes") == rows - cancelled
