"""Messages for a person with no e-mail address become texts or tasks for their worker, and
a person who prefers a phone call gets one about an offer or a changed session (issue 13,
items 4 and 7). Logging a try writes the contact log; any outcome but "no answer" closes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.assisted import person_register_assisted
from accounts.models import ContactChannel, ContactLogEntry, ContactMethod, User
from accounts.permissions import Role
from accounts.services import user_set_roles
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import ContactTask, Message
from notifications.services import (
    CallRequest,
    NotificationsError,
    RenderedMessage,
    contact_task_log,
    message_create,
    message_store,
    messages_store_bulk,
)

pytestmark = pytest.mark.django_db

CONFIRMED_MOBILE = "+447700900982"


def rendered(subject="Your place on Tea and talk") -> RenderedMessage:
    return RenderedMessage(subject=subject, body_text="Words.\n", body_sms="Short words.")


@pytest.fixture
def pat(worker):
    return person_register_assisted(
        by=worker,
        first_name="Pat",
        last_name="Phone",
        phone="01632 960001",
        privacy_notice_read=True,
        consent=True,
    )


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


def test_a_message_for_a_person_without_email_is_a_call_task_for_their_worker(pat, worker):
    message = message_create(
        recipient=pat, kind=Kind.WELCOME, dedupe_key="welcome:pat", context={"staff": False}
    )
    assert message is None
    assert not Message.objects.filter(recipient=pat).exists()
    task = ContactTask.objects.get(person=pat)
    assert (task.worker, task.method, task.kind, task.dedupe_key) == (
        worker,
        ContactTask.Method.PHONE,
        Kind.WELCOME,
        "welcome:pat",
    )
    assert task.subject and task.body_text
    assert task.is_open


def test_the_same_cause_makes_one_task(pat):
    for _ in range(2):
        message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="signup:x:1", rendered=rendered(), recipient=pat)
    assert ContactTask.objects.filter(person=pat).count() == 1


def test_with_no_phone_it_is_a_letter(worker):
    posted = person_register_assisted(
        by=worker,
        first_name="Lou",
        last_name="Letter",
        postal_address="1 High Street",
        privacy_notice_read=True,
        consent=True,
    )
    message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=posted)
    assert ContactTask.objects.get(person=posted).method == ContactTask.Method.LETTER


def test_with_a_confirmed_mobile_it_is_a_text_not_a_task(pat, settings):
    settings.TEXT_MESSAGES_ENABLED = True
    pat.profile.mobile_number = CONFIRMED_MOBILE
    pat.profile.save()
    message = message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=pat)
    assert message is not None and message.to_phone == CONFIRMED_MOBILE
    assert list(Message.objects.filter(recipient=pat).values_list("channel", flat=True)) == ["text"]
    assert not ContactTask.objects.exists()
    # A kind that never comes by text still reaches them, through their worker.
    message_store(kind=Kind.OUTCOME_PUBLISHED, dedupe_key="o", rendered=rendered(), recipient=pat)
    assert ContactTask.objects.filter(person=pat, kind=Kind.OUTCOME_PUBLISHED).count() == 1


def test_account_messages_are_never_tasks(pat):
    assert message_store(kind=Kind.ACCOUNT, dedupe_key="a", rendered=rendered(), recipient=pat) is None
    assert not ContactTask.objects.exists()


def test_bulk_messages_become_tasks_too(pat, representative):
    items = [(user, f"digest:{user.pk}", rendered("Your digest")) for user in (pat, representative)]
    for user, _, _ in items:
        assert user.profile  # loaded, as the bulk path needs
    assert messages_store_bulk(kind=Kind.DIGEST, items=items) == 2
    assert Message.objects.get().recipient == representative
    assert ContactTask.objects.get().person == pat
    assert messages_store_bulk(kind=Kind.DIGEST, items=items) == 0


def test_a_person_who_prefers_a_call_gets_one_from_their_named_worker(representative, worker, lead):
    profile = representative.profile
    profile.contact_method, profile.phone = ContactMethod.PHONE, "01632 960002"
    profile.save()
    due = timezone.now() + timedelta(hours=48)
    message = message_store(
        kind=Kind.PLACE_OFFERED,
        dedupe_key="signup:offered:1:2",
        rendered=rendered(),
        recipient=representative,
        call=CallRequest(worker_id=lead.pk, due_at=due),
    )
    assert message is not None and message.to_email == representative.email
    task = ContactTask.objects.get()
    assert (task.worker, task.due_at, task.method) == (worker, due, ContactTask.Method.PHONE)


def test_without_a_named_worker_the_lead_worker_calls(lead):
    caller = person(roles=[Role.REPRESENTATIVE], contact_method=ContactMethod.PHONE, phone="01632 960003")
    message_store(
        kind=Kind.SIGNUP_UPDATE,
        dedupe_key="sessions:changed:1:abc",
        rendered=rendered(),
        recipient=caller,
        call=CallRequest(worker_id=lead.pk, due_at=None),
    )
    assert ContactTask.objects.get().worker == lead


@pytest.mark.parametrize(
    ("profile_fields"),
    [
        {"contact_method": ContactMethod.EMAIL, "phone": "01632 960004"},
        {"contact_method": ContactMethod.PHONE},
    ],
)
def test_no_call_for_a_person_who_prefers_e_mail_or_gave_no_phone(lead, profile_fields):
    someone = person(roles=[Role.REPRESENTATIVE], **profile_fields)
    message_store(
        kind=Kind.PLACE_OFFERED,
        dedupe_key="k",
        rendered=rendered(),
        recipient=someone,
        call=CallRequest(worker_id=lead.pk, due_at=None),
    )
    assert not ContactTask.objects.exists()


def test_a_call_without_an_answer_is_logged_and_stays_open(pat, worker):
    message_store(
        kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered("Place confirmed"), recipient=pat
    )
    task = ContactTask.objects.get()
    task = contact_task_log(task=task, by=worker, outcome=ContactTask.Outcome.NO_ANSWER)
    assert task.is_open and task.attempts == 1
    task = contact_task_log(task=task, by=worker, outcome=ContactTask.Outcome.REACHED, note="Pleased.")
    task.refresh_from_db()  # as stored, not only as returned
    assert not task.is_open and task.closed_by == worker
    assert (task.attempts, task.last_outcome) == (2, ContactTask.Outcome.REACHED)
    entries = list(ContactLogEntry.objects.filter(person=pat).order_by("pk"))
    assert [e.summary for e in entries] == [
        "No answer: Place confirmed",
        "Reached them: Place confirmed. Pleased.",
    ]
    assert {e.channel for e in entries} == {ContactChannel.PHONE}
    assert {e.written_by for e in entries} == {worker}
    with pytest.raises(NotificationsError) as refused:
        contact_task_log(task=task, by=worker, outcome=ContactTask.Outcome.LEFT_MESSAGE)
    assert str(refused.value) == "This task is already done."


def test_bad_outcomes_and_notes_are_refused(pat, worker):
    message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=pat)
    task = ContactTask.objects.get()
    for outcome in ("", "sent_a_pigeon", ContactTask.Outcome.LETTER_SENT):
        with pytest.raises(NotificationsError) as refused:
            contact_task_log(task=task, by=worker, outcome=outcome)
        assert (refused.value.field, str(refused.value)) == ("outcome", "Choose what happened")
    with pytest.raises(NotificationsError) as refused:
        contact_task_log(task=task, by=worker, outcome=ContactTask.Outcome.REACHED, note="x" * 251)
    assert (refused.value.field, str(refused.value)) == ("note", "The note must be 250 characters or fewer.")
    task.refresh_from_db()
    assert task.is_open and task.attempts == 0
    assert not ContactLogEntry.objects.exists()
    # 250 characters is allowed.
    contact_task_log(task=task, by=worker, outcome=ContactTask.Outcome.REACHED, note="x" * 250)
    assert ContactLogEntry.objects.get().summary.endswith(". " + "x" * 250)


def test_only_the_worker_it_is_for_or_who_may_see_the_person_may_log_it(pat, other_worker, manager):
    message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=pat)
    task = ContactTask.objects.get()
    for somebody in (other_worker, manager, pat):
        with pytest.raises(NotificationsError) as refused:
            contact_task_log(task=task, by=somebody, outcome=ContactTask.Outcome.REACHED)
        assert (
            str(refused.value)
            == "Only the worker this call is for, or the person's named worker, can log it."
        )
    assert ContactTask.objects.get().is_open


def test_the_persons_new_named_worker_may_log_a_task_made_for_the_worker_before(pat, worker, lead):
    """A task outlives a change of named worker: the new one, who may see the person, logs it."""
    message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=pat)
    task = ContactTask.objects.get(worker=worker)
    pat.profile.named_worker = lead
    pat.profile.save()
    contact_task_log(task=task, by=User.objects.get(pk=lead.pk), outcome=ContactTask.Outcome.REACHED)
    assert not ContactTask.objects.get().is_open


def test_a_worker_who_has_left_cannot_log_the_tasks_still_theirs(pat, worker):
    message_store(kind=Kind.SIGNUP_UPDATE, dedupe_key="k", rendered=rendered(), recipient=pat)
    task = ContactTask.objects.get()
    user_set_roles(user=worker, roles=[Role.REPRESENTATIVE])
    with pytest.raises(NotificationsError):
        contact_task_log(task=task, by=User.objects.get(pk=worker.pk), outcome=ContactTask.Outcome.REACHED)
    assert ContactTask.objects.get().is_open
