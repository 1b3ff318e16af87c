"""Messages written unrendered (`message_create(..., render_later=True)`): the outbox row keeps
a snapshot of what the message says, fixed when it is written, and is rendered from it at
delivery, or by a worker when nobody delivers it (e-mail turned off for the kind). Until
then every page that shows it renders it from the snapshot; erasure and the data copy
render or clear it."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail

from notifications.kinds import Channel, Kind
from notifications.models import Message
from notifications.personal_data import PROVIDER
from notifications.services import (
    NotificationsError,
    freeze,
    message_create,
    messages_deliver,
    outbox_sweep,
    texts,
    thaw,
)

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
ENDS = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)


def confirmed(title: str = "Ward panel") -> dict:
    """What a confirmed sign-up's message says, as opportunities snapshots it."""
    session = {"starts_at": STARTS, "ends_at": ENDS, "area": "Central Leeds"}
    return {
        "event": "confirmed",
        "opportunity": {"pk": 41, "title": title, "sessions": {"all": [session]}},
        "signup": {},
    }


def write(recipient, *, key: str = "signup:confirmed:1:1", context: dict | None = None) -> Message:
    message = message_create(
        recipient=recipient,
        kind=Kind.SIGNUP_UPDATE,
        dedupe_key=key,
        context=context or confirmed(),
        render_later=True,
    )
    assert message is not None
    return message


def test_a_snapshot_keeps_dates_and_amounts_and_refuses_objects_that_would_be_read_again(representative):
    facts = {"when": STARTS, "day": date(2026, 3, 3), "fee": Decimal("25.00"), "areas": ("Leeds", "Online")}
    back = thaw(freeze(facts))
    assert back == {**facts, "areas": ["Leeds", "Online"]}
    assert back.when == STARTS  # read as templates and filters read objects
    # Each refusal says what is wrong, for the developer who wrote the snapshot.
    with pytest.raises(TypeError, match=r"^A snapshot holds plain values, not User\.$"):
        freeze({"person": representative})
    with pytest.raises(TypeError, match=r"^A snapshot's datetimes must be aware\.$"):
        freeze({"when": datetime(2026, 3, 3, 14, 0)})  # a time without its zone is not a fact
    with pytest.raises(TypeError, match=r"^A snapshot's keys are strings, not int\.$"):
        freeze({"sessions": {1: "Monday"}})


def test_the_message_is_written_with_its_snapshot_and_rendered_from_it_when_delivered(representative):
    message = write(representative)
    stored = Message.objects.get(pk=message.pk)
    assert (stored.subject, stored.body_text, stored.body_html) == ("", "", "")
    assert stored.context["opportunity"]["title"] == "Ward panel"
    # The recipient's name as it was, not their account.
    assert stored.context["recipient"] == {
        "first_name": representative.first_name,
        "profile": {"display_name": representative.profile.display_name},
    }

    report = messages_deliver(ids=[message.pk])

    assert report.sent == [message.pk]
    [email] = mail.outbox
    assert email.subject == "Your place is confirmed: Ward panel"
    assert "Your place on Ward panel is confirmed." in email.body
    assert "- Tuesday 3 March 2026, 2pm to 4:30pm, Central Leeds" in email.body
    assert "Ward panel" in email.alternatives[0][0]
    stored.refresh_from_db()
    assert stored.context is None and stored.status == Message.Status.SENT
    assert (stored.subject, stored.body_text) == (email.subject, email.body)


def test_a_renamed_person_still_reads_the_name_the_message_was_written_to(representative):
    profile = representative.profile
    profile.display_name = "Sam"
    profile.save()
    message = write(representative)
    profile.display_name = "Samira"
    profile.save()
    messages_deliver(ids=[message.pk])
    assert mail.outbox[0].body.startswith("Hello Sam,\n")


def test_a_message_only_in_the_inbox_is_rendered_after_the_commit_and_shown_before(
    client, representative, django_capture_on_commit_callbacks
):
    representative.profile.email_muted_kinds = [Kind.SIGNUP_UPDATE]
    representative.profile.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = write(representative)
    assert message.status == Message.Status.INBOX_ONLY

    # Before the worker renders it, the inbox renders it from the snapshot.
    client.force_login(representative)
    assert "Your place is confirmed: Ward panel" in client.get("/me/inbox/").content.decode()
    page = client.get(f"/me/inbox/{message.pk}/").content.decode()
    assert "Your place on Ward panel is confirmed." in page
    assert Message.objects.get(pk=message.pk).context is not None

    for callback in callbacks:  # the render task, run by a worker after the commit
        callback()
    stored = Message.objects.get(pk=message.pk)
    assert stored.context is None
    assert stored.subject == "Your place is confirmed: Ward panel"
    assert "Your place on Ward panel is confirmed." in stored.body_text
    assert mail.outbox == []


def test_the_sweep_renders_an_inbox_message_whose_task_was_lost(representative):
    representative.profile.email_muted_kinds = [Kind.SIGNUP_UPDATE]
    representative.profile.save()
    message = write(representative)  # no commit in this test: no task ran
    outbox_sweep(time_budget_seconds=5)
    stored = Message.objects.get(pk=message.pk)
    assert stored.context is None and stored.subject == "Your place is confirmed: Ward panel"
    assert stored.status == Message.Status.INBOX_ONLY


def test_a_text_is_rendered_from_the_same_snapshot_at_delivery(settings, representative):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"
    texts.sent.clear()
    profile = representative.profile
    profile.mobile_number, profile.text_kinds = "+447700900982", [Kind.SIGNUP_UPDATE]
    profile.save()
    write(representative)
    text = Message.objects.get(channel=Channel.TEXT)
    assert text.dedupe_key == "signup:confirmed:1:1:text" and text.context is not None

    messages_deliver(ids=[text.pk])

    [sent] = texts.sent
    assert sent["body"].startswith("Involvement Hub: your place on Ward panel is confirmed.")
    text.refresh_from_db()
    assert text.body_text == sent["body"] and text.context is None
    texts.sent.clear()


def test_a_second_write_with_the_same_key_changes_nothing(representative):
    first = write(representative)
    again = write(representative, context=confirmed("Another title"))
    assert again.pk == first.pk
    assert Message.objects.get().context["opportunity"]["title"] == "Ward panel"


def test_a_message_holding_a_secret_is_never_kept_as_a_snapshot(representative):
    refusal = r"^A message of kind account holds a secret: it is rendered when it is written\.$"
    with pytest.raises(NotificationsError, match=refusal):
        message_create(
            recipient=representative,
            kind=Kind.ACCOUNT,
            dedupe_key="account:x",
            context={"code": "123456"},
            render_later=True,
        )
    assert not Message.objects.exists()


def test_a_snapshot_of_live_objects_is_refused(representative):
    with pytest.raises(TypeError):
        message_create(
            recipient=representative,
            kind=Kind.SIGNUP_UPDATE,
            dedupe_key="k",
            context={"event": "withdrawn", "opportunity": representative},
            render_later=True,
        )


def test_a_copy_of_a_persons_data_holds_the_words_of_a_message_not_delivered_yet(representative):
    write(representative)
    [(heading, [row]), _] = PROVIDER.export(representative)
    assert heading == "Messages we sent you"
    assert row["subject"] == "Your place is confirmed: Ward panel"
    assert "Your place on Ward panel is confirmed." in row["body_text"]


def test_erasing_a_person_wipes_the_snapshot_of_a_message_not_delivered_yet(representative):
    message = write(representative)
    PROVIDER.erase(representative)
    stored = Message.objects.get(pk=message.pk)
    assert stored.context is None
    assert stored.status == Message.Status.FAILED
    assert "Ward panel" not in stored.subject + stored.body_text + stored.body_html
    assert messages_deliver(ids=[message.pk]).sent == []
    assert mail.outbox == []
