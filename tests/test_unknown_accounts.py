"""No e-mail to an address that has no account (issue 9, item 6): asking for a password reset
or a log-in code says the same thing either way and sends nothing to a stranger."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Message

pytestmark = pytest.mark.django_db

STRANGER = "nobody.here@example.org"


def ask(client, url_name: str, email: str, capture):
    with capture(execute=True):
        response = client.post(reverse(url_name), {"email": email})
    page = client.get(response["Location"]) if response.status_code == 302 else response
    text = page.content.decode().replace(email, "ADDRESS")
    return response, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


@pytest.mark.parametrize("url_name", ["account_reset_password", "account_request_login_code"])
def test_an_address_with_no_account_gets_no_email_and_the_same_answer(
    client, representative, django_capture_on_commit_callbacks, url_name
):
    known, known_page = ask(client, url_name, representative.email, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[representative.email]]
    client.cookies.clear()

    unknown, unknown_page = ask(client, url_name, STRANGER, django_capture_on_commit_callbacks)

    assert not Message.objects.filter(to_email=STRANGER).exists()
    assert [message.to for message in mail.outbox] == [[representative.email]]
    assert (unknown.status_code, unknown.get("Location")) == (known.status_code, known.get("Location"))
    assert unknown_page == known_page
