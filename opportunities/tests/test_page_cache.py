"""The opportunity's page keeps its public part in the cache (opportunities/page_parts.py),
and /me/ its list of sign-ups (home/views.py). Neither is ever stale: each is kept under a
digest of what it shows, so any change, made by any route, shows on the next request. These
tests read a page once (which fills the cache), change something behind the page's back,
without the services and without touching the opportunity's `updated_at`, and read again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from catalogue.models import ActivityType, Course, Team
from opportunities.models import Opportunity, Session
from opportunities.services import signup_create
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(worker):
    return OpportunityFactory(title="Interview panel: ward manager", lead_worker=worker)


def page(client, opportunity) -> str:
    response = client.get(reverse("opportunities:detail", args=[opportunity.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "representative"])
def test_every_change_to_what_the_page_shows_is_there_on_the_next_request(
    client, opportunity, representative, signed_in
):
    if signed_in:
        client.force_login(representative)
    assert "Interview panel: ward manager" in page(client, opportunity)
    assert "Interview panel: ward manager" in page(client, opportunity)  # from the cache now

    Opportunity.objects.filter(pk=opportunity.pk).update(title="Interview panel: matron")
    assert "Interview panel: matron" in page(client, opportunity)

    Opportunity.objects.filter(pk=opportunity.pk).update(description="Bring your reading glasses.")
    assert "Bring your reading glasses." in page(client, opportunity)

    Team.objects.filter(pk=opportunity.team_id).update(name="Maternity services")
    assert "Maternity services" in page(client, opportunity)

    ActivityType.objects.filter(pk=opportunity.activity_type_id).update(name="Recruitment panel")
    assert "Recruitment panel" in page(client, opportunity)

    Session.objects.filter(opportunity=opportunity).update(area="Chapel Allerton")
    assert "Chapel Allerton" in page(client, opportunity)

    starts = timezone.now() + timedelta(days=20)
    Session.objects.create(
        opportunity=opportunity, starts_at=starts, ends_at=starts + timedelta(hours=1), area="Seacroft"
    )
    assert "Seacroft" in page(client, opportunity)

    course = Course.objects.create(name="Safer recruitment", description="A morning's course.")
    Opportunity.objects.filter(pk=opportunity.pk).update(trains_for=course)
    assert "Training for" in page(client, opportunity)
    Course.objects.filter(pk=course.pk).update(name="Fair recruitment")
    assert "Fair recruitment" in page(client, opportunity)

    Opportunity.objects.filter(pk=opportunity.pk).update(places_taken=opportunity.places)
    assert "all taken" in page(client, opportunity)


def test_the_lead_workers_contact_is_current_and_shown_only_to_people_signed_in(
    client, opportunity, representative, worker
):
    assert worker.email not in page(client, opportunity)
    client.force_login(representative)
    assert worker.email in page(client, opportunity)
    User.objects.filter(pk=worker.pk).update(email="wendy.new@example.org")
    assert "wendy.new@example.org" in page(client, opportunity)
    client.logout()
    assert "wendy.new@example.org" not in page(client, opportunity)
    assert "1 Park Row, Leeds" not in page(client, opportunity)


def test_a_status_change_shows_at_once(client, opportunity):
    assert "Sign-ups are closed." not in page(client, opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.CLOSED)
    assert "Sign-ups are closed." in page(client, opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=Opportunity.Status.CANCELLED, cancel_reason="The post was withdrawn."
    )
    content = page(client, opportunity)
    assert "This has been cancelled" in content
    assert "The post was withdrawn." in content


def test_a_note_sent_back_with_a_message_does_not_stay_in_the_form_for_the_next_person(
    client, opportunity, representative, outsider
):
    client.force_login(representative)
    too_long = "x" * 2001
    response = client.post(reverse("opportunities:sign_up", args=[opportunity.pk]), {"note": too_long})
    assert response.status_code == 200
    assert too_long in response.content.decode()
    client.force_login(outsider)
    content = page(client, opportunity)
    assert too_long not in content
    assert 'name="note"' in content


def test_me_shows_a_change_to_a_sign_up_at_once(client, opportunity, representative):
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    home = reverse("me:home")
    assert "Interview panel: ward manager" in client.get(home).content.decode()
    Opportunity.objects.filter(pk=opportunity.pk).update(title="Interview panel: matron")
    content = client.get(home).content.decode()
    assert "Interview panel: matron" in content
    assert "Interview panel: ward manager" not in content
    opportunity.signups.update(state="waitlisted", place_number=None, waitlist_position=1)
    content = client.get(home).content.decode()
    assert "On a waiting list" in content
    assert "Confirmed</h3>" not in content
