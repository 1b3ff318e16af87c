"""How long a log-in lasts (issue 16, item 6): idle timeouts by role, an absolute limit, the
signed-in devices page, and re-authentication before changing how one logs in."""

from datetime import timedelta

import pytest
import time_machine
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import recent_authentication_required
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def log_in(client: Client, user) -> Client:
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def still_logged_in(client: Client, url: str) -> bool:
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return False
    assert response.status_code == 200
    return True


@pytest.mark.parametrize(
    ("who", "home", "idle_ok", "idle_too_long"),
    [("representative", "me:home", 59, 61), ("worker", "worker:home", 14, 16)],
)
def test_idle_timeout_by_role(client, request, who, home, idle_ok, idle_too_long):
    user = request.getfixturevalue(who)
    url = reverse(home)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(client, user)
        assert still_logged_in(client, url)
        traveller.shift(timedelta(minutes=idle_ok))
        assert still_logged_in(client, url)
        traveller.shift(timedelta(minutes=idle_too_long))
        assert not still_logged_in(client, url)


def test_the_absolute_timeout_says_why_and_comes_back_after_logging_in(client, representative):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(client, representative)
        for _ in range(15):  # active every 50 minutes, 12 hours and a half in all
            traveller.shift(timedelta(minutes=50))
            response = client.get(reverse("me:preferences"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={reverse('me:preferences')}"
    page = client.get(response["Location"])
    assert "You were logged out to keep your account safe" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "home", "every"), [("representative", "me:home", 50), ("worker", "worker:home", 14)]
)
def test_absolute_timeout_however_active(client, request, who, home, every):
    user = request.getfixturevalue(who)
    url = reverse(home)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        log_in(client, user)
        elapsed = 0
        while elapsed + every <= 12 * 60:
            traveller.shift(timedelta(minutes=every))
            elapsed += every
            assert still_logged_in(client, url), f"logged out after {elapsed} minutes"
        traveller.shift(timedelta(minutes=every))
        assert not still_logged_in(client, url)


def test_ending_the_other_sessions_logs_that_device_out(representative):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    log_in(laptop, representative)
    log_in(phone, representative)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Laptop browser" in body and "Phone browser" in body
    assert page.context["session_count"] == 2

    response = laptop.post(reverse("usersessions_list"), follow=True)
    assert "You have logged out of all your other devices." in response.content.decode()
    assert not still_logged_in(phone, reverse("me:home"))
    assert still_logged_in(laptop, reverse("me:home"))


def test_the_profile_page_links_to_the_devices(client, representative):
    client.force_login(representative)
    assert reverse("usersessions_list") in client.get(reverse("me:profile")).content.decode()


def test_adding_an_email_address_asks_for_the_password_again(client, representative):
    # A session older than allauth's few minutes (a log-in without a password stands in).
    client.force_login(representative)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "robin.new@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_setting_up_two_factor_asks_for_the_password_again(client, representative):
    client.force_login(representative)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_changing_the_password_asks_for_the_current_one(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "not-my-password",
            "password1": "a-new-password-42",
            "password2": "a-new-password-42",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"]


def _export(request):
    return HttpResponse("exported")


def test_the_decorator_lets_through_only_a_recent_log_in(client, representative):
    view = recent_authentication_required(_export)
    client.force_login(representative)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    recent = client.get(reverse("me:home")).wsgi_request
    assert view(recent).content == b"exported"

    # Logged in a moment ago, but without entering the password again for this.
    other = log_in(Client(), representative)
    stale = other.get(reverse("me:home")).wsgi_request
    with pytest.raises(ReauthenticationRequired):
        view(stale)
    # A confirmation page may show first: only the POST that does the deed asks.
    assert recent_authentication_required(allow_get=True)(_export)(stale).content == b"exported"


@pytest.mark.parametrize("who", ["representative", "worker", "manager", "administrator"])
def test_every_log_in_page_links_to_the_others(client, request, who):
    """Staff have no profile page: the log-in pages themselves lead to the signed-in devices
    and two-factor settings, and say which one is open."""
    client.force_login(request.getfixturevalue(who))
    pages = {
        "account_email": "Your e-mail address",
        "account_change_password": "Change your password",
        "mfa_index": "Two-factor authentication",
        "usersessions_list": "Your signed-in devices",
    }
    for name in pages:
        html = client.get(reverse(name)).content.decode()
        for other, words in pages.items():
            if other == name:
                assert f'<span aria-current="page">{words}</span>' in html
                assert f'href="{reverse(other)}">{words}' not in html
            else:
                assert f'<a href="{reverse(other)}">{words}</a>' in html
