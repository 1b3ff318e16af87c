"""The sign-up and selection rules at their edges: the exact moment a deadline passes, the
last place, the words a person is shown. Each test here was written for a change that the
mutation run (`make mutation`, docs/testing.md) made to opportunities/services and that no
other test noticed."""

import pytest
import time_machine

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Opportunity, SignUp
from opportunities.services import OpportunityError, opportunity_complete, signup_create
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
Status = Opportunity.Status


def rep():
    return person(roles=[Role.REPRESENTATIVE])


# --- states.py ---------------------------------------------------------------------------------


def test_signing_up_at_the_very_moment_of_the_deadline_is_refused():
    """The deadline is the last moment to sign up before, not at: the page says "sign up by",
    and the fair-share selection may run from that moment on."""
    opportunity = OpportunityFactory()
    with (
        time_machine.travel(opportunity.signup_deadline, tick=False),
        pytest.raises(OpportunityError) as refused,
    ):
        signup_create(opportunity=opportunity, person=rep())
    assert str(refused.value) == "The sign-up deadline has passed."
    assert not opportunity.signups.exists()


def test_completing_an_opportunity_with_no_sessions_says_to_add_them_first(worker):
    opportunity = OpportunityFactory()
    opportunity.sessions.all().delete()
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_at=None, ends_at=None)
    opportunity.refresh_from_db()
    with pytest.raises(OpportunityError) as refused:
        opportunity_complete(opportunity=opportunity, by=worker)
    # The whole sentence, as the worker reads it on the page.
    assert str(refused.value) == (
        "Add its sessions first: an opportunity is completed after its last session has ended."
    )
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED
