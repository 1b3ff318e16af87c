"""Never a 500, never lost text, on the profile (issue 9, items 11 and 12)."""

import pytest
from django.urls import reverse

from accounts.tests.test_profile import profile_data

pytestmark = pytest.mark.django_db


def test_a_support_note_too_long_is_explained_by_the_field_and_kept(client, representative):
    client.force_login(representative)
    typed = "Please give me a break every hour. " * 60  # over 2,000 characters
    response = client.post(reverse("me:profile"), profile_data(support_needs=typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].errors["support_needs"] == [
        "Support needs must be 2,000 characters or fewer"
    ]
    assert typed.strip() in page
    representative.profile.refresh_from_db()
    assert representative.profile.support_needs == "A seat near the door."


def test_a_far_off_return_date_is_explained(client, representative):
    client.force_login(representative)
    dates = {
        "taking_break": "on",
        "break_until_day": "31",
        "break_until_month": "12",
        "break_until_year": "9999",
    }
    response = client.post(reverse("me:profile"), profile_data(**dates))
    assert response.status_code == 200
    assert response.context["form"].errors["break_until"][0].startswith("The year must be")
    representative.profile.refresh_from_db()
    assert representative.profile.break_until is None
