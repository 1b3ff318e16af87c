"""Staff are created by an administrator and invited by e-mail; roles decide what they see."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from accounts.permissions import Role, role_names
from accounts.services import user_set_roles

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_invites_a_worker_who_sets_a_password(client, administrator):
    # Transactional test: the invitation leaves the outbox when the admin's request commits.
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Worker@Example.org",
            "first_name": "Nia",
            "last_name": "Jones",
            "roles": [Role.WORKER, Role.MANAGER],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.worker@example.org")
    assert role_names(user) == {Role.WORKER, Role.MANAGER}
    assert not user.is_staff  # not an administrator, so no admin
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.worker@example.org"]
    link = re.search(r"http://localhost:8000(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    client.post(form_url, {"password1": "a-worker-password-31", "password2": "a-worker-password-31"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-worker-password-31"}
    )
    assert response["Location"] == "/worker/"


def test_the_invite_form_explains_bad_input(client, administrator, worker):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"email": worker.email, "first_name": "Dup", "last_name": "", "roles": [Role.REPRESENTATIVE]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Somebody already has an account with this e-mail address." in page
    assert "Choose at least one staff role." in page
    assert User.objects.filter(email=worker.email).count() == 1


def test_an_administrator_changes_roles_and_admin_entry_follows(client, administrator, worker):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[worker.pk]),
        {
            "email": worker.email,
            "first_name": "W",
            "last_name": "K",
            "is_active": "on",
            "roles": [Role.WORKER, Role.ADMINISTRATOR],
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": worker.profile.pk,
            "profile-0-user": worker.pk,
            "profile-0-display_name": "Wendy Worker",
            "profile-0-contact_method": "email",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    worker.refresh_from_db()
    assert role_names(User.objects.get(pk=worker.pk)) == {Role.WORKER, Role.ADMINISTRATOR}
    assert worker.is_staff


def test_removing_the_administrator_role_closes_the_admin(administrator):
    user_set_roles(user=administrator, roles=[Role.MANAGER])
    administrator.refresh_from_db()
    assert not administrator.is_staff


@override_settings(STAFF_MFA_REQUIRED=True)
@pytest.mark.parametrize("role", ["worker", "manager", "administrator"])
def test_staff_must_set_up_two_factor_when_required(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get("/home/", follow=True)
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert "Staff accounts need two-factor authentication" in response.content.decode()


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_with_two_factor_get_in_when_required(client, worker):
    Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(worker)
    assert client.get("/worker/").status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_representatives_are_not_made_to_set_up_two_factor(client, representative):
    client.force_login(representative)
    assert client.get("/me/").status_code == 200


def test_two_factor_is_offered_to_everyone(client, representative):
    client.force_login(representative)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Authenticator app" in page
    assert reverse("mfa_activate_totp") in page
