"""Being lead worker opens every door to a participant at once, and they close together
(issue 9, item 2): the person, their support note, their check-ins and their sign-up's
details, while the sign-up is active or for LEAD_ACCESS_DAYS_AFTER days after the activity.
Check-ins are feedback's, so the doors are asked here, above opportunities."""

import pytest
from django.urls import reverse

from feedback.models import CheckIn
from opportunities.selectors import participants
from opportunities.tests.test_lead_worker import ACTIVE, STEPPED_AWAY, TOOK_PART, State, signed_up

pytestmark = pytest.mark.django_db


def lead_may_read(lead, someone, signup) -> dict[str, bool]:
    """Every door that being lead opens, asked at once: they must agree."""
    check_in = CheckIn.objects.create(
        person=someone, opportunity=signup.opportunity, how_it_went=4, felt_valued=4
    )
    listed = participants(opportunity=signup.opportunity).get(pk=signup.pk)
    return {
        "person": lead.has_perm("accounts.view_person", someone),
        "support note": lead.has_perm("accounts.view_support_note", someone),
        "check-in": lead.has_perm("feedback.view_check_in", check_in),
        "sign-up (queried)": lead.has_perm("opportunities.view_participant_details", signup),
        "sign-up (listed)": lead.has_perm("opportunities.view_participant_details", listed),
    }


@pytest.mark.parametrize("state", ACTIVE)
def test_being_lead_opens_notes_while_the_sign_up_is_active(other_worker, outsider, state):
    signup = signed_up(other_worker, outsider, state)
    assert all(lead_may_read(other_worker, outsider, signup).values())


@pytest.mark.parametrize("state", STEPPED_AWAY)
def test_a_sign_up_that_stepped_away_opens_nothing(other_worker, outsider, state):
    signup = signed_up(other_worker, outsider, state)
    assert not any(lead_may_read(other_worker, outsider, signup).values())


@pytest.mark.parametrize("state", TOOK_PART)
def test_notes_stay_open_89_days_after_the_activity_and_close_at_91(other_worker, outsider, state):
    recent = signed_up(other_worker, outsider, state, ended_days_ago=89)
    assert all(lead_may_read(other_worker, outsider, recent).values())
    recent.delete()
    old = signed_up(other_worker, outsider, state, ended_days_ago=91)
    assert not any(lead_may_read(other_worker, outsider, old).values())


def test_the_lead_reads_a_check_in_89_days_after_and_not_91(client, other_worker, outsider):
    for days in [89, 91]:
        signup = signed_up(other_worker, outsider, State.ATTENDED, ended_days_ago=days)
        CheckIn.objects.create(
            person=outsider,
            opportunity=signup.opportunity,
            how_it_went=2,
            felt_valued=2,
            went_well=f"Day {days}",
        )
    client.force_login(other_worker)
    page = client.get(reverse("feedback:person_check_ins", args=[outsider.pk]))
    # The person is visible through the recent activity; only its check-in is readable.
    assert page.status_code == 200
    text = page.content.decode()
    assert "Day 89" in text and "Day 91" not in text
