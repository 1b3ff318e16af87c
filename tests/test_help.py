"""Help when it is needed (F5): where to get urgent help, on every page's footer, the check-in
pages, the "would you like a chat?" confirmation and the public help page; and the involvement
team's contact details, from settings, on the help page and the privacy notice."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CRISIS_LINE = "0808 157 0999"
SETTINGS = {
    "TRUST_NAME": "Testshire NHS Foundation Trust",
    "TRUST_CRISIS_LINE_PHONE": CRISIS_LINE,
    "INVOLVEMENT_TEAM_PHONE": "01632 960 123",
    "INVOLVEMENT_TEAM_EMAIL": "team@trust.example.org",
    "INVOLVEMENT_TEAM_HOURS": "Tuesday to Thursday, 10am to 4pm",
    "INVOLVEMENT_TEAM_ADDRESS": ["Involvement Team", "2 Test Street", "ZZ9 9ZZ"],
}
URGENT_CARD = "Urgent advice: </span>If you need help now"


@pytest.fixture(autouse=True)
def _settings():
    with override_settings(**SETTINGS):
        yield


def assert_urgent_help(page: str) -> None:
    assert 'href="tel:999">999</a>' in page
    assert 'NHS <a href="tel:111">111</a>' in page and "option 2" in page
    assert 'Samaritans on <a href="tel:116123">116 123</a>' in page
    assert (
        f'Testshire NHS Foundation Trust crisis line on <a href="tel:08081570999">{CRISIS_LINE}</a>' in page
    )


def assert_team_contact(page: str) -> None:
    assert 'href="tel:01632960123">01632 960 123</a>' in page
    assert 'href="mailto:team@trust.example.org">team@trust.example.org</a>' in page
    assert "Tuesday to Thursday, 10am to 4pm" in page
    assert "Involvement Team<br>2 Test Street<br>ZZ9 9ZZ" in page


def test_the_help_page_is_open_to_visitors(client):
    response = client.get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Get help</h1>" in page
    assert URGENT_CARD in page
    assert_urgent_help(page)
    assert_team_contact(page)


@pytest.mark.parametrize("role", ["representative", "worker", "manager", "administrator", "outsider"])
def test_the_help_page_is_open_to_every_role(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("help"))
    assert response.status_code == 200
    assert_urgent_help(response.content.decode())


def test_the_help_page_is_open_before_a_new_representative_has_onboarded(client):
    newcomer = UserFactory(roles=[Role.REPRESENTATIVE])
    ProfileFactory(user=newcomer, onboarded_at=None)
    client.force_login(newcomer)
    assert client.get("/me/").status_code == 302  # everything else waits for the onboarding
    for url in ("/help/", "/privacy/"):
        assert client.get(url).status_code == 200, url


@override_settings(STAFF_MFA_REQUIRED=True)
def test_the_help_page_is_open_to_staff_before_they_set_up_two_factor(client, worker):
    client.force_login(worker)
    assert client.get(reverse("worker:home")).status_code == 302
    assert client.get("/help/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/opportunities/", "/privacy/", "/accounts/login/"])
def test_every_page_footer_says_where_to_get_urgent_help(client, url):
    page = client.get(url).content.decode()
    footer = page[page.index('<footer class="nhsuk-footer"') :]
    assert_urgent_help(footer)
    assert 'href="/help/">Get help and contact us</a>' in footer


def test_the_privacy_notice_gives_the_teams_contact_details(client):
    assert_team_contact(client.get(reverse("privacy")).content.decode())


@pytest.mark.parametrize("url_name", ["feedback:check_in_new", "feedback:my_check_ins"])
def test_the_check_in_pages_show_the_urgent_help_card(client, representative, url_name):
    client.force_login(representative)
    page = client.get(reverse(url_name)).content.decode()
    main = page[: page.index('<footer class="nhsuk-footer"')]
    assert URGENT_CARD in main
    assert_urgent_help(main)


def test_asking_for_a_chat_is_confirmed_with_where_to_get_help_now(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("feedback:check_in_new"),
        {"how_it_went": "2", "felt_valued": "2", "wants_chat": "on", "urgency": "today"},
        follow=True,
    )
    page = response.content.decode()
    assert "We have asked your involvement worker to get in touch." in page
    main = page[: page.index('<footer class="nhsuk-footer"')]
    assert URGENT_CARD in main
    assert_urgent_help(main)


def test_a_check_in_without_a_chat_is_thanked_without_the_urgent_card(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("feedback:check_in_new"), {"how_it_went": "4", "felt_valued": "4"}, follow=True
    )
    page = response.content.decode()
    assert "Thank you for telling us." in page
    assert URGENT_CARD not in page
