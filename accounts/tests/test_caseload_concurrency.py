"""Choosing a named worker under real concurrency: threads with their own connections,
released together, against PostgreSQL. The profile's row lock puts the choices in order, so
each change records the worker before it truly was, and nobody is told of a change that a
second, simultaneous one silently undid."""

import pytest

from accounts.caseload import named_worker_assign
from accounts.models import NamedWorkerChange
from accounts.permissions import Role
from accounts.services import AccountsError
from accounts.tests.factories import person
from involvement.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_workers_taking_on_the_same_person_at_once_are_put_in_order():
    newcomer = person(roles=[Role.REPRESENTATIVE], display_name="New")
    workers = [person(roles=[Role.WORKER], display_name=f"Worker {n}") for n in range(6)]
    results = run_together(
        [lambda w=w: named_worker_assign(person=newcomer, worker=w, by=w) for w in workers]
    )
    assert all(isinstance(result, NamedWorkerChange) for result in results), results
    changes = list(NamedWorkerChange.objects.filter(person=newcomer).order_by("pk"))
    # One chain: each change took over from the one before it, and only the first from nobody.
    assert [c.previous_worker_id for c in changes] == [None] + [c.new_worker_id for c in changes[:-1]]
    newcomer.profile.refresh_from_db()
    assert newcomer.profile.named_worker_id == changes[-1].new_worker_id


def test_two_people_choosing_the_same_worker_at_once_choose_once():
    newcomer = person(roles=[Role.REPRESENTATIVE], display_name="New")
    chosen, first, second = (person(roles=[Role.WORKER]) for _ in range(3))
    results = run_together(
        [lambda by=by: named_worker_assign(person=newcomer, worker=chosen, by=by) for by in (first, second)]
    )
    assert sorted(type(result).__name__ for result in results) == ["AccountsError", "NamedWorkerChange"]
    refused = next(result for result in results if isinstance(result, AccountsError))
    assert "is already their named worker" in refused.message
    assert NamedWorkerChange.objects.filter(person=newcomer).count() == 1
