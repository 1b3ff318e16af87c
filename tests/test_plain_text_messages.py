"""Plain-text e-mails and subjects carry text as people typed it; HTML bodies and pages escape it
once. A title like "Tea & talk" must never arrive as "Tea &amp; talk"."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.kinds import Kind
from notifications.services import message_create, messages_deliver
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

TITLE = "Tea & talk: 'what helps' <together>"


@pytest.fixture
def update(representative):
    opportunity = OpportunityFactory(title=TITLE)
    return message_create(
        recipient=representative,
        kind=Kind.SIGNUP_UPDATE,
        dedupe_key="test:escaping",
        context={"opportunity": opportunity, "event": "withdrawn"},
    )


def test_it_keeps_ampersands_and_quotes_in_the_subject_and_text_body(update):
    assert update.subject == f"You have withdrawn: {TITLE}"
    assert f"You have withdrawn from {TITLE}." in update.body_text
    assert "&amp;" not in update.body_text and "&#x27;" not in update.body_text


def test_it_escapes_the_title_once_in_the_html_body(update):
    assert "Tea &amp; talk: &#x27;what helps&#x27; &lt;together&gt;" in update.body_html
    assert TITLE not in update.body_html
    assert "&amp;amp;" not in update.body_html


def test_the_delivered_email_has_the_plain_title(update):
    messages_deliver(ids=[update.pk])
    (email,) = mail.outbox
    assert email.subject == f"You have withdrawn: {TITLE}"
    assert TITLE in email.body
    html = email.alternatives[0][0]
    assert "Tea &amp; talk" in html


def test_the_inbox_shows_the_title_escaped_once(client, representative, update):
    client.force_login(representative)
    escaped = "Tea &amp; talk: &#x27;what helps&#x27; &lt;together&gt;"
    for url in (reverse("inbox:list"), reverse("inbox:detail", args=[update.pk])):
        page = client.get(url).content.decode()
        assert escaped in page, url
        assert "&amp;amp;" not in page and "&amp;#x27;" not in page, url
