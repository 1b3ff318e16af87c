"""Invitations against real transactions: they are queued only once the publish commits
(never for a publish that rolled back), and two opportunities published at once never
invite the same person twice in a week (the lock on the person). Celery runs tasks at once
in tests, so what a queued task does is in the database as soon as the publish commits."""

import threading
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
