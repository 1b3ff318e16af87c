"""allauth's pages and e-mails speak as this service, in NHS.UK wording: "Log in" and "Create
an account", never "Sign In"; one error per problem; the privacy notice beside the consent box;
e-mails from Involvement Hub and its involvement team, never "Hello from !"."""

import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.tests.test_signup import SIGNUP

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en_GB" / "LC_MESSAGES" / "django.po"
ALLAUTH_CATALOGUE = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
# allauth's own words for logging in, out and creating an account.
ALLAUTH_WORDS = re.compile(r"sign[ -]?in|sign[ -]?up|sign[ -]?out", re.IGNORECASE)


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr for the singular entries of a .po file."""
    text = path.read_text()
    entries = {}
    pattern = r'^msgid ((?:"(?:[^"\\]|\\.)*"\n)+)msgstr ((?:"(?:[^"\\]|\\.)*"\n?)+)'
    for match in re.finditer(pattern, text, re.MULTILINE):
        msgid, msgstr = ("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', group)) for group in match.groups())
        if msgid:
            entries[msgid.replace('\\"', '"').replace("\\n", "\n")] = msgstr.replace('\\"', '"')
    return entries


def page_text(response) -> str:
    """What a person reads: the main content, tags stripped."""
    html = response.content.decode()
    html = html[html.index('<main class="nhsuk-main-wrapper"') : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def heading(response) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.DOTALL)
    return " ".join(match.group(1).split())


def buttons(response) -> list[str]:
    """The text of every button in the main content, and of every link that looks like one."""
    html = response.content.decode()
    html = html[html.index('<main class="nhsuk-main-wrapper"') : html.index("</main>")]
    found = re.findall(r"<(button|a)\b([^>]*)>(.*?)</\1>", html, re.DOTALL)
    return [
        " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for tag, attributes, text in found
        if tag == "button" or 'role="button"' in attributes
    ]


def test_every_reworded_string_is_one_allauth_really_uses():
    # An allauth upgrade that rewords a string would otherwise bring "Sign In" back unnoticed.
    ours, theirs = po_entries(CATALOGUE), po_entries(ALLAUTH_CATALOGUE)
    assert len(ours) > 50
    assert sorted(set(ours) - set(theirs)) == []


def test_the_compiled_catalogue_matches_its_source():
    with translation.override("en-gb"):
        stale = {msgid: translation.gettext(msgid) for msgid, msgstr in po_entries(CATALOGUE).items()}
    expected = po_entries(CATALOGUE)
    assert {msgid: text for msgid, text in stale.items() if text != expected[msgid]} == {}


@pytest.mark.parametrize(
    "url_name,expected_heading",
    [
        ("account_login", "Log in"),
        ("account_signup", "Create an account"),
        ("account_request_login_code", "Log in with a code sent by email"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Reset your password"),
        ("account_inactive", "This account is closed"),
    ],
)
def test_the_entrance_pages_use_nhs_wording(client, url_name, expected_heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = page_text(response)
    assert heading(response) == expected_heading
    assert not ALLAUTH_WORDS.search(text), text


def test_the_log_in_page_offers_to_create_an_account_and_a_code(client):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert f'<a href="{reverse("account_signup")}">create an account</a>' in page
    assert "Forgotten your password?" in page
    assert buttons(response) == ["Log in", "Log in with a code sent by email"]


@pytest.mark.parametrize(
    "url_name",
    [
        "account_logout",
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
    ],
)
def test_the_signed_in_account_pages_use_nhs_wording(client, worker, url_name):
    client.force_login(worker)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = page_text(response)
    assert not ALLAUTH_WORDS.search(text), text
    assert "Email Addresses" not in text and "Confirm Access" not in text


def test_a_bad_reset_link_says_what_to_do(client):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/")
    text = page_text(response)
    assert "This link no longer works" in text
    assert "Ask for a new link" in text
    assert "Bad Token" not in text


def test_the_code_page_says_where_the_code_went(client, representative, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": representative.email})
    response = client.get(reverse("account_confirm_login_code"))
    text = page_text(response)
    assert f"Enter the code we sent to {representative.email}" in text
    assert heading(response) == "Enter your log-in code"
    assert "Continue" in buttons(response)
    assert not ALLAUTH_WORDS.search(text), text


def test_a_wrong_password_is_said_once(client, representative):
    response = client.post(reverse("account_login"), {"login": representative.email, "password": "wrong"})
    page = response.content.decode()
    assert page.count("The email address or password is not right") == 1
    assert "There is a problem" in page


def test_a_field_error_is_in_the_summary_and_by_the_field_and_nowhere_else(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "not-an-address"})
    page = response.content.decode()
    assert page.count("Enter a valid email address") == 2
    summary = page[page.index("nhsuk-error-summary") : page.index("</div>\n</div>")]
    assert 'href="#id_email"' in summary


def test_a_wrong_code_is_said_in_the_summary_and_by_the_field(
    client, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": representative.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG"})
    assert response.content.decode().count("The code is not right. Check it and try again") == 2


def test_the_consent_box_has_the_privacy_notice_beside_it_and_comes_last(client):
    page = client.get(reverse("account_signup")).content.decode()
    group = page[page.index('id="id_privacy_consent"') :]
    group = group[: group.index("</div>\n</div>")]
    link = f'<a href="{reverse("privacy")}" target="_blank" rel="noopener">'
    assert f"{link}Read the privacy notice (opens in a new tab)</a>" in group
    fields = re.findall(r'<input[^>]+name="(email|password1|password2|privacy_consent)"', page)
    assert fields == ["email", "password1", "password2", "privacy_consent"]


def test_the_header_and_landing_page_say_create_an_account(client):
    page = client.get(reverse("landing")).content.decode()
    assert page.count(f'href="{reverse("account_signup")}"') == 2
    assert ">Register<" not in page
    assert page.count("Create an account") >= 2


def emails_for(client, django_capture_on_commit_callbacks, url_name: str, data: dict):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(url_name), data)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


TRUST = "Tees, Esk & Wear's NHS Foundation Trust"


@pytest.mark.parametrize(
    "url_name,subject,says",
    [
        ("account_request_login_code", "Involvement Hub: Your log-in code", "Here is your code to log in"),
        ("account_reset_password", "Involvement Hub: Reset your password", "To choose a new password"),
    ],
)
@override_settings(TRUST_NAME=TRUST, INVOLVEMENT_TEAM_PHONE="01632 960 123")
def test_account_emails_speak_as_the_service(
    client, representative, django_capture_on_commit_callbacks, url_name, subject, says
):
    email = emails_for(client, django_capture_on_commit_callbacks, url_name, {"email": representative.email})
    assert email.subject == subject
    assert "Hello from" not in email.body and "Thank you for using" not in email.body
    assert says in email.body
    assert not ALLAUTH_WORDS.search(email.body)
    # Plain text: the Trust's name as typed, not HTML-escaped.
    assert f"The involvement team\nInvolvement Hub, {TRUST}\n" in email.body
    assert "01632 960 123" in email.body
    assert "&amp;" not in email.body and "&#x27;" not in email.body


def test_the_verification_email_speaks_as_the_service(client, django_capture_on_commit_callbacks):
    email = emails_for(client, django_capture_on_commit_callbacks, "account_signup", SIGNUP)
    assert email.subject == "Involvement Hub: Confirm your email address"
    assert "Hello from" not in email.body
    assert re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", email.body, re.MULTILINE), email.body
    assert "The involvement team" in email.body
