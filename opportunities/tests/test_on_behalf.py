"""A worker acts for a person (assisted digital, issue 13 item 4), recorded as "by the
worker on behalf of the person". Calls as tasks (item 7) are in test_call_tasks.py."""

import pytest

from accounts.assisted import person_register_assisted
from notifications.models import ContactTask, Message
from opportunities.models import SignUp
from opportunities.services import (
    OpportunityError,
    signup_accept,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


@pytest.fixture
def pat(worker):
    return person_register_assisted(
        by=worker,
        first_name="Pat",
        last_name="Phone",
        phone="01632 960001",
        privacy_notice_read=True,
        consent=True,
    )


def test_a_worker_signs_up_withdraws_and_accepts_on_a_persons_behalf(pat, worker):
    opportunity = OpportunityFactory(places=1)
    signup = signup_create(opportunity=opportunity, person=pat, by=worker)
    assert signup.state == State.CONFIRMED
    signup = signup_withdraw(signup=signup, person=pat, by=worker)
    assert signup.state == State.WITHDRAWN
    events = list(signup.events.values_list("to_state", "actor", "on_behalf_of"))
    assert events == [(State.CONFIRMED, worker.pk, pat.pk), (State.WITHDRAWN, worker.pk, pat.pk)]


def test_accepting_an_offer_on_their_behalf(pat, worker, representative):
    opportunity = OpportunityFactory(places=1)
    first = signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=pat, by=worker)
    assert waiting.state == State.WAITLISTED
    signup_withdraw(signup=first, person=representative)
    waiting.refresh_from_db()
    assert waiting.state == State.OFFERED
    accepted = signup_accept(signup=waiting, person=pat, by=worker)
    last = accepted.events.last()
    assert (accepted.state, last.actor, last.on_behalf_of) == (State.CONFIRMED, worker, pat)


def test_a_person_acting_for_themselves_is_not_on_anyones_behalf(representative):
    signup = signup_create(opportunity=OpportunityFactory(), person=representative, by=representative)
    event = signup.events.get()
    assert (event.actor, event.on_behalf_of) == (representative, None)


@pytest.mark.parametrize("who", ["other_worker", "manager", "administrator", "outsider"])
def test_nobody_else_may_act_for_them(pat, who, request):
    somebody = request.getfixturevalue(who)
    opportunity = OpportunityFactory()
    with pytest.raises(OpportunityError, match="looks after this person"):
        signup_create(opportunity=opportunity, person=pat, by=somebody)
    assert not SignUp.objects.exists()


def test_a_worker_cannot_act_for_another_worker(worker, other_worker):
    with pytest.raises(OpportunityError):
        signup_create(opportunity=OpportunityFactory(), person=other_worker, by=worker)


def test_their_confirmation_becomes_a_call_for_their_worker_not_an_email(pat, worker):
    signup_create(opportunity=OpportunityFactory(), person=pat, by=worker)
    assert not Message.objects.filter(recipient=pat).exists()
    task = ContactTask.objects.get(person=pat)
    assert (task.worker, task.method) == (worker, ContactTask.Method.PHONE)
