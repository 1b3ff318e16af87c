"""Behind a proxy, allauth's rate limits count the client's address, not the proxy's
(issue 9, item 4): settings.ALLAUTH_TRUSTED_PROXY_COUNT, from TRUSTED_PROXY_COUNT."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # every request reaches the app from the proxy's address
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"


def through_proxy(client_address: str, *, forwarded_for: str | None = None) -> Client:
    """A browser whose requests arrive through the proxy, which appends the address it saw."""
    headers = {"X-Forwarded-For": forwarded_for or client_address}
    return Client(REMOTE_ADDR=PROXY, headers=headers)


def fail_ten_log_ins(client: Client) -> None:
    # A different address each time, so that only the per-client limit (10 a minute) is
    # reached, never the per-account one.
    for attempt in range(10):
        response = client.post(
            reverse("account_login"), {"login": f"nobody{attempt}@example.org", "password": "wrong-one"}
        )
        assert response.status_code == 200


def log_in(client: Client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] in {"/me/", "/me/welcome/"}


def locked_out(client: Client, user, password) -> bool:
    """The right password no longer lets this browser in: the page is shown again."""
    response = log_in(client, user, password)
    return response.status_code in {200, 429} and "_auth_user_id" not in client.session


@pytest.fixture(scope="module")
def production_proxy_count() -> int:
    """ALLAUTH_TRUSTED_PROXY_COUNT as production settings make it with no TRUSTED_PROXY_COUNT."""
    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def test_ten_failures_from_one_client_do_not_lock_out_another_behind_the_same_proxy(
    production_proxy_count, representative, outsider, password, settings
):
    # As deployed: production settings, one proxy in front (README, "Running in production").
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = production_proxy_count
    client_a, client_b = through_proxy(CLIENT_A), through_proxy(CLIENT_B)
    fail_ten_log_ins(client_a)

    assert logged_in(log_in(client_b, representative, password))
    # The first client is locked out, even with the right password.
    assert locked_out(client_a, outsider, password)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_an_address_the_client_forged_before_the_proxy_is_not_believed(outsider, password):
    # The proxy appends the real address after whatever the client sent: the last one counts.
    fail_ten_log_ins(through_proxy(CLIENT_A, forwarded_for=f"{CLIENT_B}, {CLIENT_A}"))
    assert locked_out(through_proxy(CLIENT_A, forwarded_for=f"192.0.2.99, {CLIENT_A}"), outsider, password)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_with_no_trusted_proxy_a_forged_x_forwarded_for_is_ignored(outsider, password):
    # Without a proxy in front, anybody can send X-Forwarded-For: changing it must not buy
    # ten more tries. Both "clients" are the same machine, and it is locked out.
    fail_ten_log_ins(through_proxy(CLIENT_A))
    assert locked_out(through_proxy(CLIENT_B), outsider, password)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_request_that_skipped_a_proxy_is_counted_by_its_own_address_not_a_500(outsider, password):
    # Two proxies trusted, but the header has one entry: it cannot be trusted, so the
    # address that reached us counts, and the page still works.
    assert logged_in(log_in(through_proxy(CLIENT_A), outsider, password))


def test_production_trusts_one_proxy_by_default_and_other_environments_none(production_proxy_count, settings):
    assert production_proxy_count == 1
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the test environment: no proxy
    code = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, "TRUSTED_PROXY_COUNT": "2"})
    assert result.stdout.strip() == "2", result.stderr
