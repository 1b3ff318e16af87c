"""Assisted digital (issue 13, item 4): a worker registers a person who has no e-mail
address, recording the privacy notice read to them, their consent and who registered them."""

import pytest
from django.conf import settings

from accounts.assisted import REGISTERED_REASON, person_register_assisted
from accounts.models import ContactMethod, NamedWorkerChange, User
from accounts.permissions import Role, is_representative
from accounts.services import AccountsError
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


def register(by, **fields):
    values = {
        "first_name": "Pat",
        "last_name": "Phone",
        "phone": "01632 960001",
        "postal_address": "",
        "privacy_notice_read": True,
        "consent": True,
    }
    values.update(fields)
    return person_register_assisted(by=by, **values)


def test_it_registers_a_person_without_an_email_address(worker):
    pat = register(worker, display_name="Pat")
    pat.refresh_from_db()
    assert pat.email is None
    assert not pat.has_usable_password()
    assert is_representative(pat)
    profile = pat.profile
    assert profile.registered_by == worker
    assert profile.named_worker == worker
    assert profile.privacy_consent_version == settings.PRIVACY_NOTICE_VERSION
    assert profile.privacy_consent_at is not None
    assert profile.contact_method == ContactMethod.PHONE
    assert profile.phone == "01632 960001"
    assert profile.onboarded_at is not None
    change = NamedWorkerChange.objects.get(person=pat)
    assert (change.new_worker, change.by, change.reason) == (worker, worker, REGISTERED_REASON)
    assert str(pat) == "Pat Phone"


def test_two_people_without_email_addresses_can_both_exist(worker):
    register(worker, phone="01632 960001")
    register(worker, phone="", postal_address="1 High Street, Leeds")
    assert User.objects.filter(email__isnull=True).count() == 2


def test_it_registers_a_person_by_post_alone(worker):
    pat = register(worker, phone="", postal_address="  1 High Street\nLeeds LS1 1AA ")
    assert pat.profile.postal_address == "1 High Street\nLeeds LS1 1AA"
    assert pat.profile.phone == ""


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"phone": "", "postal_address": "  "}, "phone", "phone number or a postal address"),
        ({"consent": False}, "consent", "need to agree"),
        ({"privacy_notice_read": False}, "privacy_notice_read", "privacy notice"),
        ({"first_name": " "}, "first_name", "first name"),
        ({"last_name": ""}, "last_name", "last name"),
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"phone": "12"}, "phone", "Enter a phone number"),
        ({"postal_address": "x" * 301}, "postal_address", "300 characters"),
        ({"contact_notes": "x" * 201}, "contact_notes", "200 characters"),
    ],
)
def test_it_refuses_bad_input(worker, fields, field, words):
    with pytest.raises(AccountsError) as refused:
        register(worker, **fields)
    assert refused.value.field == field
    assert words in str(refused.value)
    assert not User.objects.filter(email__isnull=True).exists()


def test_a_phone_number_somebody_already_gave_is_refused_however_it_is_typed(worker):
    person(roles=[Role.REPRESENTATIVE], phone="+44 1632 960001")
    with pytest.raises(AccountsError) as refused:
        register(worker, phone="01632960001")
    assert refused.value.field == "phone"
    assert "Search for them" in str(refused.value)


@pytest.mark.parametrize("role", [Role.REPRESENTATIVE, Role.MANAGER, Role.ADMINISTRATOR, Role.FINANCE])
def test_only_a_worker_may_register_a_person(role):
    with pytest.raises(AccountsError):
        register(person(roles=[role]))
    assert not User.objects.filter(email__isnull=True).exists()


def test_the_admin_still_needs_an_address_to_invite_staff(administrator, client):
    from django.urls import reverse

    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": "", "first_name": "Sam", "last_name": "Staff", "roles": [Role.WORKER]},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not User.objects.filter(first_name="Sam").exists()


def test_the_admin_lists_and_opens_a_person_without_an_address(administrator, worker, client):
    from django.urls import reverse

    pat = register(worker)
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[pat.pk])).status_code == 200


def test_nobody_logs_in_as_a_person_without_an_address(worker, client):
    from django.urls import reverse

    register(worker)
    response = client.post(reverse("account_login"), {"login": "", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_cleaning_a_person_without_an_address_keeps_it_empty_not_blank(worker):
    # Django's clean() would make it "", and a second person saved so would break the
    # unique index (the admin's change form cleans the person it saves).
    first = register(worker, phone="01632 960001")
    second = register(worker, phone="01632 960002")
    for someone in (first, second):
        someone.full_clean()
        someone.save()
        someone.refresh_from_db()
        assert someone.email is None
