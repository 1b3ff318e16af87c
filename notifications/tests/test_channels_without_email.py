"""The outbox's other channels at their edges (found by mutation testing, docs/testing.md):
a person with no e-mail address who prefers a call gets the text and the call; a text or a
confirmation code goes as soon as the change commits, not at the next sweep; and in the
periodic jobs' bulk path a paused person does not stop the batch, and a kind that never
comes by text becomes a task for the worker, never a text."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.assisted import person_register_assisted
from accounts.models import User
from accounts.permissions import Role
from accounts.services import phone_confirmation_start
from accounts.tests.factories import person
from notifications.kinds import Channel, DigestFrequency, Kind
from notifications.models import ContactTask, Message
from notifications.services import (
    CallRequest,
    NotificationsError,
    RenderedMessage,
    message_store,
    messages_store_bulk,
    text_code_create,
    texts,
)

pytestmark = pytest.mark.django_db

MOBILE = "+447700900982"


@pytest.fixture
def texts_on(settings):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"
    texts.sent.clear()
    yield texts.sent
    texts.sent.clear()


def no_email(by: User, *, mobile: str = "", phone: str = "01632 960001", postal_address: str = "") -> User:
    """Someone a worker registered (no e-mail address), with a confirmed mobile or none."""
    pat = person_register_assisted(
        by=by,
        first_name="Pat",
        last_name="Phone",
        phone=phone,
        postal_address=postal_address,
        privacy_notice_read=True,
        consent=True,
    )
    pat.profile.mobile_number = mobile
    pat.profile.save()
    return User.objects.select_related("profile").get(pk=pat.pk)


def offer() -> RenderedMessage:
    return RenderedMessage(
        subject="A place is yours if you want it",
        body_text="Accept it by Friday.\n",
        body_sms="Involvement Hub: a place is yours. Accept it by Friday.",
    )


def test_someone_without_email_who_prefers_calls_gets_the_offer_by_text_and_a_call(worker, texts_on):
    pat = no_email(worker, mobile=MOBILE)
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    due = timezone.now() + timedelta(hours=48)
    text = message_store(
        kind=Kind.PLACE_OFFERED,
        dedupe_key="signup:offered:9:2",
        rendered=offer(),
        recipient=pat,
        call=CallRequest(worker_id=lead.pk, due_at=due),
    )
    assert text is not None and (text.channel, text.to_phone) == (Channel.TEXT, MOBILE)
    task = ContactTask.objects.get(person=pat)
    # Their named worker calls, before the offer lapses, and knows what the call is about.
    assert (task.worker, task.method, task.kind, task.dedupe_key, task.due_at) == (
        worker,
        ContactTask.Method.PHONE,
        Kind.PLACE_OFFERED,
        "signup:offered:9:2",
        due,
    )
    assert (task.subject, task.body_text) == ("A place is yours if you want it", "Accept it by Friday.\n")


def test_a_call_instead_of_an_email_is_due_when_the_change_says(worker):
    pat = no_email(worker)
    due = timezone.now() + timedelta(hours=48)
    message_store(
        kind=Kind.PLACE_OFFERED,
        dedupe_key="signup:offered:9:3",
        rendered=offer(),
        recipient=pat,
        call=CallRequest(worker_id=None, due_at=due),
    )
    assert ContactTask.objects.get(person=pat).due_at == due


def test_a_text_to_someone_without_email_goes_as_soon_as_the_change_commits(
    worker, texts_on, django_capture_on_commit_callbacks
):
    pat = no_email(worker, mobile=MOBILE)
    with django_capture_on_commit_callbacks(execute=True):
        text = message_store(
            kind=Kind.SIGNUP_UPDATE, dedupe_key="signup:x:1", rendered=offer(), recipient=pat
        )
    assert text is not None
    text.refresh_from_db()
    assert text.status == Message.Status.SENT
    assert texts_on == [{"to_phone": MOBILE, "body": offer().body_sms, "reference": f"message-{text.pk}"}]


def test_two_codes_asked_for_are_two_texts_each_sent_at_once(texts_on, django_capture_on_commit_callbacks):
    recipient = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    with django_capture_on_commit_callbacks(execute=True):
        phone_confirmation_start(user=recipient, number="07700 900 333")
    with django_capture_on_commit_callbacks(execute=True):
        phone_confirmation_start(user=recipient, number="07700 900 444")
    # Sent straight away (the person is waiting for it), each to the number being confirmed.
    assert [sent["to_phone"] for sent in texts_on] == ["+447700900333", "+447700900444"]
    assert texts_on[0]["body"].split()[0] != texts_on[1]["body"].split()[0]
    assert all("is your Involvement Hub code" in sent["body"] for sent in texts_on)
    assert set(Message.objects.filter(kind=Kind.PHONE_CODE).values_list("status", flat=True)) == {
        Message.Status.SENT
    }


def test_only_the_confirmation_code_may_go_to_a_number_not_yet_confirmed(texts_on):
    recipient = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    with pytest.raises(NotificationsError) as refused:
        text_code_create(
            recipient=recipient, to_phone=MOBILE, kind=Kind.SIGNUP_UPDATE, dedupe_key="k", context={}
        )
    assert refused.value.message.startswith("Only the code that confirms a number goes to it before then")
    assert not Message.objects.exists()


def test_someone_who_turned_digests_off_does_not_stop_the_batch_for_the_people_after_them():
    off = person(roles=[Role.REPRESENTATIVE], display_name="Off", digest_frequency=DigestFrequency.NEVER)
    on = person(roles=[Role.REPRESENTATIVE], display_name="On")
    people = {user.pk: user for user in User.objects.select_related("profile").filter(pk__in=[off.pk, on.pk])}
    digest = RenderedMessage(subject="Your digest", body_text="New this week.\n")
    items = [(people[off.pk], "digest:off", digest), (people[on.pk], "digest:on", digest)]
    assert messages_store_bulk(kind=Kind.DIGEST, items=items) == 1
    assert list(Message.objects.values_list("recipient", flat=True)) == [on.pk]


@pytest.mark.parametrize("mobile", [MOBILE, ""])
def test_in_the_bulk_path_a_kind_that_never_comes_by_text_is_a_task_not_a_text(worker, texts_on, mobile):
    """A digest never comes by text (its body_sms is empty, as render_message leaves it), so
    someone with no e-mail address gets it through their worker, confirmed mobile or not."""
    pat = no_email(worker, mobile=mobile)
    digest = RenderedMessage(subject="Your digest", body_text="New this week.\n")
    assert messages_store_bulk(kind=Kind.DIGEST, items=[(pat, "digest:pat", digest)]) == 1
    assert not Message.objects.exists()
    assert ContactTask.objects.get(person=pat).kind == Kind.DIGEST


def test_in_the_bulk_path_someone_without_a_mobile_gets_a_task_even_with_texts_on(worker, texts_on):
    pat = no_email(worker)
    rendered = offer()
    assert messages_store_bulk(kind=Kind.OPPORTUNITY_CANCELLED, items=[(pat, "cancelled:pat", rendered)]) == 1
    assert not Message.objects.exists()
    assert ContactTask.objects.get(person=pat).method == ContactTask.Method.PHONE


@pytest.mark.parametrize(
    ("named", "registered", "asked", "calls"),
    [
        # The worker who registered them, when their named worker has gone: not the lead.
        (None, "worker", "lead", "worker"),
        # Their named worker, when the worker who registered them has gone.
        ("worker", None, "lead", "worker"),
        # Neither left: the worker the change names (the lead worker), or nobody yet.
        (None, None, "lead", "lead"),
        (None, None, None, None),
    ],
)
def test_the_call_instead_of_an_email_goes_to_the_worker_closest_to_them(
    worker, named, registered, asked, calls
):
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    workers = {"worker": worker, "lead": lead, None: None}
    pat = no_email(worker)
    pat.profile.named_worker, pat.profile.registered_by = workers[named], workers[registered]
    pat.profile.save()
    call = CallRequest(worker_id=lead.pk, due_at=None) if asked else None
    message_store(
        kind=Kind.SIGNUP_UPDATE, dedupe_key="signup:y:1", rendered=offer(), recipient=pat, call=call
    )
    assert ContactTask.objects.get(person=pat).worker == workers[calls]


def test_in_the_bulk_path_someone_without_email_gets_a_text_kind_by_text(worker, texts_on):
    pat = no_email(worker, mobile=MOBILE)
    assert messages_store_bulk(kind=Kind.OPPORTUNITY_CANCELLED, items=[(pat, "cancelled:pat", offer())]) == 1
    text = Message.objects.get()
    # Theirs: their data export lists it and erasing them wipes it.
    assert (text.recipient, text.channel, text.kind, text.dedupe_key, text.to_phone, text.body_text) == (
        pat,
        Channel.TEXT,
        Kind.OPPORTUNITY_CANCELLED,
        "cancelled:pat:text",
        MOBILE,
        offer().body_sms,
    )
    assert not ContactTask.objects.exists()


# --- the bulk path's task for the worker, as `message_store`'s (mutation survivors) -------------


def digest() -> RenderedMessage:
    return RenderedMessage(subject="Your digest", body_text="New this week.\n")


def test_in_the_bulk_path_the_worker_is_told_what_to_phone_them_about(worker):
    pat = no_email(worker)
    assert messages_store_bulk(kind=Kind.DIGEST, items=[(pat, "digest:pat", digest())]) == 1
    task = ContactTask.objects.get(person=pat)
    assert (task.worker, task.method, task.kind, task.dedupe_key, task.subject, task.body_text) == (
        worker,
        ContactTask.Method.PHONE,
        Kind.DIGEST,
        "digest:pat",
        "Your digest",
        "New this week.\n",
    )


def test_in_the_bulk_path_someone_without_a_phone_gets_a_letter(worker):
    lou = no_email(worker, phone="", postal_address="1 High Street")
    assert messages_store_bulk(kind=Kind.DIGEST, items=[(lou, "digest:lou", digest())]) == 1
    assert ContactTask.objects.get(person=lou).method == ContactTask.Method.LETTER


@pytest.mark.parametrize(
    ("named", "registered", "calls"),
    [
        # Their named worker, whoever registered them.
        ("lead", "worker", "lead"),
        ("worker", None, "worker"),
        # The worker who registered them, when they have no named worker.
        (None, "worker", "worker"),
    ],
)
def test_in_the_bulk_path_the_task_goes_to_the_worker_closest_to_them(worker, named, registered, calls):
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    workers = {"worker": worker, "lead": lead, None: None}
    pat = no_email(worker)
    pat.profile.named_worker, pat.profile.registered_by = workers[named], workers[registered]
    pat.profile.save()
    messages_store_bulk(kind=Kind.DIGEST, items=[(pat, "digest:pat", digest())])
    assert ContactTask.objects.get(person=pat).worker == workers[calls]


def test_in_the_bulk_path_each_person_without_email_gets_their_own_task_once(worker):
    pat, sam = no_email(worker), no_email(worker, phone="01632 960002")
    items = [(pat, "digest:pat", digest()), (sam, "digest:sam", digest())]
    assert messages_store_bulk(kind=Kind.DIGEST, items=items) == 2
    # The same batch again (a retried job) makes no second task for either.
    assert messages_store_bulk(kind=Kind.DIGEST, items=items) == 0
    assert sorted(ContactTask.objects.values_list("person", flat=True)) == sorted([pat.pk, sam.pk])


def test_in_the_bulk_path_a_task_another_run_made_meanwhile_is_left_as_it_is(worker):
    pat = no_email(worker)
    theirs: list[ContactTask] = []

    def another_run_between_the_look_and_the_insert(execute, sql, params, many, context):
        looked = execute(sql, params, many, context)
        if sql.startswith('SELECT "notifications_contacttask"."dedupe_key"') and not theirs:
            # Another run of the same job makes the task now, after this run found none.
            theirs.append(
                ContactTask.objects.create(
                    person=pat,
                    worker=worker,
                    method=ContactTask.Method.PHONE,
                    kind=Kind.DIGEST,
                    dedupe_key="digest:pat",
                    subject="Theirs",
                )
            )
        return looked

    with connection.execute_wrapper(another_run_between_the_look_and_the_insert):
        messages_store_bulk(kind=Kind.DIGEST, items=[(pat, "digest:pat", digest())])
    assert theirs, "the other run never came between the look and the insert"
    assert list(ContactTask.objects.values_list("subject", flat=True)) == ["Theirs"]
