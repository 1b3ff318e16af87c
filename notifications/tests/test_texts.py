"""Text messages through GOV.UK Notify's own client, against a local server that speaks
Notify's send-a-text API and checks the JWT it is sent (notify_double.py)."""

import re
import subprocess
import sys
import time
from datetime import timedelta
from types import SimpleNamespace

import jwt
import pytest
import requests
import time_machine
from django.core import mail
from django.db import DatabaseError, connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.services import phone_confirm, phone_confirmation_start
from accounts.tests.factories import person
from notifications.checks import text_messages_configured
from notifications.kinds import RULES, TEXT_KINDS, TEXT_MAX_CHARS, Channel, Kind
from notifications.models import WIPED_BODY, Message
from notifications.selectors import inbox_for_user
from notifications.services import (
    Draft,
    RenderedMessage,
    freeze,
    message_create,
    message_store,
    messages_deliver,
    messages_store_bulk,
    outbox_sweep,
    render_text,
    texts,
)
from notifications.tests.harness import ROOT
from notifications.tests.notify_double import NotifyDouble, notify_server

pytestmark = pytest.mark.django_db

MOBILE = "+447700900982"


def activity(title: str) -> SimpleNamespace:
    """What a text's template reads of an opportunity and its session (notifications sits
    below opportunities, so its tests pass the same attributes without importing them)."""
    starts = timezone.now() + timedelta(days=3)
    session = SimpleNamespace(starts_at=starts, ends_at=starts + timedelta(hours=2), area="Central Leeds")
    return SimpleNamespace(
        pk=7,
        title=title,
        signup_deadline=starts - timedelta(days=1),
        sessions=SimpleNamespace(all=lambda: [session], first=lambda: session),
    )


@pytest.fixture
def notify(settings):
    with notify_server() as double:
        settings.TEXT_MESSAGES_ENABLED = True
        settings.TEXT_BACKEND = "notify"
        settings.NOTIFY_API_KEY = double.api_key
        settings.NOTIFY_BASE_URL = double.url
        settings.NOTIFY_SMS_TEMPLATE_ID = double.template_id
        yield double


@pytest.fixture
def texts_on(settings):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"


def texter(**profile):
    """A representative with a confirmed mobile who wants cancellations by text."""
    fields = {
        "mobile_number": MOBILE,
        "mobile_confirmed_at": timezone.now(),
        "text_kinds": [Kind.OPPORTUNITY_CANCELLED],
    }
    return person(roles=[Role.REPRESENTATIVE], display_name="Robin", **{**fields, **profile})


def cancelled(recipient, *, key="opportunity:cancelled:test") -> Message | None:
    opportunity = activity("Interview panel for a ward manager")
    return message_create(
        recipient=recipient,
        kind=Kind.OPPORTUNITY_CANCELLED,
        dedupe_key=key,
        context={"opportunity": opportunity, "reason": "The post was withdrawn."},
    )


def text_of(key="opportunity:cancelled:test") -> Message:
    return Message.objects.get(dedupe_key=f"{key}:text")


def test_it_sends_a_chosen_text_once_with_the_template_number_and_words(notify):
    recipient = texter()
    cancelled(recipient)
    cancelled(recipient)  # the same change told twice is one e-mail and one text
    assert Message.objects.filter(channel=Channel.TEXT).count() == 1
    text = text_of()

    messages_deliver()
    messages_deliver()  # nothing left to send

    assert len(notify.accepted) == 1
    sent = notify.accepted[0]
    assert sent.body["phone_number"] == MOBILE
    assert sent.body["template_id"] == notify.template_id
    assert sent.body["personalisation"] == {"body": text.body_text}
    assert sent.body["reference"] == f"message-{text.pk}"
    assert "Interview panel for a ward manager has been cancelled" in text.body_text
    assert text.body_html == ""  # a text is words only: nothing of the e-mail's HTML
    assert sent.claims["iss"] == notify.service_id
    text.refresh_from_db()
    assert text.status == Message.Status.SENT
    # Both channels, as chosen: the e-mail went too, and the inbox lists the message once.
    assert len(mail.outbox) == 1
    assert [m.kind for m in inbox_for_user(user=recipient)] == [Kind.OPPORTUNITY_CANCELLED]


def test_a_500_is_retried_with_the_outboxs_backoff_and_then_sent(notify, settings):
    recipient = texter(email_muted_kinds=[Kind.OPPORTUNITY_CANCELLED])
    cancelled(recipient)
    notify.answers = [500]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        messages_deliver()
    text = text_of()
    assert text.status == Message.Status.PENDING
    assert text.attempts == 1
    assert "500" in text.last_error
    assert text.next_attempt_at == start + timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS)

    # Not before its time: the sweep leaves it be.
    with time_machine.travel(start + timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS - 1), tick=False):
        outbox_sweep(time_budget_seconds=5)
    assert len(notify.requests) == 1

    with time_machine.travel(start + timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS + 1), tick=False):
        outbox_sweep(time_budget_seconds=5)
    text.refresh_from_db()
    assert text.status == Message.Status.SENT
    assert text.attempts == 2
    assert [r.status for r in notify.requests] == [500, 201]
    # Chose a text alone: no e-mail, and the message is in the inbox all the same.
    assert mail.outbox == []
    assert Message.objects.get(dedupe_key="opportunity:cancelled:test").status == Message.Status.INBOX_ONLY


def test_a_number_notify_refuses_fails_at_once_and_is_listed_as_failed(notify, client, administrator):
    recipient = texter()
    notify.bad_numbers = {MOBILE}
    cancelled(recipient)
    report = messages_deliver()

    text = text_of()
    assert text.pk in report.failed
    assert text.status == Message.Status.FAILED
    assert text.attempts == 1
    assert "400" in text.last_error and "Not a UK mobile number" in text.last_error
    # The e-mail is its own row and went.
    assert Message.objects.get(dedupe_key="opportunity:cancelled:test").status == Message.Status.SENT
    client.force_login(administrator)
    page = client.get(reverse("admin:notifications_message_changelist") + "?status__exact=failed")
    assert page.status_code == 200
    assert MOBILE in page.content.decode()


def test_a_token_signed_with_another_secret_is_refused_and_the_text_waits(notify, settings):
    recipient = texter()
    cancelled(recipient)
    wrong = NotifyDouble(service_id=notify.service_id)  # same service, another secret
    settings.NOTIFY_API_KEY = wrong.api_key
    messages_deliver()

    assert [(r.status, r.refusal) for r in notify.requests] == [(403, "Invalid token: InvalidSignatureError")]
    assert notify.accepted == []
    text = text_of()
    assert text.status == Message.Status.PENDING  # an auth error is ours to fix: it is retried
    assert "403" in text.last_error


def test_the_double_refuses_an_old_token_another_service_and_no_token(notify):
    """The check is real: only a fresh token from this service, signed with its secret, passes."""
    url = f"{notify.url}/v2/notifications/sms"
    body = {"phone_number": MOBILE, "template_id": notify.template_id, "personalisation": {"body": "x"}}

    def post(token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.post(url, json=body, headers=headers, timeout=5).status_code

    now = int(time.time())
    assert post(None) == 403
    assert (
        post(jwt.encode({"iss": notify.service_id, "iat": now - 120}, notify.secret, algorithm="HS256"))
        == 403
    )
    assert post(jwt.encode({"iss": "another-service", "iat": now}, notify.secret, algorithm="HS256")) == 403
    assert post(jwt.encode({"iss": notify.service_id, "iat": now}, notify.secret, algorithm="HS256")) == 201


def test_nothing_is_sent_to_a_number_not_confirmed(notify):
    recipient = texter(mobile_number="", mobile_confirmed_at=None, phone="07700 900 111")
    confirmation = phone_confirmation_start(user=recipient, number="07700 900 222")
    cancelled(recipient)
    messages_deliver()

    # Only the code went to the number being confirmed; the cancellation went by e-mail.
    assert [r.body["phone_number"] for r in notify.accepted] == [confirmation.number]
    assert not Message.objects.filter(channel=Channel.TEXT, kind=Kind.OPPORTUNITY_CANCELLED).exists()
    assert len(mail.outbox) == 1


def test_a_person_who_chose_email_only_gets_no_text(notify):
    recipient = texter(text_kinds=[])
    cancelled(recipient)
    messages_deliver()
    assert notify.requests == []
    assert not Message.objects.filter(channel=Channel.TEXT).exists()
    assert len(mail.outbox) == 1


def test_no_text_while_texts_are_switched_off(notify, settings):
    settings.TEXT_MESSAGES_ENABLED = False
    cancelled(texter())
    assert not Message.objects.filter(channel=Channel.TEXT).exists()


def test_a_person_on_a_break_gets_no_text_of_a_paused_kind(notify):
    # Digests are the kind a break pauses; a text of it is never written either.
    recipient = texter(taking_break=True, text_kinds=[Kind.OPPORTUNITY_CANCELLED, Kind.DIGEST])
    cancelled(recipient)  # not paused: comes by text
    assert Message.objects.filter(channel=Channel.TEXT).count() == 1


def test_the_code_confirms_the_number_and_is_wiped_once_sent(notify):
    recipient = texter(mobile_number="", mobile_confirmed_at=None)
    phone_confirmation_start(user=recipient, number="07700 900 333")
    messages_deliver()

    [sent] = notify.accepted
    words = sent.body["personalisation"]["body"]
    code = words.split()[0]
    assert sent.body["phone_number"] == "+447700900333"
    assert len(code) == 6 and code.isdigit()
    assert "is your Involvement Hub code" in words
    row = Message.objects.get(kind=Kind.PHONE_CODE)
    assert row.body_text == WIPED_BODY  # only the person may read a code
    assert not inbox_for_user(user=recipient).exists()

    assert phone_confirm(user=recipient, code=code) == "+447700900333"
    recipient.profile.refresh_from_db()
    assert recipient.profile.mobile_number == "+447700900333"


def test_every_text_kind_has_a_short_text_with_no_link_that_logs_in():
    """Each text kind's words, with a long title and reason, stay within 4 text fragments."""
    opportunity = activity("T" * 150)
    signup_like = {"offer_expires_at": timezone.now()}
    context = {
        "recipient": None,
        "opportunity": opportunity,
        "session": opportunity.sessions.first(),
        "signup": signup_like,
        "event": "cancelled",
        "reason": "R" * 500,
        "changes": [],
        "hours": 48,
        "code": "123456",
        "minutes": 15,
    }
    for kind in [*TEXT_KINDS, Kind.PHONE_CODE]:
        words = render_text(kind=kind, context=context)
        assert 0 < len(words) <= TEXT_MAX_CHARS, kind
        assert "/accounts/" not in words and "token" not in words, kind
    assert not any(RULES[kind].holds_secret for kind in TEXT_KINDS)
    assert render_to_string("notifications/text/phone_code.txt", context)


def test_texts_on_in_production_without_a_key_stop_the_start(settings):
    settings.PRODUCTION = True
    settings.TEXT_MESSAGES_ENABLED = True
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    assert {error.id for error in text_messages_configured(None)} == {
        "notifications.E001",
        "notifications.E003",
    }
    settings.NOTIFY_API_KEY = "not-a-key"
    settings.TEXT_BACKEND = "notify"
    settings.NOTIFY_SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    assert {error.id for error in text_messages_configured(None)} == {"notifications.E002"}
    settings.NOTIFY_API_KEY = NotifyDouble().api_key
    assert text_messages_configured(None) == []
    settings.TEXT_MESSAGES_ENABLED = False
    settings.NOTIFY_API_KEY = ""
    assert text_messages_configured(None) == []


def test_check_deploy_fails_with_texts_on_and_no_key():
    env = {
        "PATH": "/usr/bin:/bin",
        "ENVIRONMENT": "production",
        "SECRET_KEY": "x" * 60 + "y-z-0123456789",
        "ALLOWED_HOSTS": "involvement.example.org",
        "DATABASE_URL": "postgres://localhost/involvement",
        "REDIS_URL": "redis://localhost:6379/0",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
        "TEXT_MESSAGES_ENABLED": "true",
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0
    assert "NOTIFY_API_KEY is not set" in run.stderr


# Choosing what comes by text (the message preferences page)


def test_the_preferences_offer_texts_for_the_kinds_that_suit_them(client, texts_on):
    rep = texter(text_kinds=[], mobile_number="", mobile_confirmed_at=None)
    client.force_login(rep)
    page = client.get(reverse("me:preferences")).content.decode()
    assert "Send me a text message about" in page
    assert "add and confirm your mobile number" in page
    assert 'value="reminder"' in page
    # Kinds that do not suit a text are not offered by text (only by e-mail).
    assert page.count('value="outcome_published"') == 1

    response = client.post(
        reverse("me:preferences"),
        {"text_kinds": ["reminder", "outcome_published"], "digest_frequency": "weekly"},
    )
    assert response.status_code == 200  # not a choice: the form says so and saves nothing
    assert "Select a valid choice" in response.content.decode()
    rep.profile.refresh_from_db()
    assert rep.profile.text_kinds == []


def test_saving_text_choices(client, texts_on):
    rep = texter(text_kinds=[], mobile_number="", mobile_confirmed_at=None)
    client.force_login(rep)
    response = client.post(
        reverse("me:preferences"),
        {
            "email_kinds": ["signup_update"],
            "text_kinds": ["reminder", "place_offered"],
            "digest_frequency": "weekly",
        },
    )
    assert response.status_code == 302
    rep.profile.refresh_from_db()
    assert rep.profile.text_kinds == ["place_offered", "reminder"]
    assert Kind.REMINDER in rep.profile.email_muted_kinds  # text only, for reminders


def test_the_preferences_name_the_confirmed_number(client, texts_on):
    client.force_login(texter())
    page = client.get(reverse("me:preferences")).content.decode()
    assert "We send texts to 07700 900982" in page
    boxes = re.findall(r'<input[^>]*name="text_kinds"[^>]*>', page)
    checked = [box for box in boxes if "checked" in box]
    assert len(checked) == 1 and 'value="opportunity_cancelled"' in checked[0]


def test_no_text_choices_while_texts_are_off(client, settings):
    settings.TEXT_MESSAGES_ENABLED = False
    rep = texter(text_kinds=[], mobile_number="", mobile_confirmed_at=None)
    client.force_login(rep)
    page = client.get(reverse("me:preferences")).content.decode()
    assert "Send me a text message about" not in page
    assert "mobile number" not in page


def test_the_bulk_path_writes_a_text_row_beside_each_email_row(texts_on):
    """Periodic jobs write many messages at once (messages_store_bulk): a kind that may come
    by text gets its text row there too, under the same rules."""
    wants = texter()
    email_only = texter(text_kinds=[])
    rendered = RenderedMessage(
        subject="Cancelled", body_text="Cancelled.\n", body_sms="Involvement Hub: cancelled."
    )
    people = User.objects.select_related("profile").filter(pk__in=[wants.pk, email_only.pk])
    stored = messages_store_bulk(
        kind=Kind.OPPORTUNITY_CANCELLED, items=[(p, f"bulk:{p.pk}", rendered) for p in people]
    )
    assert stored == 3
    text = Message.objects.get(channel=Channel.TEXT)
    # To their mobile only: a text row carries no e-mail address.
    assert (text.recipient, text.dedupe_key, text.to_phone, text.to_email) == (
        wants,
        f"bulk:{wants.pk}:text",
        MOBILE,
        "",
    )
    assert text.body_text == "Involvement Hub: cancelled."


def confirmation_draft() -> Draft:
    """A sign-up's confirmation written unrendered: the snapshot its text is rendered from."""
    starts = timezone.now() + timedelta(days=3)
    session = {"starts_at": starts, "ends_at": starts + timedelta(hours=2), "area": "Central Leeds"}
    snapshot = freeze(
        {
            "recipient": {"first_name": "Robin", "profile": {"display_name": "Robin"}},
            "event": "confirmed",
            "opportunity": {"pk": 41, "title": "Ward panel", "sessions": {"all": [session]}},
            "signup": {},
        }
    )
    return Draft(kind=Kind.SIGNUP_UPDATE, snapshot=snapshot)


def text_sent_for_bulk_draft(recipient: User, *, rows: int) -> dict:
    """Write the draft through the bulk path (`rows` rows), deliver, and return the one text sent."""
    texts.sent.clear()
    items = [(recipient, "bulk:draft", confirmation_draft())]
    assert messages_store_bulk(kind=Kind.SIGNUP_UPDATE, items=items) == rows
    messages_deliver()
    [sent] = texts.sent
    texts.sent.clear()
    return sent


def test_a_message_written_unrendered_in_the_bulk_path_comes_by_text_too(texts_on):
    """The bulk path takes a `Draft` as well as a rendered message: someone who wants the
    kind by text gets the text, rendered from the snapshot when it is sent."""
    wants = texter(text_kinds=[Kind.SIGNUP_UPDATE])
    sent = text_sent_for_bulk_draft(User.objects.select_related("profile").get(pk=wants.pk), rows=2)
    assert sent["to_phone"] == MOBILE
    assert sent["body"].startswith("Involvement Hub: your place on Ward panel is confirmed.")


def test_a_message_written_unrendered_in_the_bulk_path_reaches_someone_without_email_by_text(texts_on):
    """The same for someone with no e-mail address (ADR 13): the text is all they get."""
    no_address = texter(text_kinds=[])
    User.objects.filter(pk=no_address.pk).update(email="")
    sent = text_sent_for_bulk_draft(User.objects.select_related("profile").get(pk=no_address.pk), rows=1)
    assert sent["to_phone"] == MOBILE
    assert sent["body"].startswith("Involvement Hub: your place on Ward panel is confirmed.")


def test_a_message_with_no_words_for_a_text_comes_by_email_only(texts_on):
    """Someone who wants the kind by text gets no empty text when the message has no text's
    words (rendered with an empty body_sms): the e-mail alone."""
    recipient = texter()
    words = RenderedMessage(subject="Cancelled", body_text="Cancelled.\n")
    message_store(kind=Kind.OPPORTUNITY_CANCELLED, dedupe_key="k", rendered=words, recipient=recipient)
    assert list(Message.objects.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_a_kind_that_may_not_come_by_text_never_does_whatever_the_person_once_chose(texts_on):
    """Text choices saved before a kind stopped coming by text (or written by hand) send no
    text of it, even with a text's words to hand: only the kinds that may come by text."""
    recipient = texter(text_kinds=[Kind.DIGEST, Kind.OPPORTUNITY_CANCELLED])
    assert not RULES[Kind.DIGEST].text
    words = RenderedMessage(subject="Digest", body_text="Digest.\n", body_sms="Involvement Hub: digest.")
    message_store(kind=Kind.DIGEST, dedupe_key="digest:k", rendered=words, recipient=recipient)
    assert list(Message.objects.values_list("channel", flat=True)) == [Channel.EMAIL]


def test_an_email_and_its_text_are_written_together_or_not_at_all(texts_on):
    """A text the database refuses takes its e-mail with it, and the caller's transaction goes
    on: never an e-mail row whose text was lost, nor a transaction left broken."""
    recipient = texter()
    with connection.cursor() as cursor:  # the trigger goes with the test's transaction
        cursor.execute(
            "CREATE FUNCTION refuse_texts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.channel = 'text' THEN RAISE EXCEPTION 'no texts today'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_texts BEFORE INSERT ON notifications_message "
            "FOR EACH ROW EXECUTE FUNCTION refuse_texts()"
        )
    with pytest.raises(DatabaseError, match="no texts today"):
        cancelled(recipient)
    assert not Message.objects.exists()


def test_a_text_is_handed_to_a_worker_as_soon_as_the_change_commits(
    texts_on, django_capture_on_commit_callbacks
):
    """Not left for the minute's sweep: its own delivery is queued on commit, as the e-mail's."""
    recipient = texter()
    texts.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled(recipient)
    assert [sent["to_phone"] for sent in texts.sent] == [MOBILE]
    assert text_of().status == Message.Status.SENT
    texts.sent.clear()
