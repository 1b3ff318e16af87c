"""The people list searches one column the database keeps (accounts migration 0014): it must
follow every change to a person's names, e-mail and phone numbers, however they were saved,
and hold nothing once they are gone."""

import pytest

from accounts.models import Profile, User
from accounts.permissions import Role
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


def search_text(someone: User) -> str:
    return Profile.objects.values_list("search_text", flat=True).get(user=someone)


def test_it_holds_the_names_e_mail_and_phone_numbers_in_lower_case():
    someone = person(roles=[Role.REPRESENTATIVE], display_name="Priya")
    User.objects.filter(pk=someone.pk).update(
        first_name="Priya", last_name="Patel", email="Priya.Patel@Example.org"
    )
    someone.profile.phone = "(01632) 960 000"
    someone.profile.mobile_number = "+447700900777"
    someone.profile.save()
    words = search_text(someone).split()
    assert {"priya", "patel", "priya.patel@example.org", "(01632)", "960", "000"} <= set(words)
    # Bare national digits, however the number was written: what a typed number is matched to.
    assert "1632960000" in words
    assert "7700900777" in words


def test_a_changed_e_mail_or_name_replaces_the_old_one_even_by_a_bulk_update():
    someone = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    someone.email = "old@example.org"
    someone.save()
    assert "old@example.org" in search_text(someone)
    User.objects.filter(pk=someone.pk).update(email="new@example.org", last_name="Okafor")
    assert "new@example.org" in search_text(someone)
    assert "okafor" in search_text(someone)
    assert "old@example.org" not in search_text(someone)


def test_a_changed_display_name_or_phone_replaces_the_old_one():
    someone = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    someone.profile.phone = "07700 900123"
    someone.profile.save()
    Profile.objects.filter(user=someone).update(display_name="Bobbie", phone="")
    text = search_text(someone)
    assert "bobbie" in text
    assert "robin" not in text
    assert "900123" not in text


def test_it_cannot_be_written_by_hand():
    someone = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    Profile.objects.filter(user=someone).update(search_text="somebody else")
    assert search_text(someone).startswith("robin")


def test_a_person_with_no_e_mail_and_no_names_has_an_empty_column_not_null():
    someone = person(roles=[Role.REPRESENTATIVE], display_name="")
    User.objects.filter(pk=someone.pk).update(email=None, first_name="", last_name="")
    assert search_text(someone) == ""
