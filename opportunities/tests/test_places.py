"""Numbered places: the services number them under the lock, and the database refuses any
row that would overbook, whoever writes it (ADR 5). Races are in test_concurrency.py."""

import importlib
from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import PLACE_HOLDING_STATES, Opportunity, SignUp
from opportunities.services import (
    HOLDS_PLACE,
    SessionData,
    opportunity_save,
    signup_accept,
    signup_cancel,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def numbers(opportunity) -> dict[int, int | None]:
    return dict(opportunity.signups.values_list("person_id", "place_number"))


def refused_by_the_database(write) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_the_services_and_the_database_agree_on_which_states_hold_a_place():
    assert (
        HOLDS_PLACE
        == set(PLACE_HOLDING_STATES)
        == {
            State.CONFIRMED,
            State.OFFERED,
            State.ATTENDED,
            State.NO_SHOW,
        }
    )


def test_each_confirmed_person_holds_the_lowest_free_number_and_waiting_people_none():
    opportunity = OpportunityFactory(places=2)
    a, b, c = rep(), rep(), rep()
    for someone in (a, b, c):
        signup_create(opportunity=opportunity, person=someone)
    assert numbers(opportunity) == {a.pk: 1, b.pk: 2, c.pk: None}


def test_a_place_given_up_frees_its_number_and_the_next_person_takes_it_through_offer_and_accept():
    opportunity = OpportunityFactory(places=2)
    a, b, c = rep(), rep(), rep()
    first = signup_create(opportunity=opportunity, person=a)
    signup_create(opportunity=opportunity, person=b)
    waiting = signup_create(opportunity=opportunity, person=c)
    signup_withdraw(signup=first, person=a)
    assert numbers(opportunity) == {a.pk: None, b.pk: 2, c.pk: 1}  # offered: the place is held
    signup_accept(signup=waiting, person=c)
    assert numbers(opportunity)[c.pk] == 1  # the same place, now confirmed


def test_cancelling_a_place_frees_its_number():
    opportunity = OpportunityFactory(places=1)
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    signup_cancel(signup=signup, by=opportunity.lead_worker, reason="Booked twice")
    assert numbers(opportunity) == {someone.pk: None}


def test_signing_up_again_takes_a_number_again():
    opportunity = OpportunityFactory(places=1)
    someone = rep()
    signup = signup_create(opportunity=opportunity, person=someone)
    signup_withdraw(signup=signup, person=someone)
    signup_create(opportunity=opportunity, person=someone)
    assert numbers(opportunity) == {someone.pk: 1}


def test_the_database_refuses_two_holders_of_one_numbered_place():
    opportunity = OpportunityFactory(places=3)
    first = signup_create(opportunity=opportunity, person=rep())
    second = signup_create(opportunity=opportunity, person=rep())
    refused_by_the_database(
        lambda: SignUp.objects.filter(pk=second.pk).update(place_number=first.place_number)
    )


def test_the_database_refuses_a_place_number_beyond_the_places():
    opportunity = OpportunityFactory(places=2)
    signup = signup_create(opportunity=opportunity, person=rep())
    refused_by_the_database(lambda: SignUp.objects.filter(pk=signup.pk).update(place_number=3))
    refused_by_the_database(
        lambda: SignUp.objects.create(
            opportunity=opportunity, person=rep(), state=State.CONFIRMED, place_number=5
        )
    )
    refused_by_the_database(lambda: SignUp.objects.filter(pk=signup.pk).update(place_number=0))


def test_the_database_refuses_fewer_places_than_a_number_held():
    opportunity = OpportunityFactory(places=3)
    for _ in range(3):
        signup_create(opportunity=opportunity, person=rep())
    withdrawn = opportunity.signups.get(place_number=1)
    signup_withdraw(signup=withdrawn, person=withdrawn.person)
    # Two places held, numbers 2 and 3: two places would fit the count but not the numbers.
    refused_by_the_database(lambda: Opportunity.objects.filter(pk=opportunity.pk).update(places=2))
    Opportunity.objects.filter(pk=opportunity.pk).update(places=4)  # more places are fine


def test_a_place_holding_state_needs_a_number_and_any_other_state_has_none():
    opportunity = OpportunityFactory(places=2)
    confirmed = signup_create(opportunity=opportunity, person=rep())
    waiting = SignUp.objects.create(
        opportunity=opportunity, person=rep(), state=State.WAITLISTED, waitlist_position=1
    )
    refused_by_the_database(lambda: SignUp.objects.filter(pk=confirmed.pk).update(place_number=None))
    refused_by_the_database(lambda: SignUp.objects.filter(pk=confirmed.pk).update(state=State.WITHDRAWN))
    refused_by_the_database(lambda: SignUp.objects.filter(pk=waiting.pk).update(place_number=2))


def test_a_row_written_outside_the_services_is_numbered_by_the_database_and_refused_when_full():
    # Demo data, benchmarks and fixtures insert rows directly: they still get a place each.
    opportunity = OpportunityFactory(places=2, status="completed")
    a, b = rep(), rep()
    SignUp.objects.create(opportunity=opportunity, person=a, state=State.ATTENDED)
    SignUp.objects.create(opportunity=opportunity, person=b, state=State.NO_SHOW)
    SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.WITHDRAWN)
    assert sorted(n for n in numbers(opportunity).values() if n) == [1, 2]
    refused_by_the_database(
        lambda: SignUp.objects.create(opportunity=opportunity, person=rep(), state=State.ATTENDED)
    )


def save_with_places(opportunity: Opportunity, places: int) -> Opportunity:
    """Edit the opportunity as its page does, with `places` and its sessions unchanged."""
    opportunity.refresh_from_db()
    opportunity.places = places
    sessions = [
        SessionData(starts_at=s.starts_at, ends_at=s.ends_at, area=s.area, location=s.location, id=s.pk)
        for s in opportunity.sessions.all()
    ]
    opportunity_save(opportunity=opportunity, sessions=sessions, by=opportunity.lead_worker)
    opportunity.refresh_from_db()
    return opportunity


def test_fewer_places_through_an_edit_moves_held_numbers_down_rather_than_failing():
    opportunity = OpportunityFactory(places=4)
    people = [rep() for _ in range(4)]
    signups = [signup_create(opportunity=opportunity, person=p) for p in people]
    for signup, someone in zip(signups[:2], people[:2], strict=True):
        signup_withdraw(signup=signup, person=someone)
    opportunity = save_with_places(opportunity, 2)
    assert opportunity.places == 2
    assert sorted(opportunity.signups.exclude(place_number=None).values_list("place_number", flat=True)) == [
        1,
        2,
    ]


def test_places_cut_to_exactly_the_number_held_keeps_every_holder_where_they_are():
    # Three of five places held (numbers 1 to 3), cut to three: nobody is above the new count,
    # so nobody moves (and there is no free number below it to move to).
    opportunity = OpportunityFactory(places=5)
    signups = [signup_create(opportunity=opportunity, person=rep()) for _ in range(3)]
    before = numbers(opportunity)
    opportunity = save_with_places(opportunity, 3)
    assert (opportunity.places, opportunity.places_taken) == (3, 3)
    held = {signup.person_id: number for number, signup in enumerate(signups, start=1)}
    assert numbers(opportunity) == before == held


def test_a_place_that_comes_free_goes_to_the_first_on_the_waiting_list_not_the_first_to_sign_up():
    # Selection ranks applicants, so the waiting list's order need not be the order people
    # signed up in: here the later sign-up is first in the list.
    opportunity = OpportunityFactory(places=1)
    holder = signup_create(opportunity=opportunity, person=rep())
    earlier, later = rep(), rep()
    second = SignUp.objects.create(
        opportunity=opportunity, person=earlier, state=State.WAITLISTED, waitlist_position=2
    )
    first = SignUp.objects.create(
        opportunity=opportunity, person=later, state=State.WAITLISTED, waitlist_position=1
    )
    assert second.pk < first.pk
    signup_withdraw(signup=holder, person=holder.person)
    assert SignUp.objects.get(pk=first.pk).state == State.OFFERED
    assert SignUp.objects.get(pk=second.pk).state == State.WAITLISTED
    # The history says why the place was offered.
    assert first.events.get(to_state=State.OFFERED).reason == "A place came free."


def test_a_place_offered_from_the_waiting_list_takes_the_free_number_whatever_the_opportunitys_id():
    # An opportunity whose id (3) is below its number of places (5): the number is looked for
    # among its places, not among as many numbers as its id. The ids' sequence is moved past 3
    # first, so that no other row can be given that id.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('opportunities_opportunity', 'id'), "
            "GREATEST((SELECT last_value FROM opportunities_opportunity_id_seq), 10))"
        )
    opportunity = OpportunityFactory(id=3, places=5)
    holders = [signup_create(opportunity=opportunity, person=rep()) for _ in range(5)]
    waiting = signup_create(opportunity=opportunity, person=rep())
    last = holders[-1]
    assert (last.place_number, waiting.state) == (5, State.WAITLISTED)
    signup_withdraw(signup=last, person=last.person)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.place_number) == (State.OFFERED, 5)


# --- the migration numbers what was already there ---------------------------------------------


def migration():
    return importlib.import_module("opportunities.migrations.0005_signup_place_number")


def as_before_the_migration(opportunity) -> None:
    """Rows as they were before numbered places: drop the new rules for this test only (the
    test's transaction is rolled back, DDL and all) and clear the numbers."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending before DDL
        cursor.execute(
            "ALTER TABLE opportunities_signup DROP CONSTRAINT signup_place_number_only_while_holding"
        )
        cursor.execute("DROP TRIGGER opportunity_places_cover_held ON opportunities_opportunity")
        cursor.execute("DROP TRIGGER signup_place_within_places ON opportunities_signup")
    SignUp.objects.update(place_number=None)


def test_the_migration_numbers_existing_holders_in_the_order_they_signed_up():
    opportunity = OpportunityFactory(places=3)
    now = timezone.now()
    early, late, waiting = rep(), rep(), rep()
    for someone, state, minutes in [
        (late, State.ATTENDED, 5),
        (early, State.CONFIRMED, 1),
        (waiting, State.WAITLISTED, 9),
    ]:
        SignUp.objects.create(
            opportunity=opportunity, person=someone, state=state, created_at=now + timedelta(minutes=minutes)
        )
    as_before_the_migration(opportunity)
    with connection.cursor() as cursor:
        cursor.execute(migration().NUMBER_EXISTING)
    assert numbers(opportunity) == {early.pk: 1, late.pk: 2, waiting.pk: None}


def test_the_migration_stops_with_a_plain_reason_on_an_overbooked_opportunity():
    opportunity = OpportunityFactory(places=2)
    for _ in range(2):
        signup_create(opportunity=opportunity, person=rep())
    as_before_the_migration(opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(places=1, places_taken=1)
    with (
        pytest.raises(DatabaseError, match="hold more places than they have"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(migration().NUMBER_EXISTING)
