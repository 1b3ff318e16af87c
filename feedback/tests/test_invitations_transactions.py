"""Invitations against real transactions: they are queued only once the publish commits
(never for a publish that rolled back), and two opportunities published at once never
invite the same person twice in a week (the lock on the person). Celery runs tasks at once
in tests, so what a queued task does is in the database as soon as the publish commits."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import Invitation
from feedback.services import invitations_send
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity
from opportunities.services import opportunity_publish
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Abandoned(Exception):
    pass


def rep(*interests):
    someone = person(roles=[Role.REPRESENTATIVE])
    someone.profile.interests.set(interests)
    return someone


def test_nothing_is_queued_when_the_publish_rolls_back():
    panels = ActivityTypeFactory(name="Interview panels")
    someone = rep(panels)
    opportunity = OpportunityFactory(status=Opportunity.Status.DRAFT, activity_type=panels)
    with pytest.raises(Abandoned), transaction.atomic():
        opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)
        raise Abandoned  # something later in the same transaction fails
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.DRAFT
    assert not Invitation.objects.exists()
    assert not Message.objects.filter(kind=Kind.INVITATION).exists()
    # The same publish, committed, invites at once.
    opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)
    assert Invitation.objects.get().person == someone
    assert Message.objects.get(kind=Kind.INVITATION).recipient == someone


def test_two_publishes_at_once_invite_each_person_once():
    panels = ActivityTypeFactory(name="Interview panels")
    people = [rep(panels) for _ in range(3)]
    start = timezone.now() + timedelta(days=20)
    opportunities = [
        OpportunityFactory(activity_type=panels, sessions=[(start, start + timedelta(hours=1))])
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = invitations_send(opportunity_id=opportunities[index].pk)
        except Exception as error:  # asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sum(results) == 3, results
    for someone in people:
        assert Invitation.objects.filter(person=someone).count() == 1
        assert Message.objects.filter(kind=Kind.INVITATION, recipient=someone).count() == 1


def test_the_same_opportunity_sent_twice_at_once_invites_and_counts_each_person_once():
    """Both runs read the same candidate and wait for the lock on them; the second, once in,
    finds the invitation the first wrote and counts nothing (the job adds the counts up)."""
    from feedback.services.invitations import INVITATION_LOCK

    panels = ActivityTypeFactory(name="Interview panels")
    someone = rep(panels)
    start = timezone.now() + timedelta(days=20)
    opportunity = OpportunityFactory(activity_type=panels, sessions=[(start, start + timedelta(hours=1))])
    results: list = [None, None]

    def run(index: int) -> None:
        try:
            results[index] = invitations_send(opportunity_id=opportunity.pk)
        except Exception as error:  # asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    with transaction.atomic(), connection.cursor() as cursor:
        # Hold the person's lock until both runs wait for it, so both have read the candidates.
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INVITATION_LOCK, someone.pk])
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # Inside a transaction pg_stat_activity is read once and kept: read it afresh.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
            )
            if cursor.fetchone()[0] == 2:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the two runs never waited for the person's lock")
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == [0, 1], results
    assert Invitation.objects.filter(person=someone).count() == 1
    assert Message.objects.filter(kind=Kind.INVITATION, recipient=someone).count() == 1
