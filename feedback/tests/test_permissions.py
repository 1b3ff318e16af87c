"""Every page applies the rules in feedback/permissions.py and nothing else, so that what a
page offers, what it lets in and what the service accepts cannot drift apart."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import CheckIn
from feedback.services import FeedbackError, check_in_create
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

ROLES = ["representative", "worker", "other_worker", "manager", "administrator", "outsider"]
CHECK_IN_LINK = 'href="{}"'.format(reverse("feedback:check_in_new"))


@pytest.mark.parametrize("role", ROLES)
def test_the_help_page_offers_a_check_in_only_to_those_the_check_in_page_lets_in(client, request, role):
    # The help page once offered the link to anyone logged in, copying the check-in page's
    # rule by hand: staff were sent to a page that refused them.
    client.force_login(request.getfixturevalue(role))
    let_in = client.get(reverse("feedback:check_in_new")).status_code == 200
    offered = CHECK_IN_LINK in client.get(reverse("help")).content.decode()
    assert offered == let_in


def test_visitors_are_not_offered_a_check_in(client):
    assert CHECK_IN_LINK not in client.get(reverse("help")).content.decode()


@pytest.mark.parametrize("state", list(SignUp.State))
def test_the_check_in_page_and_the_service_agree_on_who_took_part(client, representative, state):
    """One rule (`feedback.check_in_about`) for the page and the service, for every state."""
    end = timezone.now() - timedelta(days=2)
    opportunity = OpportunityFactory(
        status=Opportunity.Status.COMPLETED,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
    )
    SignUp.objects.create(opportunity=opportunity, person=representative, state=state)
    allowed = representative.has_perm("feedback.check_in_about", opportunity)
    assert allowed == (state in {SignUp.State.ATTENDED, SignUp.State.CONFIRMED})

    client.force_login(representative)
    address = f"{reverse('feedback:check_in_new')}?opportunity={opportunity.pk}"
    assert client.get(address).status_code == (200 if allowed else 404)
    if allowed:
        check_in_create(person=representative, opportunity=opportunity, how_it_went=4, felt_valued=4)
        assert CheckIn.objects.filter(person=representative, opportunity=opportunity).exists()
    else:
        with pytest.raises(FeedbackError):
            check_in_create(person=representative, opportunity=opportunity, how_it_went=4, felt_valued=4)


def test_staff_may_not_check_in_about_an_activity_they_were_signed_up_to(worker):
    opportunity = OpportunityFactory()
    SignUp.objects.create(opportunity=opportunity, person=worker, state=SignUp.State.CONFIRMED)
    assert not worker.has_perm("feedback.check_in", None)
    assert not worker.has_perm("feedback.check_in_about", opportunity)


def test_the_views_run_no_queries_of_their_own():
    """Reads go through feedback/selectors.py and checks through the rules: the views name
    no model manager (`Model.objects`) at all."""
    source = Path(__file__).resolve().parent.parent / "views.py"
    managers = [
        node.lineno
        for node in ast.walk(ast.parse(source.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert managers == []
