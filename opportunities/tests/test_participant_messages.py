"""The lead worker writes to the people taking part (issue 13, item 5): who may, what the form
refuses, who receives it (inbox, e-mail, and a text for those who chose one), that a form
sent twice sends once, and the history on the participants page."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Channel, Kind
from notifications.models import Message
from opportunities.models import ParticipantMessage
from opportunities.services import (
    OpportunityError,
    participants_message_send,
    selection_preview,
    selection_run,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

MOBILE = "+447700900123"


def rep(name: str, **profile):
    return person(roles=[Role.REPRESENTATIVE], display_name=name, **profile)


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


@pytest.fixture
def activity(lead):
    """Two places, first come: Cara and Cy confirmed, Wes waiting, Will withdrawn."""
    opportunity = OpportunityFactory(lead_worker=lead, places=2, title="Ward panel")
    people = {name: rep(name) for name in ("Cara", "Cy", "Wes", "Will")}
    for name in ("Cara", "Cy", "Wes"):
        signup_create(opportunity=opportunity, person=people[name])
    signup_withdraw(
        signup=signup_create(opportunity=opportunity, person=people["Will"]), person=people["Will"]
    )
    opportunity.refresh_from_db()
    return opportunity, people


def form(**overrides) -> dict:
    data = {
        "groups": ["confirmed"],
        "subject": "Room change",
        "body": "We are in room 4 now.",
        "send_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def inbox_of(who) -> list[Message]:
    return list(Message.objects.filter(recipient=who, kind=Kind.PARTICIPANT_MESSAGE, channel=Channel.EMAIL))


def test_it_sends_to_each_person_in_the_chosen_groups_and_nobody_else(client, lead, activity):
    opportunity, people = activity
    client.force_login(lead)
    response = client.post(reverse("opportunities:message_participants", args=[opportunity.pk]), form())
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:participants", args=[opportunity.pk])
    for name in ("Cara", "Cy"):
        (message,) = inbox_of(people[name])
        assert message.subject == "Room change (Ward panel)"
        assert "We are in room 4 now." in message.body_text
        assert "Lee Lead, the lead worker of Ward panel" in message.body_text
        assert message.status == Message.Status.PENDING
        assert message.dedupe_key == (
            f"participant_message:{ParticipantMessage.objects.get().pk}:{people[name].pk}"
        )
    assert inbox_of(people["Wes"]) == []
    assert inbox_of(people["Will"]) == []
    sent = ParticipantMessage.objects.get()
    assert (sent.sender, sent.groups, sent.recipient_count) == (lead, ["confirmed"], 2)
    # The person finds it in their inbox.
    client.force_login(people["Cara"])
    assert "Room change" in client.get(reverse("inbox:list")).content.decode()


def test_it_sends_to_several_groups_at_once(lead, activity):
    opportunity, people = activity
    sent = participants_message_send(
        opportunity=opportunity,
        sender=lead,
        subject="Hello",
        body="News.",
        groups=["waiting", "confirmed"],
        send_key=uuid.uuid4(),
    )
    assert sent.message.recipient_count == 3
    assert sent.message.groups == ["confirmed", "waiting"]
    assert {
        m.recipient.profile.display_name for m in Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE)
    } == {
        "Cara",
        "Cy",
        "Wes",
    }


def test_the_applied_group_is_the_people_waiting_for_selection(lead):
    fair = OpportunityFactory(lead_worker=lead, selection_method="fair_share", places=1)
    applicants = [rep(f"Applicant {n}") for n in range(3)]
    for someone in applicants:
        signup_create(opportunity=fair, person=someone)
    sent = participants_message_send(
        opportunity=fair,
        sender=lead,
        subject="Soon",
        body="We choose on Friday.",
        groups=["applied"],
        send_key=uuid.uuid4(),
    )
    assert sent.message.recipient_count == 3
    # After the selection, one has a place offered (waiting group) and the rest are waitlisted.
    fair.signup_deadline = timezone.now() - timedelta(minutes=1)
    fair.save()
    selection_run(opportunity=fair, draw=selection_preview(opportunity=fair, by=lead), by=lead)
    with pytest.raises(OpportunityError, match="Nobody is in the groups you chose"):
        participants_message_send(
            opportunity=fair,
            sender=lead,
            subject="Again",
            body="x",
            groups=["applied"],
            send_key=uuid.uuid4(),
        )


def test_a_double_submit_sends_once(client, lead, activity):
    opportunity, people = activity
    client.force_login(lead)
    data = form()
    url = reverse("opportunities:message_participants", args=[opportunity.pk])
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    assert "Your message has been sent to 2 people." in first.content.decode()
    assert "This message was already sent to 2 people. It has not been sent again." in second.content.decode()
    assert ParticipantMessage.objects.count() == 1
    assert len(inbox_of(people["Cara"])) == 1
    # A new form (a new key) is a new message.
    client.post(url, form())
    assert ParticipantMessage.objects.count() == 2
    assert len(inbox_of(people["Cara"])) == 2


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_the_same_form_at_the_same_moment_send_once():
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    opportunity = OpportunityFactory(lead_worker=lead, places=3)
    people = [rep(f"P{n}") for n in range(3)]
    for someone in people:
        signup_create(opportunity=opportunity, person=someone)
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            results.append(
                participants_message_send(
                    opportunity=opportunity,
                    sender=lead,
                    subject="S",
                    body="B",
                    groups=["confirmed"],
                    send_key=key,
                )
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.already_sent for result in results) == [False, True]
    # Each click is told of the one message and its three people (the view says so).
    assert [result.message.recipient_count for result in results] == [3, 3]
    assert ParticipantMessage.objects.count() == 1
    assert Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE).count() == 3


def test_a_text_goes_to_those_who_chose_texts_for_it_and_holds_no_body(settings, lead, activity):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"
    opportunity, people = activity
    texter = people["Cara"]
    texter.profile.mobile_number = MOBILE
    texter.profile.mobile_confirmed_at = timezone.now()
    texter.profile.text_kinds = [Kind.PARTICIPANT_MESSAGE]
    texter.profile.save()
    participants_message_send(
        opportunity=opportunity,
        sender=lead,
        subject="Room change",
        body="Secret-ish long body that stays in the inbox.",
        groups=["confirmed"],
        send_key=uuid.uuid4(),
    )
    (text,) = Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE, channel=Channel.TEXT)
    assert text.recipient == texter
    assert text.to_phone == MOBILE
    assert '"Room change"' in text.body_text
    assert "/me/inbox/" in text.body_text
    assert "stays in the inbox" not in text.body_text
    assert len(text.body_text) <= 612
    # Cy did not choose texts: e-mail only.
    assert not Message.objects.filter(recipient=people["Cy"], channel=Channel.TEXT).exists()


def test_an_e_mail_turned_off_still_reaches_the_inbox(lead, activity):
    opportunity, people = activity
    people["Cy"].profile.email_muted_kinds = [Kind.PARTICIPANT_MESSAGE]
    people["Cy"].profile.save()
    participants_message_send(
        opportunity=opportunity,
        sender=lead,
        subject="S",
        body="B",
        groups=["confirmed"],
        send_key=uuid.uuid4(),
    )
    (message,) = inbox_of(people["Cy"])
    assert message.status == Message.Status.INBOX_ONLY


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"subject": ""}, "subject", "Enter a subject"),
        ({"subject": "   "}, "subject", "Enter a subject"),
        ({"subject": "x" * 101}, "subject", "The subject must be 100 characters or fewer"),
        ({"body": ""}, "body", "Enter your message"),
        ({"body": "x" * 2001}, "body", "The message must be 2000 characters or fewer"),
        ({"groups": None}, "groups", "Choose who the message is for"),
        ({"groups": ["everyone"]}, "groups", "Choose who the message is for from the list"),
        ({"groups": ["applied"]}, "groups", "Nobody is in the groups you chose"),
        ({"send_key": "not-a-key"}, None, "This form could not be read"),
        ({"send_key": None}, None, "This form could not be read"),
    ],
)
def test_bad_input_comes_back_with_the_message_beside_it_and_sends_nothing(
    client, lead, activity, data, field, words
):
    opportunity, _ = activity
    client.force_login(lead)
    response = client.post(reverse("opportunities:message_participants", args=[opportunity.pk]), form(**data))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors[field or "__all__"])
    page = response.content.decode()
    assert "Error: " in page
    assert words in page
    # What was typed is kept.
    if data.get("body") is None and "body" not in data:
        assert "We are in room 4 now." in page
    assert ParticipantMessage.objects.count() == 0
    assert not Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE).exists()


def test_the_form_hints_that_no_special_category_data_belongs_in_it(client, lead, activity):
    opportunity, _ = activity
    client.force_login(lead)
    page = client.get(reverse("opportunities:message_participants", args=[opportunity.pk])).content.decode()
    assert "Never write anything about anyone's health, support needs or personal circumstances" in page
    # A fresh key in the form each time it is shown.
    assert page.count('name="send_key"') == 1


def test_only_the_lead_worker_may_send_and_nothing_is_sent_otherwise(client, lead, activity, worker, manager):
    opportunity, _ = activity
    url = reverse("opportunities:message_participants", args=[opportunity.pk])
    for someone in (worker, manager, activity[1]["Cara"]):
        client.force_login(someone)
        assert client.post(url, form()).status_code == 403
        assert client.get(url).status_code == 403
    with pytest.raises(OpportunityError, match="Only the lead worker"):
        participants_message_send(
            opportunity=opportunity,
            sender=worker,
            subject="S",
            body="B",
            groups=["confirmed"],
            send_key=uuid.uuid4(),
        )
    assert not Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE).exists()


def test_a_key_used_on_another_opportunity_is_refused(lead, activity):
    opportunity, _ = activity
    other = OpportunityFactory(lead_worker=lead)
    signup_create(opportunity=other, person=rep("Ozzy"))
    key = uuid.uuid4()
    participants_message_send(
        opportunity=opportunity, sender=lead, subject="S", body="B", groups=["confirmed"], send_key=key
    )
    with pytest.raises(OpportunityError, match="already been used"):
        participants_message_send(
            opportunity=other, sender=lead, subject="S", body="B", groups=["confirmed"], send_key=key
        )


def test_the_participants_page_lists_the_messages_sent(client, lead, activity, worker):
    opportunity, _ = activity
    participants_message_send(
        opportunity=opportunity,
        sender=lead,
        subject="Room change",
        body="Room 4.",
        groups=["confirmed", "waiting"],
        send_key=uuid.uuid4(),
    )
    client.force_login(lead)
    page = client.get(reverse("opportunities:participants", args=[opportunity.pk])).content.decode()
    assert "Write to the people taking part" in page
    history = page.split("Messages sent")[1]
    assert "Room change" in history
    assert "Lee Lead" in history
    assert "Confirmed, Waiting" in history
    assert ">3</td>" in history.replace("People </span>", "")
    # Another worker sees the history on the participants page but is not offered the form.
    client.force_login(worker)
    page = client.get(reverse("opportunities:participants", args=[opportunity.pk])).content.decode()
    assert "Room change" in page
    assert "Write to the people taking part" not in page


@pytest.mark.parametrize("rows", [3, 30], ids=["few", "many"])
def test_the_participants_page_runs_a_fixed_number_of_queries_however_many_messages(
    client, lead, rows, django_assert_max_num_queries
):
    opportunity = OpportunityFactory(lead_worker=lead, places=rows)
    for number in range(rows):
        signup_create(opportunity=opportunity, person=rep(f"P{number}"))
    for number in range(rows):
        # Each by a different sender would be the worst case; the lead is the only sender.
        participants_message_send(
            opportunity=opportunity,
            sender=lead,
            subject=f"News {number}",
            body="B",
            groups=["confirmed"],
            send_key=uuid.uuid4(),
        )
    client.force_login(lead)
    client.get(reverse("opportunities:participants", args=[opportunity.pk]))
    with django_assert_max_num_queries(15):  # measured: 13
        response = client.get(reverse("opportunities:participants", args=[opportunity.pk]))
    assert len(response.context["sent_messages"]) == rows


@pytest.mark.parametrize("groups", [[], ["everyone"], ["confirmed", "everyone"]])
def test_the_service_refuses_groups_it_does_not_know(lead, activity, groups):
    opportunity, _ = activity
    with pytest.raises(OpportunityError, match="Choose who the message is for"):
        participants_message_send(
            opportunity=opportunity, sender=lead, subject="S", body="B", groups=groups, send_key=uuid.uuid4()
        )
    assert not ParticipantMessage.objects.exists()


# --- written for the survivors of the mutation run at e9c2f17 (docs/testing.md) --------------


def send(opportunity, sender, **overrides):
    data = {"subject": "Room change", "body": "We are in room 4 now.", "groups": ["confirmed"]}
    data.update(overrides)
    return participants_message_send(opportunity=opportunity, sender=sender, send_key=uuid.uuid4(), **data)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"subject": "   "}, "subject", "Enter a subject"),
        ({"subject": "x" * 101}, "subject", "The subject must be 100 characters or fewer"),
        ({"body": "  \n "}, "body", "Enter your message"),
        ({"body": "x" * 2001}, "body", "The message must be 2000 characters or fewer"),
        ({"groups": []}, "groups", "Choose who the message is for"),
        (
            {"groups": ["applied"]},
            "groups",
            "Nobody is in the groups you chose, so there is nobody to send to",
        ),
    ],
    ids=["no-subject", "subject-too-long", "no-message", "message-too-long", "no-group", "nobody"],
)
def test_the_service_refuses_bad_input_by_its_field_in_its_own_words(lead, activity, data, field, words):
    """The form says these first, in the same words; the service says them to any other
    caller, for the page to show beside the same field."""
    opportunity, _ = activity
    with pytest.raises(OpportunityError) as refused:
        send(opportunity, lead, **data)
    assert (refused.value.field, str(refused.value)) == (field, words)
    assert not ParticipantMessage.objects.exists()


def test_a_subject_and_a_message_of_exactly_the_longest_allowed_are_sent(lead, activity):
    opportunity, people = activity
    sent = send(opportunity, lead, subject="s" * 100, body="b" * 2000)
    assert (len(sent.message.subject), len(sent.message.body)) == (100, 2000)
    assert len(inbox_of(people["Cara"])) == 1


def test_the_refusals_to_another_worker_and_of_a_used_form_are_in_their_own_words(lead, activity, worker):
    opportunity, _ = activity
    with pytest.raises(OpportunityError) as not_lead:
        send(opportunity, worker)
    assert str(not_lead.value) == "Only the lead worker can write to the people taking part."
    other = OpportunityFactory(lead_worker=lead)
    signup_create(opportunity=other, person=rep("Ozzy"))
    key = uuid.uuid4()
    participants_message_send(
        opportunity=opportunity, sender=lead, subject="S", body="B", groups=["confirmed"], send_key=key
    )
    with pytest.raises(OpportunityError) as used:
        participants_message_send(
            opportunity=other, sender=lead, subject="S", body="B", groups=["confirmed"], send_key=key
        )
    assert str(used.value) == "This form has already been used. Write the message again."


def test_people_on_another_activity_in_the_same_state_get_nothing(lead, activity):
    opportunity, people = activity
    elsewhere = rep("Ozzy")
    signup_create(opportunity=OpportunityFactory(lead_worker=lead), person=elsewhere)
    sent = send(opportunity, lead)
    assert sent.message.recipient_count == 2
    assert inbox_of(elsewhere) == []
    assert {message.recipient for message in Message.objects.filter(kind=Kind.PARTICIPANT_MESSAGE)} == {
        people["Cara"],
        people["Cy"],
    }


def test_the_groups_are_listed_in_the_forms_order_whatever_the_order_chosen(client, lead):
    """Confirmed, Waiting, Applied, as the form lists them: not the order of their names."""
    fair = OpportunityFactory(lead_worker=lead, selection_method="fair_share", places=1)
    signup_create(opportunity=fair, person=rep("Ann"))
    sent = send(fair, lead, groups=["applied", "confirmed"])
    assert sent.message.groups == ["confirmed", "applied"]
    client.force_login(lead)
    page = client.get(reverse("opportunities:participants", args=[fair.pk])).content.decode()
    assert "Confirmed, Applied" in page.split("Messages sent")[1]


@pytest.mark.parametrize(
    ("display_name", "full_name", "profile", "signed"),
    [
        ("", ("Lee", "Lomax"), True, "Lee Lomax"),
        ("", ("", ""), True, "lee.lead@example.org"),
        ("Lee Lead", ("Lee", "Lomax"), False, "Lee Lomax"),
    ],
    ids=["no-name-chosen", "no-name-at-all", "no-profile"],
)
def test_the_message_names_the_lead_by_the_name_they_chose_else_their_full_name_else_their_address(
    lead, activity, display_name, full_name, profile, signed
):
    """A worker made with `createsuperuser` has no profile, and one may have no name chosen
    or given: the message still says who wrote it."""
    opportunity, people = activity
    lead.first_name, lead.last_name = full_name
    lead.email = "lee.lead@example.org"
    lead.save()
    lead.profile.display_name = display_name
    lead.profile.save()
    if not profile:
        lead.profile.delete()
        lead = type(lead).objects.get(pk=lead.pk)
    send(opportunity, lead)
    (message,) = inbox_of(people["Cara"])
    assert f"\n{signed}, the lead worker of Ward panel, has written to the people taking part." in (
        message.body_text
    )


def test_each_person_written_to_costs_the_outbox_its_own_statements_and_no_read_of_the_person(
    lead, django_assert_max_num_queries
):
    """The people in the groups are read with their sign-ups, with their profiles: writing to
    six costs what writing to one does plus, for each further person, only the outbox's own
    statements (the recipient's profile read under it, the message), not a read of the person."""
    one_person = OpportunityFactory(lead_worker=lead, places=1)
    signup_create(opportunity=one_person, person=rep("Una"))
    with CaptureQueriesContext(connection) as one:
        send(one_person, lead)
    six = OpportunityFactory(lead_worker=lead, places=6)
    for number in range(6):
        signup_create(opportunity=six, person=rep(f"P{number}"))
    with django_assert_max_num_queries(len(one.captured_queries) + 2 * 5):
        assert send(six, lead).message.recipient_count == 6
