"""The pages for assisted digital and calls as tasks (issue 13, items 4 and 7): registering
a person with no e-mail address, acting for them from their page, and logging the calls and
letters on the worker's home. Who may use each page is in tests/test_access_table.py; here,
what each does, every mistake on each form, and the queries."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.assisted import person_register_assisted
from accounts.models import ContactLogEntry, ContactMethod, User
from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.models import ContactTask
from opportunities.models import SignUp
from opportunities.services import signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State

REGISTER = {
    "first_name": "Pat",
    "last_name": "Phone",
    "display_name": "Pat",
    "phone": "01632 960001",
    "postal_address": "",
    "contact_notes": "Mornings are best",
    "privacy_notice_read": "on",
    "consent": "on",
}


@pytest.fixture
def pat(worker):
    return person_register_assisted(
        by=worker,
        first_name="Pat",
        last_name="Phone",
        display_name="Pat",
        phone="01632 960001",
        privacy_notice_read=True,
        consent=True,
    )


def page(response) -> str:
    return response.content.decode()


def test_a_worker_registers_a_person_by_phone(client, worker):
    client.force_login(worker)
    assert "Register a person who has no e-mail address" in page(client.get(reverse("worker:people")))
    form = client.get(reverse("worker:person_register"))
    assert f"version {settings.PRIVACY_NOTICE_VERSION}" in page(form)
    response = client.post(reverse("worker:person_register"), REGISTER, follow=True)
    pat = User.objects.get(first_name="Pat")
    assert response.redirect_chain[-1][0] == reverse("worker:person", args=[pat.pk])
    text = page(response)
    assert "Pat is registered, and you are their named worker." in text
    assert "None: they cannot log in" in text
    assert f"By Wendy Worker on {timezone.localdate():%A %-d %B %Y}" in text
    assert f"privacy notice (version {settings.PRIVACY_NOTICE_VERSION})" in text
    assert pat.email is None and pat.profile.registered_by == worker


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"phone": "", "postal_address": ""}, "Enter a phone number or a postal address"),
        ({"consent": ""}, "They need to agree to the privacy notice"),
        ({"privacy_notice_read": ""}, "Read them the privacy notice"),
        ({"first_name": ""}, "Enter their first name"),
        ({"last_name": ""}, "Enter their last name"),
        ({"phone": "not a number"}, "Enter a phone number, like"),
        ({"postal_address": "x" * 301, "phone": ""}, "300 characters"),
        ({"first_name": "x" * 151}, "150 characters"),
    ],
)
def test_every_mistake_on_the_registration_form_is_said_beside_its_field(
    client, worker, changes, field_error
):
    client.force_login(worker)
    response = client.post(reverse("worker:person_register"), {**REGISTER, **changes})
    assert response.status_code == 200
    text = page(response)
    assert field_error in text
    assert "<title>Error: " in text
    assert not User.objects.filter(email__isnull=True).exists()


def test_a_phone_number_already_given_is_refused_beside_the_field(client, worker, pat):
    client.force_login(worker)
    response = client.post(reverse("worker:person_register"), {**REGISTER, "phone": "+44 1632 960 001"})
    assert "Search for them under People" in page(response)
    assert User.objects.filter(email__isnull=True).count() == 1


# --- calls as tasks -------------------------------------------------------------------------


def task_for(someone, worker, **fields) -> ContactTask:
    return ContactTask.objects.create(
        person=someone,
        worker=worker,
        method=fields.pop("method", ContactTask.Method.PHONE),
        kind="signup_update",
        dedupe_key=fields.pop("key", f"test:{someone.pk}:{ContactTask.objects.count()}"),
        subject=fields.pop("subject", "Place confirmed"),
        body_text="Your place is confirmed.",
        **fields,
    )


def test_a_worker_logs_a_call_with_no_answer_then_reached(client, worker, pat):
    task = task_for(pat, worker, due_at=timezone.now() + timedelta(hours=5))
    client.force_login(worker)
    url = reverse("worker:contact_task", args=[task.pk])
    shown = page(client.get(url))
    assert "Call Pat" in shown and "Your place is confirmed." in shown and "01632 960001" in shown
    response = client.post(url, {"outcome": "no_answer"}, follow=True)
    assert "Logged in their contact log." in page(response)
    task.refresh_from_db()
    assert task.is_open and task.attempts == 1
    assert "1 try so far" in page(client.get(reverse("worker:home")))
    client.post(url, {"outcome": "left_message", "note": "On their voicemail"})
    task.refresh_from_db()
    assert not task.is_open
    assert "Call Pat" not in page(client.get(reverse("worker:home")))
    summaries = list(ContactLogEntry.objects.filter(person=pat).values_list("summary", flat=True))
    assert sorted(summaries) == [
        "Left a message: Place confirmed. On their voicemail",
        "No answer: Place confirmed",
    ]
    # Once done, a second log is refused beside the form.
    again = client.post(url, {"outcome": "reached"})
    assert "already done" in page(again)
    assert ContactLogEntry.objects.filter(person=pat).count() == 2


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Choose what happened"),
        ({"outcome": "sent_a_pigeon"}, "Choose what happened"),
        ({"outcome": "letter_sent"}, "Choose what happened"),
        ({"outcome": "reached", "note": "x" * 251}, "250 characters"),
    ],
)
def test_every_mistake_on_the_call_form_is_said(client, worker, pat, data, error):
    task = task_for(pat, worker)
    client.force_login(worker)
    response = client.post(reverse("worker:contact_task", args=[task.pk]), data)
    assert response.status_code == 200
    assert error in page(response) and "<title>Error: " in page(response)
    task.refresh_from_db()
    assert task.is_open and task.attempts == 0
    assert not ContactLogEntry.objects.exists()


def test_a_letter_is_logged_as_sent(client, worker):
    lou = person_register_assisted(
        by=worker,
        first_name="Lou",
        last_name="Letter",
        postal_address="1 High Street",
        privacy_notice_read=True,
        consent=True,
    )
    task = task_for(lou, worker, method=ContactTask.Method.LETTER)
    client.force_login(worker)
    url = reverse("worker:contact_task", args=[task.pk])
    assert "1 High Street" in page(client.get(url))
    client.post(url, {"outcome": "letter_sent"})
    task.refresh_from_db()
    assert not task.is_open
    assert ContactLogEntry.objects.get(person=lou).channel == "letter"


def test_a_phone_preferring_person_offered_a_place_puts_a_call_on_the_named_workers_home(
    client, worker, representative
):
    caller = person(
        roles=[Role.REPRESENTATIVE],
        display_name="Cal",
        contact_method=ContactMethod.PHONE,
        phone="01632 960005",
        named_worker=worker,
    )
    opportunity = OpportunityFactory(places=1, title="Tea and talk")
    first = signup_create(opportunity=opportunity, person=representative)
    signup_create(opportunity=opportunity, person=caller)
    signup_withdraw(signup=first, person=representative)
    client.force_login(worker)
    home = page(client.get(reverse("worker:home")))
    assert "Call Cal" in home and "01632 960005" in home
    assert "By " in home


@pytest.mark.parametrize("count", [1, 8])
def test_the_worker_home_lists_calls_in_the_same_queries_however_many(
    client, worker, count, django_assert_max_num_queries
):
    for number in range(count):
        someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Caller {number}", named_worker=worker)
        task_for(someone, worker, due_at=timezone.now() + timedelta(hours=number + 1))
    client.force_login(worker)
    client.get(reverse("worker:home"))
    with django_assert_max_num_queries(16):  # one of them the questions about agreements (issue 15)
        response = client.get(reverse("worker:home"))
    assert len(response.context["contact_tasks"]) == count
    names = [task.person.profile.display_name for task in response.context["contact_tasks"]]
    assert names == [f"Caller {number}" for number in range(count)]  # soonest due first
