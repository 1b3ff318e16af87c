"""Acting for a person from their page (assisted digital, issue 13 item 4): signing them
up, withdrawing and accepting on their behalf, each recorded as done by the worker on their
behalf and shown so. Who may use each page is in tests/test_access_table.py."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.assisted import person_register_assisted
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.services import signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State


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


def test_a_worker_signs_a_person_up_on_their_behalf_from_their_page(client, worker, pat):
    opportunity = OpportunityFactory(title="Tea and talk")
    client.force_login(worker)
    detail = page(client.get(reverse("worker:person", args=[pat.pk])))
    assert "Sign them up on their behalf" in detail and "Tea and talk" in detail
    response = client.post(
        reverse("worker:person_signup", args=[pat.pk]), {"opportunity": opportunity.pk}, follow=True
    )
    signup = SignUp.objects.get(person=pat)
    event = signup.events.get()
    assert (event.actor, event.on_behalf_of) == (worker, pat)
    assert "by Wendy Worker on behalf of Pat" in page(response)
    # Their confirmation is a call for their worker, listed on the worker's home.
    assert not Message.objects.filter(recipient=pat).exists()
    home = page(client.get(reverse("worker:home")))
    assert "Call Pat" in home and "01632 960001" in home


@pytest.mark.parametrize(
    ("opportunity_value", "error"),
    [("", "Choose an opportunity to sign them up for"), ("999999", "Choose an opportunity that is open")],
)
def test_the_sign_up_form_says_what_is_wrong(client, worker, pat, opportunity_value, error):
    client.force_login(worker)
    response = client.post(reverse("worker:person_signup", args=[pat.pk]), {"opportunity": opportunity_value})
    assert response.status_code == 200
    assert error in page(response)
    assert "<title>Error: " in page(response)
    assert not SignUp.objects.exists()


def test_an_opportunity_past_its_deadline_is_not_offered(client, worker, pat):
    closed = OpportunityFactory(title="Too late")
    Opportunity.objects.filter(pk=closed.pk).update(signup_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(worker)
    assert "Too late" not in page(client.get(reverse("worker:person", args=[pat.pk])))
    response = client.post(reverse("worker:person_signup", args=[pat.pk]), {"opportunity": closed.pk})
    assert "Choose an opportunity that is open" in page(response)


def test_the_service_refusal_shows_beside_the_form(client, worker, pat):
    opportunity = OpportunityFactory()
    signup_create(opportunity=opportunity, person=pat, by=worker)
    client.force_login(worker)
    response = client.post(reverse("worker:person_signup", args=[pat.pk]), {"opportunity": opportunity.pk})
    assert response.status_code == 200
    assert "<title>Error: " in page(response)
    assert SignUp.objects.get().events.count() == 1


def test_withdrawing_and_accepting_on_their_behalf(client, worker, pat, representative):
    opportunity = OpportunityFactory(places=1, title="One place")
    first = signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=pat, by=worker)
    signup_withdraw(signup=first, person=representative)
    client.force_login(worker)
    assert "Accept the place for them" in page(client.get(reverse("worker:person", args=[pat.pk])))
    client.post(reverse("worker:person_signup_accept", args=[pat.pk, waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.state == State.CONFIRMED
    client.post(reverse("worker:person_signup_withdraw", args=[pat.pk, waiting.pk]))
    waiting.refresh_from_db()
    assert waiting.state == State.WITHDRAWN
    assert list(waiting.events.filter(on_behalf_of=pat).values_list("to_state", flat=True)) == [
        State.WAITLISTED,
        State.CONFIRMED,
        State.WITHDRAWN,
    ]
    # Withdrawing again is refused with a message, not an error page.
    response = client.post(reverse("worker:person_signup_withdraw", args=[pat.pk, waiting.pk]), follow=True)
    assert "nothing to withdraw" in page(response)


def test_a_sign_up_of_somebody_else_is_not_found_through_this_person(client, worker, pat, representative):
    theirs = signup_create(opportunity=OpportunityFactory(), person=representative)
    client.force_login(worker)
    response = client.post(reverse("worker:person_signup_withdraw", args=[pat.pk, theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == State.CONFIRMED


def test_the_sign_up_history_on_the_participants_page_says_on_whose_behalf(client, worker, pat):
    opportunity = OpportunityFactory()
    signup_create(opportunity=opportunity, person=pat, by=worker)
    client.force_login(worker)
    text = page(client.get(reverse("opportunities:participants", args=[opportunity.pk])))
    assert "by Wendy Worker on behalf of Pat" in text


# --- a mobile number confirmed with them on the phone ---------------------------------------

MOBILE = "+447700900982"


def test_a_worker_confirms_their_mobile_with_them_so_messages_come_by_text(client, worker, pat, settings):
    import re

    from notifications.models import ContactTask

    settings.TEXT_MESSAGES_ENABLED = True
    client.force_login(worker)
    url = reverse("worker:person_mobile", args=[pat.pk])
    assert "Confirm their mobile number for texts" in page(
        client.get(reverse("worker:person", args=[pat.pk]))
    )
    client.post(url, {"mobile_number": "07700 900982"})
    text = Message.objects.get(recipient=pat, channel="text", to_phone=MOBILE)
    code = re.search(r"\b(\d{6})\b", text.body_text).group(1)
    wrong = client.post(url, {"code": "000000" if code != "000000" else "111111"})
    assert "That code is not right" in page(wrong) and "<title>Error: " in page(wrong)
    response = client.post(url, {"code": code}, follow=True)
    assert "Their mobile number 07700 900982 is confirmed" in page(response)
    pat.profile.refresh_from_db()
    assert pat.profile.mobile_number == MOBILE
    # Now a sign-up on their behalf is told by text, and no call is needed.
    signup_create(opportunity=OpportunityFactory(), person=pat, by=worker)
    assert Message.objects.filter(recipient=pat, kind="signup_update", channel="text").count() == 1
    assert not ContactTask.objects.filter(person=pat).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"mobile_number": ""}, "Enter their mobile number"),
        ({"mobile_number": "0113 496 0000"}, "this looks like a landline"),
        ({"code": ""}, "Enter the 6-number code"),
        ({"code": "123456"}, "Ask for a code first"),
        ({}, "Enter their mobile number"),
    ],
)
def test_every_mistake_on_the_mobile_page_is_said(client, worker, pat, settings, data, error):
    settings.TEXT_MESSAGES_ENABLED = True
    client.force_login(worker)
    response = client.post(reverse("worker:person_mobile", args=[pat.pk]), data)
    assert response.status_code == 200
    assert error in page(response) and "<title>Error: " in page(response)
    pat.profile.refresh_from_db()
    assert pat.profile.mobile_number == ""


def test_with_texts_off_the_mobile_page_says_so_and_sends_nothing(client, worker, pat, settings):
    settings.TEXT_MESSAGES_ENABLED = False
    client.force_login(worker)
    response = client.post(reverse("worker:person_mobile", args=[pat.pk]), {"mobile_number": "07700 900982"})
    assert "We cannot send texts at the moment" in page(response)
    assert not Message.objects.filter(recipient=pat).exists()
