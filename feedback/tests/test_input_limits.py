"""Never a 500, never lost text, on the feedback pages (issue 9, items 11 and 12)."""

import pytest

from feedback.models import CheckIn, FollowUp, Outcome
from feedback.tests.test_views import (  # noqa: F401  (fixtures)
    attended,
    check_in_url,
    error_by,
    follow_up_url,
    outcome_fields,
    outcome_url,
    scores,
    took_part,
    world,
)

pytestmark = pytest.mark.django_db


def test_an_evidence_link_too_long_to_store_is_explained_not_a_500(client, worker, took_part):  # noqa: F811
    """The form had no limit and the column holds 200 characters: the database refused it."""
    client.force_login(worker)
    link = "https://www.example.nhs.uk/" + "a" * 300
    response = client.post(outcome_url(took_part.opportunity), outcome_fields(evidence_url=link))
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_evidence_url") == "Error: Link to evidence must be 200 characters or fewer"
    assert "The waiting room felt unsafe at night." in page
    assert not Outcome.objects.exists()


def test_an_outcome_too_long_is_explained_by_the_field_and_kept(client, worker, took_part):  # noqa: F811
    client.force_login(worker)
    typed = "We listened. " * 400  # over 5,000 characters
    response = client.post(outcome_url(took_part.opportunity), outcome_fields(we_did=typed))
    page = response.content.decode()
    assert error_by(page, "id_we_did") == "Error: We did must be 5,000 characters or fewer"
    assert typed.strip() in page
    assert not Outcome.objects.exists()


def test_a_far_off_follow_up_date_is_explained(client, worker, took_part):  # noqa: F811
    client.force_login(worker)
    dates = {"follow_up_on_day": "31", "follow_up_on_month": "12", "follow_up_on_year": "9999"}
    response = client.post(outcome_url(took_part.opportunity), outcome_fields(**dates))
    assert "The year must be" in error_by(response.content.decode(), "id_follow_up_on")
    assert not Outcome.objects.exists()


def test_a_check_in_too_long_is_explained_by_the_field_and_kept(client, representative, attended):  # noqa: F811
    client.force_login(representative)
    typed = "It went well. " * 150  # over 2,000 characters
    response = client.post(check_in_url(attended), scores(went_well=typed, opportunity=attended.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_went_well") == "Error: Your answer must be 2,000 characters or fewer"
    assert typed.strip() in page
    assert not CheckIn.objects.exists()


def test_closing_a_follow_up_with_too_much_text_is_explained(client, worker, world):  # noqa: F811
    client.force_login(worker)
    typed = "Phoned and met. " * 130
    response = client.post(follow_up_url(world.follow_up), {"action_taken": typed})
    assert response.status_code == 200
    assert error_by(response.content.decode(), "id_action_taken") == (
        "Error: Your answer must be 2,000 characters or fewer"
    )
    assert FollowUp.objects.get(pk=world.follow_up.pk).status == FollowUp.Status.OPEN
