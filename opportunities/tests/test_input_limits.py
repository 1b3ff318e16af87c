"""Never a 500, never lost text, on the opportunity pages (issue 9, items 11 and 12): dates in
a window, lengths by the field, a sign-up note kept when it fails, and hostile values that
used to reach a 500."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from opportunities.models import Opportunity, Session, SignUp
from opportunities.services import OpportunityError, SessionData, opportunity_save, signup_create
from opportunities.session_forms import MAX_SESSIONS
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_forms import (
    date_fields,
    error_by,
    management,
    new_opportunity_post,
    session_fields,
)

pytestmark = pytest.mark.django_db


def latest_year() -> int:
    return timezone.localdate().year + settings.SESSION_MAX_YEARS_AHEAD


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["9999", "later"])
def test_a_session_past_the_planning_window_is_explained_by_the_field(client, worker, year):
    client.force_login(worker)
    year = str(latest_year() + 1) if year == "later" else year
    data = new_opportunity_post(worker, **session_fields(0, date(2027, 1, 1)))
    data["sessions-0-date_year"] = year
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_sessions-0-date") == f"Error: The year must be {latest_year()} or earlier"
    assert f'value="{year}"' in page
    assert not Opportunity.objects.exists()


def test_a_session_at_the_end_of_the_planning_window_is_saved(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, **session_fields(0, date(latest_year(), 12, 31)))
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 302
    assert Session.objects.get().starts_at.year == latest_year()


def test_a_deadline_past_the_planning_window_is_explained_by_the_field(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, **date_fields("signup_deadline_date", date(9999, 12, 31)))
    response = client.post(reverse("opportunities:create"), data)
    page = response.content.decode()
    assert error_by(page, "id_signup_deadline_date") == f"Error: The year must be {latest_year()} or earlier"


def test_the_services_refuse_a_far_future_session_from_any_caller(worker):
    """Stored, a year-9999 session overflows every page that counts from it (the outcome's
    due date 28 days after, the reminders): so no caller may store one."""
    opportunity = OpportunityFactory.build(lead_worker=worker, activity_type=None, team=None)
    far = timezone.make_aware(timezone.datetime(9999, 12, 30, 10))
    with pytest.raises(OpportunityError, match=f"up to the end of {latest_year()}"):
        opportunity_save(
            opportunity=opportunity,
            sessions=[SessionData(starts_at=far, ends_at=far + timedelta(hours=2))],
            by=worker,
        )


@pytest.mark.parametrize(
    "params",
    [
        {"starts_from_day": "31", "starts_from_month": "12", "starts_from_year": "9999"},
        {"starts_to_day": "1", "starts_to_month": "1", "starts_to_year": "0001"},
    ],
)
def test_a_browse_filter_date_outside_the_window_is_explained(client, params):
    response = client.get(reverse("opportunities:browse"), params)
    assert response.status_code == 200
    page = response.content.decode()
    field_id = "id_starts_from" if "starts_from_day" in params else "id_starts_to"
    assert "The year must be" in error_by(page, field_id)


def test_an_absurd_number_of_sessions_is_refused_without_building_them(client, worker):
    """TOTAL_FORMS comes from the post: Django would otherwise build, check and show again
    up to 2,000 session forms."""
    client.force_login(worker)
    data = {**new_opportunity_post(worker), **management(1)}
    data["sessions-TOTAL_FORMS"] = "1" + "0" * 30
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"An opportunity can have at most {MAX_SESSIONS} sessions" in page
    assert len(response.context["formset"].forms) <= MAX_SESSIONS
    assert not Opportunity.objects.exists()


# --- lengths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,limit,message",
    [
        ("description", 5000, "Full description must be 5,000 characters or fewer"),
        ("accessibility", 2000, "Accessibility information must be 2,000 characters or fewer"),
        ("title", 150, "Title must be 150 characters or fewer"),
    ],
)
def test_too_long_text_is_explained_by_the_field_and_kept(client, worker, field, limit, message):
    client.force_login(worker)
    typed = "word " * (limit // 5) + "and more"
    response = client.post(reverse("opportunities:create"), new_opportunity_post(worker, **{field: typed}))
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, f"id_{field}") == f"Error: {message}"
    assert typed.strip() in page
    assert not Opportunity.objects.exists()


def test_a_joining_link_too_long_to_store_is_explained_not_a_500(client, worker):
    """The form had no limit and the column holds 200 characters: the database refused it."""
    client.force_login(worker)
    link = "https://meet.example.org/" + "a" * 300
    data = new_opportunity_post(worker, **{"sessions-0-joining_link": link})
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    assert error_by(response.content.decode(), "id_sessions-0-joining_link") == (
        "Error: Joining link must be 200 characters or fewer"
    )


# --- the sign-up note ----------------------------------------------------------------------------


def test_a_sign_up_note_too_long_shows_the_page_again_with_the_note_kept(client, representative):
    opportunity = OpportunityFactory()
    note = "I need a seat near the door. " * 80  # over 2,000 characters
    client.force_login(representative)
    response = client.post(reverse("opportunities:sign_up", args=[opportunity.pk]), {"note": note})
    assert response.status_code == 200  # the page itself, not a redirect that loses the note
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "There is a problem" in page
    assert error_by(page, "id_note") == "Error: Your answer must be 2,000 characters or fewer"
    assert note.strip() in page
    assert not SignUp.objects.filter(opportunity=opportunity).exists()


def test_a_sign_up_note_within_the_limit_is_saved(client, representative):
    opportunity = OpportunityFactory()
    client.force_login(representative)
    response = client.post(reverse("opportunities:sign_up", args=[opportunity.pk]), {"note": "x" * 2000})
    assert response.status_code == 302
    assert SignUp.objects.get(opportunity=opportunity).note == "x" * 2000


# --- where to go next ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["99999999999999999999", "foo", "a\x00b", "//evil.example.org/"])
def test_a_next_that_is_not_a_path_on_this_site_goes_to_the_opportunity(client, representative, target):
    """`redirect()` looks up any string without a slash as a URL name: 'foo' was a 500."""
    opportunity = OpportunityFactory()
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:withdraw", args=[opportunity.pk]), {"confirm": "yes", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])


def test_a_next_on_this_site_is_followed(client, representative):
    opportunity = OpportunityFactory()
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:withdraw", args=[opportunity.pk]), {"confirm": "yes", "next": "/me/"}
    )
    assert response["Location"] == "/me/"


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("places", [str(10**30), "99999999999999999999", "32768"])
def test_an_overflowing_number_of_places_is_explained_by_the_field(client, worker, places):
    client.force_login(worker)
    response = client.post(reverse("opportunities:create"), new_opportunity_post(worker, places=places))
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_places") == "Error: There can be at most 32,767 places"
    assert f'value="{places}"' in page
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), "-1", "1e5"])
def test_an_overflowing_page_number_shows_a_page(client, page):
    assert client.get(reverse("opportunities:browse"), {"page": page}).status_code == 200


@pytest.mark.parametrize("url", ["/opportunities/99999999999999999999/", f"/opportunities/{2**63}/sign-up/"])
def test_an_id_beyond_bigint_is_a_404(client, representative, url):
    client.force_login(representative)
    # Never a 500: a 404, or a 405 where the page does not take that method at all.
    assert client.get(url).status_code in {404, 405}
    assert client.post(url).status_code in {404, 405}
