"""A person who prefers a phone call gets a call task about an offer of a place or a
changed session (issue 13, item 7): for their named worker, or else the lead worker, due by
the offer's expiry or the session's start, made once per cause."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import ContactMethod
from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.models import ContactTask, Message
from opportunities.services import SessionData, opportunity_save, signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def phone_person(**profile):
    return person(
        roles=[Role.REPRESENTATIVE], contact_method=ContactMethod.PHONE, phone="01632 960009", **profile
    )


def test_an_offer_to_a_person_who_prefers_a_call_is_a_call_task_due_when_it_lapses(worker, representative):
    caller = phone_person(named_worker=worker)
    opportunity = OpportunityFactory(places=1)
    first = signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=caller)
    assert not ContactTask.objects.exists()  # joining the waiting list: an e-mail alone
    signup_withdraw(signup=first, person=representative)
    waiting.refresh_from_db()
    task = ContactTask.objects.get()
    assert (task.person, task.worker, task.due_at) == (caller, worker, waiting.offer_expires_at)
    assert Message.objects.filter(recipient=caller, kind="place_offered").count() == 1


def test_without_a_named_worker_the_lead_worker_gets_the_call(representative):
    caller = phone_person()
    opportunity = OpportunityFactory(places=1)
    first = signup_create(opportunity=opportunity, person=representative)
    signup_create(opportunity=opportunity, person=caller)
    signup_withdraw(signup=first, person=representative)
    assert ContactTask.objects.get().worker == opportunity.lead_worker


def test_a_changed_session_is_a_call_due_at_its_start_made_once(worker):
    caller = phone_person(named_worker=worker)
    emailer = person(roles=[Role.REPRESENTATIVE], phone="01632 960010")
    opportunity = OpportunityFactory(places=3)
    for someone in (caller, emailer):
        signup_create(opportunity=opportunity, person=someone)
    session = opportunity.sessions.get()
    moved = session.starts_at + timedelta(days=1)
    sessions = [
        SessionData(starts_at=moved, ends_at=moved + timedelta(hours=2), area="Central Leeds", id=session.pk)
    ]
    for _ in range(2):
        opportunity.refresh_from_db()
        opportunity_save(opportunity=opportunity, sessions=sessions, by=opportunity.lead_worker)
    task = ContactTask.objects.get()
    # Before the old time: they would otherwise come then.
    assert (task.person, task.worker, task.due_at) == (caller, worker, session.starts_at)
    assert task.dedupe_key.startswith("sessions:changed:")


def test_a_change_to_past_sessions_only_has_no_deadline(worker):
    # The deadline is the earliest changed session still to come; none here but the new one.
    caller = phone_person(named_worker=worker)
    opportunity = OpportunityFactory()
    signup_create(opportunity=opportunity, person=caller)
    session = opportunity.sessions.get()
    later = timezone.now() + timedelta(days=30)
    added = SessionData(starts_at=later, ends_at=later + timedelta(hours=1), area="Central Leeds")
    keep = SessionData(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        area=session.area,
        location=session.location,
        id=session.pk,
    )
    opportunity_save(opportunity=opportunity, sessions=[keep, added], by=opportunity.lead_worker)
    assert ContactTask.objects.get().due_at == later
