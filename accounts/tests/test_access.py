"""Every page, every role: allowed, forbidden, and anonymous visitors sent to log in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/privacy/", "/accessibility/", "/accounts/login/", "/accounts/signup/"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_it_shows_public_pages_to_anonymous_visitors(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/home/", "/me/", "/me/welcome/", "/me/profile/", "/worker/", "/dashboard/", "/accounts/email/"]
)
def test_it_sends_anonymous_visitors_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_it_sends_anonymous_visitors_to_log_in_for_a_person_page(client, representative):
    for name in ["worker:person", "worker:support_note"]:
        response = client.get(reverse(name, args=[representative.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# (url name, role fixture) -> expected status for a signed-in person with that role.
ROLE_PAGES = [
    ("me:home", {"representative": 200, "worker": 403, "manager": 403, "administrator": 403}),
    ("me:profile", {"representative": 200, "worker": 403, "manager": 403, "administrator": 403}),
    ("worker:home", {"representative": 403, "worker": 200, "manager": 403, "administrator": 403}),
    ("dashboard:home", {"representative": 403, "worker": 403, "manager": 200, "administrator": 200}),
]


@pytest.mark.parametrize("url_name,expected", ROLE_PAGES)
@pytest.mark.parametrize("role", ["representative", "worker", "manager", "administrator"])
def test_it_lets_each_role_reach_only_its_pages(client, request, url_name, expected, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(url_name)).status_code == expected[role]


@pytest.mark.parametrize(
    "role,home",
    [
        ("representative", "/me/"),
        ("worker", "/worker/"),
        ("manager", "/dashboard/"),
        ("administrator", "/admin/"),
    ],
)
def test_it_sends_each_role_to_its_home(client, request, role, home):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == home


def test_it_lets_the_named_worker_see_their_person(client, worker, representative):
    client.force_login(worker)
    response = client.get(reverse("worker:person", args=[representative.pk]))
    assert response.status_code == 200
    assert "Robin" in response.content.decode()
    # The note itself is not on this page: opening it is a separate, logged act.
    assert "A seat near the door." not in response.content.decode()


@pytest.mark.parametrize("url_name", ["worker:person", "worker:support_note"])
def test_it_hides_people_from_workers_who_are_not_theirs(client, other_worker, representative, url_name):
    client.force_login(other_worker)
    assert client.get(reverse(url_name, args=[representative.pk])).status_code == 404


@pytest.mark.parametrize("role", ["manager", "administrator", "outsider"])
@pytest.mark.parametrize("url_name", ["worker:person", "worker:support_note"])
def test_it_forbids_non_workers_from_person_pages(client, request, representative, role, url_name):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(url_name, args=[representative.pk])).status_code == 403


def test_a_representative_gets_403_or_404_on_every_staff_page(client, outsider, representative):
    client.force_login(outsider)
    for url in [
        reverse("worker:home"),
        reverse("worker:person", args=[representative.pk]),
        reverse("worker:support_note", args=[representative.pk]),
        reverse("dashboard:home"),
    ]:
        assert client.get(url).status_code in {403, 404}, url


def test_a_worker_cannot_enter_the_admin(client, worker):
    client.force_login(worker)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get("/admin/accounts/user/").status_code == 302


@pytest.mark.parametrize("role", ["representative", "manager"])
def test_other_roles_cannot_enter_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/accounts/user/").status_code == 302


def test_an_administrator_can_use_the_admin(client, administrator):
    client.force_login(administrator)
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/catalogue/team/",
        "/admin/accounts/accesslogentry/",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_navigation_shows_only_what_a_role_may_use(client, representative, manager):
    client.force_login(representative)
    page = client.get(reverse("me:home")).content.decode()
    assert "My profile" in page and "Worker home" not in page and "Dashboard" not in page
    client.force_login(manager)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Dashboard" in page and "My profile" not in page and "Administration" not in page
