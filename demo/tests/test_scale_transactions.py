"""The large data sets are committed a slice of opportunities at a time: every sign-up holding
a place takes an advisory lock on its opportunity until commit (ADR 5), and a million sign-ups
over 50,000 opportunities in one transaction ran the server out of shared memory. Transactional
tests, so the slices really commit and the locks really are let go."""

import pytest
from django.core.management import call_command
from django.db import connection

from demo import scale
from demo.scale import SCALE_PREFIX
from demo.tests.test_demo_data import assert_counters_match_sign_ups
from opportunities.models import Opportunity, Session, SignUp

pytestmark = pytest.mark.django_db(transaction=True)

SLICE = 10
SIZES = {"opportunities": 60, "representatives": 30, "signups": 500}
# The place locks of ADR 5: two-key advisory locks in key space 5.
PLACE_LOCKS = (
    "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory' AND classid = 5"
)


def test_the_large_data_set_never_holds_more_place_locks_than_one_slice_of_opportunities(monkeypatch):
    monkeypatch.setattr(scale, "OPPORTUNITIES_PER_TRANSACTION", SLICE)
    held: list[int] = []

    def count_place_locks(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith('INSERT INTO "opportunities_signup"'):
            # The raw connection, so that this query is not watched in its turn.
            with connection.connection.cursor() as cursor:
                cursor.execute(PLACE_LOCKS)
                held.append(cursor.fetchone()[0])
        return result

    with connection.execute_wrapper(count_place_locks):
        call_command("seed_demo", scale="large", quiet=True, **SIZES)

    scale_set = Opportunity.objects.filter(title__startswith=SCALE_PREFIX)
    assert scale_set.count() == 60
    assert SignUp.objects.filter(opportunity__in=scale_set).count() == 500
    # Far more opportunities have places held than one slice, so one transaction would hold
    # a lock for each of them.
    with_holders = scale_set.filter(signups__place_number__isnull=False).distinct().count()
    assert with_holders > 2 * SLICE
    assert held and max(held) <= SLICE
    assert_counters_match_sign_ups(scale_set)


def test_a_large_data_set_that_stopped_part_way_is_whole_so_far_and_the_next_run_replaces_it(
    monkeypatch, capsys
):
    monkeypatch.setattr(scale, "OPPORTUNITIES_PER_TRANSACTION", SLICE)
    bulk_create = Session.objects.bulk_create
    calls = []

    def fail_on_the_third_slice(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 3:
            raise RuntimeError("The connection was lost.")
        return bulk_create(objs, *args, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(Session.objects, "bulk_create", fail_on_the_third_slice)
        call_command("seed_demo", scale="large", quiet=True, **SIZES)

    # Two slices committed, each opportunity with its sessions and sign-ups.
    scale_set = Opportunity.objects.filter(title__startswith=SCALE_PREFIX)
    assert scale_set.count() == 2 * SLICE
    assert Session.objects.filter(opportunity__in=scale_set).count() == sum(calls[:2])
    assert not scale_set.filter(sessions__isnull=True).exists()
    assert_counters_match_sign_ups(scale_set.all())

    capsys.readouterr()
    call_command("seed_demo", scale="large", quiet=True, **SIZES)
    assert "Replacing the 20 opportunities" in capsys.readouterr().out
    assert scale_set.count() == 60
    assert SignUp.objects.filter(opportunity__in=scale_set).count() == 500
    assert_counters_match_sign_ups(scale_set)
