"""A mobile number for texts: checked as a UK mobile, confirmed with a code sent to it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import messaging
from accounts.models import PhoneConfirmation
from accounts.permissions import Role
from accounts.phones import FOREIGN, MALFORMED, NOT_MOBILE, uk_mobile_e164
from accounts.services import AccountsError, phone_confirm, phone_confirmation_start
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts_on(settings):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"


@pytest.fixture(autouse=True)
def texts_asked(monkeypatch) -> list[dict]:
    """The texts accounts asks the outbox for (to_phone, kind, context...), each still
    passed on to it. What the text says, and its delivery, are notifications' to test."""
    asked: list[dict] = []
    outbox = messaging._text_outbox
    assert outbox is not None, "notifications connects the text outbox when Django starts"

    def record(**text):
        asked.append(text)
        return outbox(**text)

    monkeypatch.setattr(messaging, "_text_outbox", record)
    return asked


@pytest.fixture
def rep(texts_on):
    return person(roles=[Role.REPRESENTATIVE], display_name="Robin")


def code_sent(texts_asked) -> str:
    """The code in the newest text asked for."""
    assert texts_asked[-1]["kind"] == messaging.PHONE_CODE
    return texts_asked[-1]["context"]["code"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900 982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("07123 456789", "+447123456789"),
        ("(07123) 456-789", "+447123456789"),
    ],
)
def test_it_keeps_a_uk_mobile_in_e164(typed, expected):
    assert uk_mobile_e164(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0113 496 0000", NOT_MOBILE),
        ("020 7946 0000", NOT_MOBILE),
        ("+1 202 555 0143", FOREIGN),
        ("+33 6 12 34 56 78", FOREIGN),
        ("07911 123456x", MALFORMED),
        ("call me maybe", MALFORMED),
        ("07700 900", MALFORMED),
        ("", MALFORMED),
    ],
)
def test_it_says_what_is_wrong_with_a_number(typed, message):
    with pytest.raises(ValidationError) as refused:
        uk_mobile_e164(typed)
    assert refused.value.messages == [message]


# The pages, by role


@pytest.mark.parametrize("name", ["me:phone", "me:phone_confirm"])
def test_a_representative_may_use_the_phone_pages(client, rep, name):
    client.force_login(rep)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["me:phone", "me:phone_confirm"])
@pytest.mark.parametrize("role", [Role.WORKER, Role.MANAGER, Role.ADMINISTRATOR, Role.FINANCE])
def test_staff_may_not(client, texts_on, name, role):
    client.force_login(person(roles=[role]))
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403


@pytest.mark.parametrize("name", ["me:phone", "me:phone_confirm"])
def test_a_visitor_is_sent_to_log_in(client, texts_on, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Giving a number


def test_it_sends_a_code_to_the_number_and_asks_for_it(client, rep, texts_asked):
    client.force_login(rep)
    response = client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    assert response.status_code == 302 and response["Location"] == reverse("me:phone_confirm")
    [text] = texts_asked
    assert text["to_phone"] == "+447700900982"
    page = client.get(reverse("me:phone_confirm")).content.decode()
    assert "07700 900982" in page
    rep.profile.refresh_from_db()
    assert rep.profile.mobile_number == ""  # not until the code comes back


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0113 496 0000", NOT_MOBILE),
        ("+1 202 555 0143", FOREIGN),
        ("seven seven hundred", MALFORMED),
        ("", "Enter your mobile number, like 07700 900 982"),
    ],
)
def test_a_number_that_cannot_get_texts_is_refused_beside_the_field(client, rep, typed, message, texts_asked):
    client.force_login(rep)
    response = client.post(reverse("me:phone"), {"mobile_number": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert message.replace("'", "&#x27;") in page
    assert "<title>Error: " in page
    assert texts_asked == []


def test_at_most_a_few_codes_an_hour(client, rep, settings, texts_asked):
    client.force_login(rep)
    for _ in range(settings.PHONE_CODES_PER_HOUR):
        client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    response = client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    assert response.status_code == 200
    assert "Wait an hour, then ask for a new one" in response.content.decode()
    assert len(texts_asked) == settings.PHONE_CODES_PER_HOUR


def test_the_pages_say_texts_are_off_and_send_nothing(client, settings, texts_asked):
    settings.TEXT_MESSAGES_ENABLED = False
    rep = person(roles=[Role.REPRESENTATIVE])
    client.force_login(rep)
    assert "We cannot send texts at the moment" in client.get(reverse("me:phone")).content.decode()
    response = client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    assert response.status_code == 302
    assert texts_asked == []
    with pytest.raises(AccountsError):
        phone_confirmation_start(user=rep, number="07700 900 982")


# Typing the code back


def test_the_right_code_confirms_the_number(client, rep, texts_asked):
    client.force_login(rep)
    client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    response = client.post(reverse("me:phone_confirm"), {"code": code_sent(texts_asked)})
    assert response.status_code == 302 and response["Location"] == reverse("me:preferences")
    rep.profile.refresh_from_db()
    assert rep.profile.mobile_number == "+447700900982"
    assert rep.profile.mobile_confirmed_at is not None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "Enter the code as 6 numbers, like 123456"),
        ("abcdef", "Enter the code as 6 numbers, like 123456"),
        ("", "Enter the 6-number code from the text"),
    ],
)
def test_a_code_of_the_wrong_shape_is_refused_without_a_try(client, rep, typed, message):
    client.force_login(rep)
    client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    response = client.post(reverse("me:phone_confirm"), {"code": typed})
    assert message in response.content.decode()
    assert PhoneConfirmation.objects.get().attempts == 0


def test_a_wrong_code_says_how_many_tries_are_left(client, rep, texts_asked):
    client.force_login(rep)
    client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    wrong = "000000" if code_sent(texts_asked) != "000000" else "111111"
    response = client.post(reverse("me:phone_confirm"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right. You can try 4 more times." in response.content.decode()
    rep.profile.refresh_from_db()
    assert rep.profile.mobile_number == ""


def test_too_many_wrong_codes_end_the_code_even_the_right_one(rep, settings, texts_asked):
    phone_confirmation_start(user=rep, number="07700 900 982")
    code = code_sent(texts_asked)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PHONE_CODE_MAX_ATTEMPTS):
        with pytest.raises(AccountsError):
            phone_confirm(user=rep, code=wrong)
    with pytest.raises(AccountsError, match="too many times"):
        phone_confirm(user=rep, code=code)
    rep.profile.refresh_from_db()
    assert rep.profile.mobile_number == ""


def test_an_expired_code_is_refused(client, rep, settings, texts_asked):
    client.force_login(rep)
    client.post(reverse("me:phone"), {"mobile_number": "07700 900 982"})
    later = timezone.now() + timedelta(minutes=settings.PHONE_CODE_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        response = client.post(reverse("me:phone_confirm"), {"code": code_sent(texts_asked)})
    assert "That code has expired. Ask for a new code." in response.content.decode()
    rep.profile.refresh_from_db()
    assert rep.profile.mobile_number == ""


def test_a_new_code_ends_the_one_before(rep, texts_asked):
    phone_confirmation_start(user=rep, number="07700 900 982")
    first = code_sent(texts_asked)
    phone_confirmation_start(user=rep, number="07700 900 983")
    second = code_sent(texts_asked)
    if first != second:
        with pytest.raises(AccountsError):
            phone_confirm(user=rep, code=first)
    assert phone_confirm(user=rep, code=second) == "+447700900983"


def test_no_code_asked_for(client, rep):
    client.force_login(rep)
    response = client.post(reverse("me:phone_confirm"), {"code": "123456"})
    assert "Ask for a code first." in response.content.decode()


def test_choosing_texts_at_the_welcome_leads_to_confirming_the_number(client, texts_on):
    newcomer = person(roles=[Role.REPRESENTATIVE], onboarded_at=None)
    client.force_login(newcomer)
    response = client.post(
        reverse("me:welcome"),
        {"display_name": "Sam", "contact_method": "text", "phone": "07700 900 982"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:phone")


def test_choosing_texts_while_they_are_off_goes_home(client, settings):
    settings.TEXT_MESSAGES_ENABLED = False
    newcomer = person(roles=[Role.REPRESENTATIVE], onboarded_at=None)
    client.force_login(newcomer)
    response = client.post(
        reverse("me:welcome"),
        {"display_name": "Sam", "contact_method": "text", "phone": "07700 900 982"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:home")
