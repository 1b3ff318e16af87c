"""Places under real concurrency: threads with their own database connections, started
together by a barrier, against PostgreSQL (transactional tests, nothing faked)."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import Course
from involvement.concurrency import run_together
from opportunities.models import Opportunity, SelectionDraw, SignUp
from opportunities.services import (
    HOLDS_PLACE,
    OpportunityError,
    attendance_record,
    offers_expire,
    selection_run,
    selections_due,
    signup_create,
    signup_decline,
    signup_withdraw,
    training_record_attended,
)
from opportunities.services import signups as signup_services
from opportunities.tests.factories import OpportunityFactory
from opportunities.training import TrainingCompletion

pytestmark = pytest.mark.django_db(transaction=True)
State = SignUp.State


def assert_consistent(opportunity) -> None:
    opportunity.refresh_from_db()
    states = Counter(opportunity.signups.values_list("state", flat=True))
    holding = states[State.CONFIRMED] + states[State.OFFERED]
    assert holding <= opportunity.places
    assert opportunity.places_taken == holding
    assert opportunity.waitlist_length == states[State.WAITLISTED]
    positions = list(
        opportunity.signups.filter(waitlist_position__isnull=False).values_list(
            "waitlist_position", flat=True
        )
    )
    assert len(positions) == len(set(positions))


def test_fifty_people_signing_up_at_once_for_five_places():
    opportunity = OpportunityFactory(places=5)
    people = [person(roles=[Role.REPRESENTATIVE]) for _ in range(50)]
    results = run_together([lambda p=p: signup_create(opportunity=opportunity, person=p) for p in people])
    assert not [r for r in results if isinstance(r, Exception)]
    states = Counter(opportunity.signups.values_list("state", flat=True))
    assert states == {State.CONFIRMED: 5, State.WAITLISTED: 45}
    positions = sorted(
        opportunity.signups.exclude(waitlist_position=None).values_list("waitlist_position", flat=True)
    )
    assert positions == list(range(1, 46))
    assert_consistent(opportunity)


def test_withdrawals_and_offers_racing_with_sign_ups_never_overbook():
    opportunity = OpportunityFactory(places=4)
    holders = [person(roles=[Role.REPRESENTATIVE]) for _ in range(4)]
    waiting = [person(roles=[Role.REPRESENTATIVE]) for _ in range(6)]
    newcomers = [person(roles=[Role.REPRESENTATIVE]) for _ in range(20)]
    held = [signup_create(opportunity=opportunity, person=p) for p in holders]
    for p in waiting:
        signup_create(opportunity=opportunity, person=p)
    jobs = [lambda s=s, p=p: signup_withdraw(signup=s, person=p) for s, p in zip(held, holders, strict=True)]
    jobs += [lambda p=p: signup_create(opportunity=opportunity, person=p) for p in newcomers]
    results = run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)]
    assert_consistent(opportunity)
    # Every freed place went to the people already waiting, in order, as offers.
    offered = opportunity.signups.filter(state=State.OFFERED).values_list("person_id", flat=True)
    assert set(offered) == {p.pk for p in waiting[:4]}
    assert opportunity.signups.filter(person__in=newcomers, state=State.WAITLISTED).count() == 20


def test_the_selection_run_twice_at_once_gives_the_same_result_as_once():
    opportunity = OpportunityFactory(places=3, selection_method="fair_share")
    for _ in range(10):
        signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]))
    draw = SelectionDraw.objects.create(opportunity=opportunity, seed="fixed-seed")
    worker = opportunity.lead_worker
    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1), tick=True):
        results = run_together([lambda: selection_run(opportunity=opportunity, draw=draw, by=worker)] * 2)
    # One run did the work; the other, reading the draw under the lock after it, was refused
    # and left the ranking the first one recorded.
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], OpportunityError)
    assert "already been confirmed" in str(refused[0])
    assert [len(r) for r in results if not isinstance(r, Exception)] == [3]
    draw.refresh_from_db()
    assert len(draw.ranking) == 10
    states = Counter(opportunity.signups.values_list("state", flat=True))
    assert states == {State.OFFERED: 3, State.WAITLISTED: 7}
    assert_consistent(opportunity)


def test_the_offer_expiry_run_twice_at_once_gives_the_same_result_as_once():
    opportunity = OpportunityFactory(places=2)
    holders = [person(roles=[Role.REPRESENTATIVE]) for _ in range(2)]
    waiting = [person(roles=[Role.REPRESENTATIVE]) for _ in range(4)]
    held = [signup_create(opportunity=opportunity, person=p) for p in holders]
    for p in waiting:
        signup_create(opportunity=opportunity, person=p)
    for signup, p in zip(held, holders, strict=True):
        signup_withdraw(signup=signup, person=p)
    assert opportunity.signups.filter(state=State.OFFERED).count() == 2
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=True):
        results = run_together([offers_expire, offers_expire])
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 2
    lapsed = opportunity.signups.filter(person__in=waiting[:2]).values_list("state", flat=True)
    assert set(lapsed) == {State.DECLINED}
    assert set(opportunity.signups.filter(person__in=waiting[2:]).values_list("state", flat=True)) == {
        State.OFFERED
    }
    assert_consistent(opportunity)


def test_a_person_double_clicking_sign_up_gets_one_sign_up():
    opportunity = OpportunityFactory(places=5)
    someone = person(roles=[Role.REPRESENTATIVE])
    results = run_together([lambda: signup_create(opportunity=opportunity, person=someone)] * 4)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 3 and all(isinstance(e, OpportunityError) for e in errors)
    assert opportunity.signups.count() == 1
    assert_consistent(opportunity)


def test_past_a_bypassed_lock_the_database_still_refuses_a_sixth_holder_of_five_places(monkeypatch, caplog):
    """The database's own guarantee (ADR 5): the opportunity's row lock is replaced by a plain
    read, so fifty sign-ups race freely through the services. The numbered places, unique per
    opportunity and never above places, still refuse every holder past the fifth; the losers
    are put on the waiting list or told plainly to try again, never shown an error page."""
    # signup_create takes the lock through its own module's name for it.
    monkeypatch.setattr(
        signup_services, "_lock", lambda opportunity_id: Opportunity.objects.get(pk=opportunity_id)
    )
    opportunity = OpportunityFactory(places=5)
    people = [person(roles=[Role.REPRESENTATIVE]) for _ in range(50)]
    results = run_together([lambda p=p: signup_create(opportunity=opportunity, person=p) for p in people])

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, OpportunityError)]
    holders = list(opportunity.signups.filter(state__in=HOLDS_PLACE))
    assert 1 <= len(holders) <= opportunity.places
    assert sorted(s.place_number for s in holders) == list(range(1, len(holders) + 1))
    signed_up = {s.person_id: s.state for s in opportunity.signups.all()}
    for someone, result in zip(people, results, strict=True):
        if isinstance(result, OpportunityError):
            assert "Please try again" in str(result)
            assert someone.pk not in signed_up
        else:
            assert signed_up[someone.pk] == result.state
            assert result.state in {State.CONFIRMED, State.WAITLISTED}
    # The race was real: the database, not luck, turned writers away.
    assert any("refused by the database" in record.getMessage() for record in caplog.records)


# --- written for the survivors of `make mutation` after 0e09a7d (docs/testing.md) --------------


def while_held(opportunity, jobs, *, waiting: int, meanwhile=lambda: None) -> list:
    """Run `jobs` each in a thread of its own while this thread holds the opportunity's row
    lock; once `waiting` of them wait for it (they have read what is due and come to lock
    it), do `meanwhile` under the lock and let go. What each job returned, or raised."""
    results: list = [None] * len(jobs)

    def runner(index: int, job) -> None:
        try:
            results[index] = job()
        except Exception as error:  # asserted on by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    with transaction.atomic():
        Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while _waiting_for_a_lock() < waiting:
            assert time.monotonic() < deadline, "the jobs never came to the lock"
            time.sleep(0.05)
        meanwhile()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh figures, not this transaction's
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_the_selection_job_run_twice_at_once_selects_once_and_counts_it_once():
    """Both runs read the opportunity as due before either locks it: the second, locking it
    after the first has selected, finds it no longer due and neither draws again nor counts
    it."""
    opportunity = OpportunityFactory(places=3, selection_method="fair_share")
    for _ in range(5):
        signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]))
    Opportunity.objects.filter(pk=opportunity.pk).update(
        signup_deadline=timezone.now() - timedelta(minutes=1)
    )
    results = while_held(opportunity, [selections_due, selections_due], waiting=2)
    assert sorted(results) == [0, 1]
    draw = SelectionDraw.objects.get(opportunity=opportunity)
    assert len(draw.ranking) == 5
    states = Counter(opportunity.signups.values_list("state", flat=True))
    assert states == {State.OFFERED: 3, State.WAITLISTED: 2}
    assert_consistent(opportunity)


def test_an_offer_made_again_while_the_expiry_job_waited_for_the_lock_is_not_lapsed():
    """The expiry job reads the offers due, then locks each opportunity. Meanwhile another run
    lapsed this offer, the place went to the next person, who declined it, and the person
    whose offer lapsed, having signed up again, was offered it anew, to accept within the
    usual time. The job, checking again under the lock, leaves the new offer alone."""
    opportunity = OpportunityFactory(places=1)
    holder, offered, next_one = (person(roles=[Role.REPRESENTATIVE]) for _ in range(3))
    held = signup_create(opportunity=opportunity, person=holder)
    signup = signup_create(opportunity=opportunity, person=offered)
    signup_create(opportunity=opportunity, person=next_one)
    signup_withdraw(signup=held, person=holder)
    signup.refresh_from_db()
    assert signup.state == State.OFFERED
    later = timezone.now() + timedelta(hours=49)

    def lapsed_then_offered_again():
        assert offers_expire(now=later) == 1
        passed_on = SignUp.objects.get(opportunity=opportunity, person=next_one)
        assert passed_on.state == State.OFFERED
        signup_create(opportunity=opportunity, person=offered)
        signup_decline(signup=passed_on, person=next_one)

    with time_machine.travel(later, tick=True):
        results = while_held(
            opportunity, [lambda: offers_expire(now=later)], waiting=1, meanwhile=lapsed_then_offered_again
        )
        assert results == [0]
        signup.refresh_from_db()
        assert signup.state == State.OFFERED
        assert signup.offer_expires_at > timezone.now()
    assert_consistent(opportunity)


def test_attendance_recorded_while_the_training_step_waits_for_the_lock_is_counted():
    """The bulk training step locks the opportunity before it reads who attended: attendance
    recorded meanwhile, under that lock, is seen whole and the late one is recorded too."""
    course = Course.objects.create(name="Recruitment panel training", valid_for_months=24)
    worker = person(roles=[Role.WORKER])
    start = timezone.now() - timedelta(days=1)
    training = OpportunityFactory(
        trains_for=course, lead_worker=worker, places=5, sessions=[(start, start + timedelta(hours=2))]
    )
    session = training.sessions.get()
    early, late = (
        signup_create(opportunity=training, person=person(roles=[Role.REPRESENTATIVE])) for _ in "ab"
    )
    attendance_record(signup=early, session=session, attended=True, by=worker)

    def late_attendance_recorded():
        attendance_record(signup=late, session=session, attended=True, by=worker)

    results = while_held(
        training,
        [lambda: training_record_attended(opportunity=training, by=worker)],
        waiting=1,
        meanwhile=late_attendance_recorded,
    )
    assert results[0].recorded == 2, results
    completed = TrainingCompletion.objects.filter(course=course).values_list("person", flat=True)
    assert sorted(completed) == sorted([early.person_id, late.person_id])
