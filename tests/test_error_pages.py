"""Our own error pages, in NHS.UK style, each with a way on: the home page and the involvement
team's contact details (from settings)."""

import pytest
from django.template.loader import get_template
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.error_urls")

CONTACTS = {
    "INVOLVEMENT_TEAM_PHONE": "01632 960 123",
    "INVOLVEMENT_TEAM_EMAIL": "team@trust.example.org",
    "INVOLVEMENT_TEAM_ADDRESS": ["Involvement Team", "2 Test Street", "ZZ9 9ZZ"],
}


@pytest.fixture(autouse=True)
def _contacts():
    with override_settings(**CONTACTS):
        yield


def assert_way_on(page: str, home: str = "/") -> None:
    assert 'class="nhsuk-header' in page  # our layout, not Django's bare text
    assert f'href="{home}">Go to the Involvement Hub home page</a>' in page
    assert 'href="tel:01632960123">01632 960 123</a>' in page
    assert 'href="mailto:team@trust.example.org"' in page
    assert "2 Test Street" in page
    assert 'href="/help/">where to get urgent help</a>' in page


@pytest.mark.django_db
def test_it_shows_our_404_page_to_a_visitor(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert_way_on(page)


@pytest.mark.django_db
def test_it_shows_our_404_page_to_a_signed_in_person_with_their_home(client, representative):
    client.force_login(representative)
    response = client.get(reverse("inbox:detail", args=[999999]))
    assert response.status_code == 404
    assert_way_on(response.content.decode(), home=reverse("home"))


@pytest.mark.django_db
def test_it_shows_our_403_page_without_the_reason_meant_for_the_logs(client):
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You cannot see this page</h1>" in page
    assert "meant for the logs" not in page
    assert_way_on(page)


@pytest.mark.django_db
def test_a_representative_on_a_worker_page_gets_our_403_page(client, representative):
    client.force_login(representative)
    response = client.get(reverse("worker:home"))
    assert response.status_code == 403
    assert_way_on(response.content.decode(), home=reverse("home"))


def test_it_shows_our_500_page_without_touching_the_database(client):
    # No django_db mark: any query while the 500 page renders fails this test.
    client.raise_request_exception = False
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Sorry, there is a problem with the service</h1>" in page
    assert "Something we did not expect" not in page
    assert_way_on(page)
    assert "Samaritans" in page  # the footer's urgent help, too


def test_the_500_page_renders_with_no_context_at_all():
    # What Django's server_error does: no request, no context processors.
    page = get_template("500.html").render()
    assert_way_on(page)


def test_it_shows_our_400_page(client):
    response = client.get("/test-errors/bad-request/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Sorry, there is a problem with your request</h1>" in page
    assert_way_on(page)


@pytest.mark.django_db
def test_opening_a_post_only_address_from_a_link_shows_our_405_page(client, representative):
    client.force_login(representative)
    response = client.get(reverse("inbox:mark_all_read"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "<h1>This page cannot be opened from a link</h1>" in page
    assert_way_on(page, home=reverse("home"))


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_shows_our_page(representative):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": representative.email, "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Sorry, we could not send your answers</h1>" in page
    assert_way_on(page)


@pytest.mark.django_db
def test_too_many_attempts_show_our_429_page(client):
    # allauth allows 20 sign-ups a minute from one address, then answers 429 with 429.html.
    statuses = [client.post(reverse("account_signup"), {"email": "x"}).status_code for _ in range(21)]
    assert statuses[-1] == 429
    page = client.post(reverse("account_signup"), {"email": "x"}).content.decode()
    assert "<h1>You have tried too many times</h1>" in page
    assert_way_on(page)
