"""The profile and the onboarding: saving, and bad input kept with a message by the field."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ContactMethod, PaymentPreference
from accounts.permissions import Role
from accounts.tests.factories import ProfileFactory, UserFactory
from catalogue.models import ActivityType

pytestmark = pytest.mark.django_db


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "Robin",
        "pronouns": "they/them",
        "contact_method": ContactMethod.EMAIL,
        "phone": "",
        "contact_notes": "",
        "support_needs": "A seat near the door.",
        "what_helps_me": "A short break.",
        "payment_preference": PaymentPreference.CHARITY,
        "break_until_day": "",
        "break_until_month": "",
        "break_until_year": "",
        "pace_per_month": "",
        "digest_frequency": "weekly",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_saves_every_profile_field(client, representative):
    interview = ActivityType.objects.create(name="Interview panel")
    client.force_login(representative)
    future = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("me:profile"),
        profile_data(
            display_name="Rob",
            contact_method=ContactMethod.TEXT,
            phone="07700 900 982",
            interests=[interview.pk],
            taking_break="on",
            break_until_day=str(future.day),
            break_until_month=str(future.month),
            break_until_year=str(future.year),
            pace_per_month="2",
        ),
    )
    assert response.status_code == 302
    profile = representative.profile
    profile.refresh_from_db()
    assert profile.display_name == "Rob"
    assert profile.contact_method == ContactMethod.TEXT
    assert profile.phone == "07700 900 982"
    assert list(profile.interests.all()) == [interview]
    assert profile.payment_preference == PaymentPreference.CHARITY
    assert profile.taking_break and profile.break_until == future and profile.is_on_break()
    assert profile.pace_per_month == 2
    assert "Your profile has been saved." in client.get(reverse("me:profile")).content.decode()


def test_a_break_with_no_return_date_lasts_until_ended(client, representative):
    client.force_login(representative)
    client.post(reverse("me:profile"), profile_data(taking_break="on"))
    representative.profile.refresh_from_db()
    assert representative.profile.is_on_break(today=date(2040, 1, 1))
    page = client.get(reverse("me:home")).content.decode()
    assert "You are taking a break" in page


def test_ending_a_break_drops_its_return_date(client, representative):
    representative.profile.taking_break = True
    representative.profile.break_until = timezone.localdate() + timedelta(days=3)
    representative.profile.save()
    client.force_login(representative)
    client.post(reverse("me:profile"), profile_data())
    representative.profile.refresh_from_db()
    assert not representative.profile.taking_break
    assert representative.profile.break_until is None


@pytest.mark.parametrize(
    "overrides,field,message,kept",
    [
        ({"display_name": ""}, "display_name", "Enter what you would like us to call you", None),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number, like", "call me maybe"),
        (
            {"contact_method": ContactMethod.TEXT},
            "phone",
            "Enter a phone number so that we can call or text you",
            None,
        ),
        ({"pace_per_month": "0"}, "pace_per_month", "Enter a number of activities from 1 to 31", 'value="0"'),
        (
            {"pace_per_month": "40"},
            "pace_per_month",
            "Enter a number of activities from 1 to 31",
            'value="40"',
        ),
        ({"pace_per_month": "lots"}, "pace_per_month", "Enter a whole number of activities", 'value="lots"'),
        ({"contact_method": "carrier pigeon"}, "contact_method", "Select a valid choice", None),
        (
            {
                "taking_break": "on",
                "break_until_day": "1",
                "break_until_month": "1",
                "break_until_year": "2020",
            },
            "break_until",
            "The return date must be today or in the future",
            'value="2020"',
        ),
        (
            {
                "taking_break": "on",
                "break_until_day": "31",
                "break_until_month": "2",
                "break_until_year": "2030",
            },
            "break_until",
            "real date",
            'value="31"',
        ),
    ],
)
def test_it_explains_bad_input_by_the_field_and_keeps_it(
    client, representative, overrides, field, message, kept
):
    client.force_login(representative)
    response = client.post(
        reverse("me:profile"), profile_data(support_needs="Typed before the mistake", **overrides)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["form"].has_error(field)
    assert message in page
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert "Typed before the mistake" in page
    if kept:
        assert kept in page
    representative.profile.refresh_from_db()
    assert representative.profile.support_needs == "A seat near the door."


def test_a_new_representative_is_asked_to_onboard_first(client):
    user = UserFactory(roles=[Role.REPRESENTATIVE])
    ProfileFactory(user=user, onboarded_at=None, display_name="")
    client.force_login(user)
    response = client.get(reverse("me:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("me:welcome")
    # Pages for logging out and account settings stay open during onboarding.
    assert client.get(reverse("account_email")).status_code == 200


def test_onboarding_saves_and_then_lets_the_person_in(client):
    user = UserFactory(roles=[Role.REPRESENTATIVE])
    ProfileFactory(user=user, onboarded_at=None, display_name="")
    training = ActivityType.objects.create(name="Staff training")
    client.force_login(user)
    page = client.get(reverse("me:welcome")).content.decode()
    assert "why we ask" in page.lower() or "says why" in page
    response = client.post(
        reverse("me:welcome"),
        {
            "display_name": "Kit",
            "pronouns": "",
            "contact_method": "email",
            "phone": "",
            "interests": [training.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:home")
    user.profile.refresh_from_db()
    assert user.profile.onboarded_at is not None
    assert user.profile.display_name == "Kit"
    assert client.get(reverse("me:home")).status_code == 200


def test_onboarding_explains_bad_input(client):
    user = UserFactory(roles=[Role.REPRESENTATIVE])
    ProfileFactory(user=user, onboarded_at=None, display_name="")
    client.force_login(user)
    response = client.post(
        reverse("me:welcome"), {"display_name": "", "contact_method": "phone", "phone": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter what you would like us to call you" in page
    assert "Enter a phone number so that we can call or text you" in page
    user.profile.refresh_from_db()
    assert user.profile.onboarded_at is None


def test_staff_are_never_sent_to_onboarding(client, worker):
    worker.profile.onboarded_at = None
    worker.profile.save()
    client.force_login(worker)
    assert client.get(reverse("worker:home")).status_code == 200
