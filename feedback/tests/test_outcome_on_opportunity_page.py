"""The opportunity's page shows its outcome once published, through feedback's template tag
(opportunities sits below feedback and never asks for its data)."""

import pytest
from django.urls import reverse

from feedback.services import outcome_publish, outcome_save
from opportunities.models import Opportunity
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_the_opportunity_page_shows_the_outcome_only_once_published(client, worker):
    opportunity = OpportunityFactory(lead_worker=worker, status=Opportunity.Status.COMPLETED)
    page = reverse("opportunities:detail", args=[opportunity.pk])
    assert "You said, we did</h2>" not in client.get(page).content.decode()

    outcome = outcome_save(
        opportunity=opportunity, by=worker, you_said="Too few chairs.", we_did="More chairs."
    )
    draft = client.get(page).content.decode()
    assert "You said, we did</h2>" not in draft and "More chairs." not in draft

    outcome_publish(outcome=outcome, by=worker)
    published = client.get(page).content.decode()
    assert (
        "You said, we did</h2>" in published
        and "Too few chairs." in published
        and "More chairs." in published
    )
