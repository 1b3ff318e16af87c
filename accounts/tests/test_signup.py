"""Registering, verifying the e-mail address and logging in, through allauth's real views."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role, role_names

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.person@example.org",
    "password1": "a-long-new-password-17",
    "password2": "a-long-new-password-17",
    "privacy_consent": "on",
}


def code_from_last_email() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_signing_up_makes_a_representative_with_consent_recorded(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert role_names(user) == {Role.REPRESENTATIVE}
    assert not user.is_staff and not user.is_superuser
    assert user.profile.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert user.profile.privacy_consent_at is not None
    assert user.profile.onboarded_at is None


def test_signing_up_cannot_make_anybody_staff(client):
    client.post(reverse("account_signup"), {**SIGNUP, "roles": [Role.ADMINISTRATOR], "is_staff": "on"})
    user = User.objects.get(email="new.person@example.org")
    assert role_names(user) == {Role.REPRESENTATIVE}
    assert not user.is_staff


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"privacy_consent": None}, "Agree to the privacy notice to register"),
        ({"email": "not-an-address"}, "Enter a valid email address"),
        ({"password2": "something-else-entirely"}, "Enter the same password in both boxes"),
        ({"password1": "short", "password2": "short"}, "This password is too short"),
    ],
)
def test_signing_up_explains_bad_input_and_keeps_it(client, overrides, message):
    data = {key: value for key, value in {**SIGNUP, **overrides}.items() if value is not None}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "There is a problem" in page
    assert f'value="{data["email"]}"' in page
    assert not User.objects.exists()


def test_verification_is_mandatory_and_done_with_the_emailed_code(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    assert len(mail.outbox) == 1
    code = code_from_last_email()
    # Not verified yet: no way in.
    assert client.get(reverse("me:home")).status_code == 302
    response = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert response.status_code == 302
    # Logged in and, being new, taken to the onboarding before anything else.
    response = client.get(reverse("me:home"))
    assert response.status_code == 302 and response["Location"] == reverse("me:welcome")


def test_an_unverified_person_cannot_log_in_with_their_password(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    client.post(reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]})
    assert client.get(reverse("me:home")).status_code == 302  # still not in


@pytest.mark.parametrize(
    "role,home",
    [
        ("representative", "/me/"),
        ("worker", "/worker/"),
        ("manager", "/dashboard/"),
        ("administrator", "/admin/"),
    ],
)
def test_each_role_logs_in_with_a_password_and_lands_on_its_home(client, request, password, role, home):
    user = request.getfixturevalue(role)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == home


def test_a_wrong_password_says_so_and_keeps_the_email(client, representative):
    response = client.post(reverse("account_login"), {"login": representative.email, "password": "wrong-one"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("The email address or password is not right. Check them and try again") == 1
    assert f'value="{representative.email}"' in page


def test_a_person_can_log_in_with_a_code_instead_of_a_password(
    client, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": representative.email})
    assert response.status_code == 302
    code = code_from_last_email()
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200


def test_a_wrong_login_code_says_so(client, representative):
    client.post(reverse("account_request_login_code"), {"email": representative.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert response.status_code == 200
    assert "The code is not right. Check it and try again" in response.content.decode()
    assert client.get("/me/").status_code == 302


def test_repeated_failed_logins_are_rate_limited_in_the_shared_cache(client, representative):
    # allauth's default limit for failed log-ins on one account is 5 in 5 minutes, counted in Redis.
    for _ in range(5):
        client.post(reverse("account_login"), {"login": representative.email, "password": "wrong-one"})
    response = client.post(reverse("account_login"), {"login": representative.email, "password": "wrong-one"})
    page = response.content.decode()
    assert response.status_code == 429 or "You have tried to log in too many times" in page


def test_a_password_reset_email_lets_the_person_choose_a_new_password(
    client, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": representative.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "a-brand-new-password-99", "password2": "a-brand-new-password-99"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": representative.email, "password": "a-brand-new-password-99"}
    )
    assert response["Location"] == "/me/"


def test_logging_out_ends_the_session(client, representative):
    client.force_login(representative)
    client.post(reverse("account_logout"))
    assert client.get("/me/").status_code == 302


def test_the_session_ends_after_the_idle_timeout(client, representative):
    """Activity renews the session and its cookie, at most once a minute (accounts.sessions):
    an idle timeout, not one counted from logging in."""
    cookie = settings.SESSION_COOKIE_NAME
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(representative)
        client.get("/me/")
        assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
        traveller.shift(timedelta(seconds=30))
        assert cookie not in client.get("/me/").cookies  # renewed a moment ago: nothing written
        traveller.shift(timedelta(seconds=31))
        renewed = client.get("/me/").cookies[cookie]
        assert renewed["max-age"] == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
