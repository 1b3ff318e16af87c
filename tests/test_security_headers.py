"""Headers every response carries (issue 9, items 3 and 6): personal data is never cached, a
Permissions-Policy denies device access, and only GET, HEAD and POST are answered."""

import pytest
from django.urls import reverse

from accounts.selectors import profile_for_user
from accounts.services import calendar_token_get_or_create
from opportunities.tests.calendar_factories import SessionFactory, SignUpFactory

pytestmark = pytest.mark.django_db

STATIC_FILE = "/static/js/app.mjs"


def never_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


# --- item 3: pages with personal data are never cached ---------------------------------------


@pytest.mark.parametrize(
    "role,url",
    [
        ("representative", "/me/"),
        ("representative", "/me/profile/"),
        ("representative", "/me/check-ins/"),
        ("representative", "/opportunities/"),  # a public page, but this one is signed in
        ("representative", "/"),
        ("representative", "/dashboard/"),  # refused (403): still a signed-in response
        ("worker", "/worker/"),
        ("manager", "/dashboard/"),
        ("administrator", "/admin/"),
    ],
)
def test_every_signed_in_page_is_never_stored(client, request, role, url):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code in {200, 403}, (url, response.status_code)
    assert never_stored(response), (url, response.get("Cache-Control"))


def test_the_response_that_logs_someone_in_or_out_is_never_stored(client, representative, password):
    response = client.post(reverse("account_login"), {"login": representative.email, "password": password})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert never_stored(response)
    response = client.post(reverse("account_logout"))
    assert never_stored(response)


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/", "/accounts/signup/"])
def test_account_pages_are_never_stored_even_before_log_in(client, url):
    # They can show the address a code was sent to, or the e-mail typed into a failed form.
    response = client.get(url)
    assert response.status_code == 200
    assert never_stored(response)


@pytest.mark.parametrize("url", ["/", "/opportunities/", "/outcomes/", "/privacy/"])
def test_public_pages_for_visitors_stay_cacheable(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_stay_cacheable_for_everyone(client, representative, signed_in):
    if signed_in:
        client.force_login(representative)
    response = client.get(STATIC_FILE)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_dashboard_csv_exports_are_never_stored(client, manager):
    client.force_login(manager)
    for table in ["reach", "activity", "trend"]:
        response = client.get(f"/dashboard/export/{table}.csv")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert never_stored(response), table


def test_my_calendar_and_its_private_feed_are_never_stored(client, representative):
    session = SessionFactory()
    signup = SignUpFactory(opportunity=session.opportunity, person=representative)
    client.force_login(representative)
    assert never_stored(client.get("/me/calendar.ics"))
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))
    client.logout()
    # Fetched by a calendar app with no log-in, yet it holds the person's sessions.
    response = client.get(reverse("calendar_feed", kwargs={"token": token}))
    assert response.status_code == 200 and signup.opportunity.title in response.content.decode()
    assert never_stored(response)


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_opportunity_calendar_download_is_never_stored(client, representative, signed_in):
    opportunity = SessionFactory().opportunity
    if signed_in:
        client.force_login(representative)  # signed in, it carries the exact address
    response = client.get(f"/opportunities/{opportunity.pk}/calendar.ics")
    assert response.status_code == 200
    assert never_stored(response)


# --- item 6: Permissions-Policy on every response ---------------------------------------------


@pytest.mark.parametrize(
    "url,status",
    [("/", 200), ("/me/", 302), ("/no-such-page/", 404), (STATIC_FILE, 200), ("/healthz", None)],
)
def test_every_response_denies_camera_microphone_location_payment_and_usb(client, url, status):
    response = client.get(url)
    if status is not None:
        assert response.status_code == status
    policy = response["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"]:
        assert f"{feature}=()" in policy


def test_signed_in_pages_and_refusals_carry_the_policy_too(client, representative):
    client.force_login(representative)
    assert "camera=()" in client.get("/me/")["Permissions-Policy"]
    assert "camera=()" in client.trace("/me/")["Permissions-Policy"]


# --- item 6: TRACE and unknown methods answer 405 ------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "FOO"])
@pytest.mark.parametrize("url", ["/", "/opportunities/", "/privacy/", "/accounts/login/", STATIC_FILE])
def test_methods_no_page_uses_answer_405(client, method, url):
    response = client.generic(method, url)
    assert response.status_code == 405, (method, url, response.status_code)
    assert response["Allow"] == "GET, HEAD, POST"


def test_trace_is_405_for_a_signed_in_person_too(client, representative):
    client.force_login(representative)
    response = client.trace("/me/")
    assert response.status_code == 405
    assert b"Robin" not in response.content


@pytest.mark.parametrize("url", ["/", "/opportunities/", "/accounts/login/", STATIC_FILE])
def test_get_and_head_still_work(client, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
