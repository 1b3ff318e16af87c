"""Administrators never change another person's log-in in the admin: not their e-mail
addresses, password or two-factor authenticators. The one exception is the audited reset
of a person's two-factor authentication, after logging in again."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import messaging
from accounts.models import AccessLogEntry, User
from accounts.permissions import Role
from accounts.services import AccountsError, two_factor_reset
from accounts.tests.factories import PASSWORD, person

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPTOTPSECRET"
RECOVERY_SEED = "RECOVERYSEED0123456789"


@pytest.fixture
def with_two_factor(worker):
    Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    Authenticator.objects.create(
        user=worker, type=Authenticator.Type.RECOVERY_CODES, data={"seed": RECOVERY_SEED, "used_mask": 0}
    )
    return worker


def reset_url(user) -> str:
    return reverse("admin:accounts_user_two_factor_reset", args=[user.pk])


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def admin_client(client, administrator):
    """An administrator who has just given their password again."""
    client.force_login(administrator)
    reauthenticate(client)
    return client


# The admin shows no secrets and changes nothing about anyone's log-in


def test_the_admin_never_shows_two_factor_secrets(client, administrator, with_two_factor):
    client.force_login(administrator)
    totp = Authenticator.objects.get(user=with_two_factor, type=Authenticator.Type.TOTP)
    pages = [
        client.get(reverse("admin:mfa_authenticator_changelist")),
        client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])),
        client.get(reverse("admin:accounts_user_change", args=[with_two_factor.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert TOTP_SECRET not in page and RECOVERY_SEED not in page
    assert reset_url(with_two_factor) in pages[1].content.decode()
    assert reset_url(with_two_factor) in pages[2].content.decode()


def test_the_admin_refuses_to_filter_on_two_factor_secrets(client, administrator, with_two_factor):
    client.force_login(administrator)
    url = reverse("admin:mfa_authenticator_changelist") + "?data__secret__startswith=J"
    assert client.get(url).status_code == 400
    url = reverse("admin:accounts_user_changelist") + "?password__startswith=pbkdf2"
    assert client.get(url).status_code == 400
    # The filters the lists offer still work.
    assert client.get(reverse("admin:mfa_authenticator_changelist") + "?type__exact=totp").status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist") + "?is_active__exact=1").status_code == 200


def test_two_factor_authenticators_cannot_be_added_changed_or_deleted_in_the_admin(
    client, administrator, with_two_factor
):
    client.force_login(administrator)
    totp = Authenticator.objects.get(user=with_two_factor, type=Authenticator.Type.TOTP)
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403
    response = client.post(
        reverse("admin:mfa_authenticator_change", args=[totp.pk]),
        {"user": with_two_factor.pk, "type": "totp", "data": '{"secret": "MINE"}'},
    )
    assert response.status_code == 403
    delete = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:mfa_authenticator_changelist"),
        {"action": "delete_selected", "_selected_action": [totp.pk], "post": "yes"},
    )
    totp.refresh_from_db()
    assert totp.data == {"secret": TOTP_SECRET}


def test_e_mail_addresses_cannot_be_added_changed_or_deleted_in_the_admin(client, administrator, worker):
    client.force_login(administrator)
    address = EmailAddress.objects.get(user=worker)
    assert client.get(reverse("admin:account_emailaddress_changelist")).status_code == 200
    assert client.get(reverse("admin:account_emailaddress_add")).status_code == 403
    response = client.post(
        reverse("admin:account_emailaddress_change", args=[address.pk]),
        {"user": worker.pk, "email": "taken@example.org", "verified": "on", "primary": "on"},
    )
    assert response.status_code == 403
    delete = reverse("admin:account_emailaddress_delete", args=[address.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    address.refresh_from_db()
    assert address.email == worker.email


def test_an_administrator_cannot_change_a_persons_e_mail_or_password(client, administrator, worker):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_change", args=[worker.pk]),
        {
            "email": "administrator.owns.this@example.org",
            "first_name": "W",
            "last_name": "K",
            "is_active": "on",
            "roles": [Role.WORKER],
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
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.email != "administrator.owns.this@example.org"
    assert worker.first_name == "W"  # the rest of the form still saves
    password_url = reverse("admin:auth_user_password_change", args=[worker.pk])
    assert client.get(password_url).status_code == 403
    response = client.post(password_url, {"password1": "mine-now-1234", "password2": "mine-now-1234"})
    assert response.status_code == 403
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_the_administrator_role_may_only_view_addresses_and_authenticators():
    codenames = set(Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert {"view_emailaddress", "view_authenticator", "view_accesslogentry"} <= codenames
    for model in ("emailaddress", "authenticator", "accesslogentry"):
        assert not codenames & {f"add_{model}", f"change_{model}", f"delete_{model}"}


def test_the_admin_lists_authenticators_in_a_fixed_number_of_queries(
    client, administrator, django_assert_max_num_queries
):
    for _ in range(20):
        someone = person(roles=[Role.WORKER])
        Authenticator.objects.create(user=someone, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:mfa_authenticator_changelist"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:account_emailaddress_changelist")).status_code == 200


# The audited reset: who may reach it


def test_anonymous_visitors_are_sent_to_log_in(client, with_two_factor):
    response = client.get(reset_url(with_two_factor))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reset_url(with_two_factor), {"confirm": "on"}).status_code == 302
    assert Authenticator.objects.filter(user=with_two_factor).count() == 2


@pytest.mark.parametrize("role", ["representative", "manager", "other_worker"])
def test_other_roles_cannot_reset_two_factor(client, request, role, with_two_factor):
    client.force_login(request.getfixturevalue(role))
    reauthenticate(client)
    for response in (
        client.get(reset_url(with_two_factor), follow=True),
        client.post(reset_url(with_two_factor), {"confirm": "on"}, follow=True),
    ):
        assert response.status_code == 403
    assert Authenticator.objects.filter(user=with_two_factor).count() == 2
    assert not AccessLogEntry.objects.exists()


def test_an_administrator_is_asked_to_log_in_again_first(client, administrator, with_two_factor):
    client.force_login(administrator)
    response = client.get(reset_url(with_two_factor))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    # The wrong password does not get them in.
    response = client.post(reverse("account_reauthenticate"), {"password": "not-my-password"})
    assert response.status_code == 200
    assert client.get(reset_url(with_two_factor)).status_code == 302

    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reset_url(with_two_factor), {"password": PASSWORD}
    )
    assert response["Location"] == reset_url(with_two_factor)
    page = client.get(reset_url(with_two_factor))
    assert page.status_code == 200
    assert "Authenticator app" in page.content.decode()
    assert TOTP_SECRET not in page.content.decode()


def test_a_confirmed_reset_waits_for_the_administrator_to_log_in_again(
    client, administrator, with_two_factor
):
    client.force_login(administrator)
    response = client.post(reset_url(with_two_factor), {"confirm": "on"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert Authenticator.objects.filter(user=with_two_factor).count() == 2
    assert not AccessLogEntry.objects.exists()
    # allauth then carries out the request it held back.
    client.post(
        reverse("account_reauthenticate") + "?next=" + reset_url(with_two_factor), {"password": PASSWORD}
    )
    assert not Authenticator.objects.filter(user=with_two_factor).exists()
    assert AccessLogEntry.objects.get().viewer == administrator


def test_a_person_who_does_not_exist_is_not_found(admin_client):
    assert admin_client.get(reverse("admin:accounts_user_two_factor_reset", args=[987654])).status_code == 404
    assert admin_client.get("/admin/accounts/user/not-a-number/two-factor/reset/").status_code == 404
    assert admin_client.get("/admin/accounts/user/1%00/two-factor/reset/").status_code in (400, 404)


def test_an_administrator_cannot_reset_their_own_here(admin_client, administrator):
    Authenticator.objects.create(user=administrator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert admin_client.post(reset_url(administrator), {"confirm": "on"}).status_code == 403
    assert Authenticator.objects.filter(user=administrator).exists()


# The audited reset: what it does


def test_an_administrator_resets_a_persons_two_factor(
    admin_client, administrator, with_two_factor, messages_asked
):
    response = admin_client.post(reset_url(with_two_factor), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[with_two_factor.pk])
    assert not Authenticator.objects.filter(user=with_two_factor).exists()

    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (
        administrator,
        with_two_factor,
        AccessLogEntry.What.TWO_FACTOR_RESET,
    )
    assert entry.path == reset_url(with_two_factor)
    history = LogEntry.objects.get(object_id=str(with_two_factor.pk))
    assert (history.user, history.change_message) == (administrator, "Reset their two-factor authentication.")

    # The person is told (what the message says: notifications/tests/test_account_kinds.py).
    [message] = messages_asked
    assert (message.recipient, message.kind) == (with_two_factor, messaging.TWO_FACTOR_RESET)
    assert message.context["by_name"] == administrator.get_full_name()

    page = admin_client.get(response["Location"]).content.decode()
    assert "two-factor authentication has been reset" in page
    assert "Not set up." in page


def test_a_reset_without_confirming_changes_nothing_and_says_why(
    admin_client, with_two_factor, messages_asked
):
    response = admin_client.post(reset_url(with_two_factor), {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirm that you have checked who this person is and that they asked for this" in page
    assert "<title>Error:" in page
    assert Authenticator.objects.filter(user=with_two_factor).count() == 2
    assert not AccessLogEntry.objects.exists()
    assert messages_asked == []


def test_a_person_with_nothing_to_reset_is_told_so(admin_client, worker, messages_asked):
    response = admin_client.post(reset_url(worker), {"confirm": "on"})
    assert response.status_code == 200
    assert "has no two-factor authentication to reset" in response.content.decode()
    assert not AccessLogEntry.objects.exists()
    assert messages_asked == []


def test_the_service_resets_once_and_only_for_an_administrator(
    administrator, manager, with_two_factor, messages_asked
):
    with pytest.raises(AccountsError):
        two_factor_reset(person=with_two_factor, by=manager)
    assert two_factor_reset(person=with_two_factor, by=administrator) == 2
    with pytest.raises(AccountsError, match="no two-factor authentication"):
        two_factor_reset(person=with_two_factor, by=administrator)
    assert AccessLogEntry.objects.count() == 1
    assert [message.kind for message in messages_asked] == [messaging.TWO_FACTOR_RESET]
    with pytest.raises(AccountsError):
        two_factor_reset(person=administrator, by=administrator)


def test_the_reset_is_append_only_evidence(administrator, with_two_factor):
    from django.db import DatabaseError, transaction

    two_factor_reset(person=with_two_factor, by=administrator)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    assert User.objects.get(pk=with_two_factor.pk)
