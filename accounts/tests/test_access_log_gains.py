"""The access log's new entries (issue 16, item 5): a protected page refused, an export, a
role changed, a log-in as staff. Each says who, what kind of record, whose and when, and
never what the record holds."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import AccessLogEntry, User
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

What = AccessLogEntry.What
PROTECTED_TEXT = ("A seat near the door", "A short break")


def assert_no_protected_text(entry: AccessLogEntry) -> None:
    written = " ".join([entry.path, entry.detail, str(entry)])
    for text in PROTECTED_TEXT:
        assert text not in written


def test_a_worker_refused_a_persons_page_is_written_down(client, representative, other_worker):
    client.force_login(other_worker)
    response = client.get(reverse("worker:person", args=[representative.pk]))
    assert response.status_code == 404
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (other_worker, representative, What.DENIED)
    assert entry.detail == "worker:person (404)"
    assert entry.path == reverse("worker:person", args=[representative.pk])
    assert_no_protected_text(entry)


def test_a_manager_refused_a_support_note_is_written_down(client, representative, manager):
    client.force_login(manager)
    response = client.get(reverse("worker:support_note", args=[representative.pk]))
    assert response.status_code in (403, 404)
    entry = AccessLogEntry.objects.get(what=What.DENIED)
    assert (entry.viewer, entry.subject) == (manager, representative)
    assert_no_protected_text(entry)


def test_a_refused_page_about_nobody_is_written_without_a_person(client, other_worker):
    client.force_login(other_worker)
    assert client.get(reverse("worker:person", args=[987654])).status_code == 404
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (other_worker, None, What.DENIED)


def test_a_read_allowed_or_a_missing_ordinary_page_is_not_a_refusal(client, representative, worker):
    client.force_login(worker)
    assert client.get(reverse("worker:person", args=[representative.pk])).status_code == 200
    assert client.get(reverse("opportunities:detail", args=[987654])).status_code == 404
    assert not AccessLogEntry.objects.filter(what=What.DENIED).exists()


def test_the_protected_pages_are_all_real_pages():
    from django.urls import NoReverseMatch

    from accounts.access_log import PROTECTED_READS

    for name in PROTECTED_READS:
        try:
            reverse(name)
        except NoReverseMatch as error:
            # Refused for want of arguments, not for want of a page of that name.
            assert "arguments" in str(error), name


def test_a_dashboard_export_is_written_down(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dashboard:export", args=["reach"]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what, entry.detail) == (
        manager,
        None,
        What.EXPORT,
        "Dashboard CSV: reach",
    )


def test_a_role_given_through_the_admin_is_written_down(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.worker@example.org",
            "first_name": "Nia",
            "last_name": "Jones",
            "roles": [Role.WORKER],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new.worker@example.org")
    entry = AccessLogEntry.objects.get(what=What.ROLE_CHANGE)
    assert (entry.viewer, entry.subject, entry.detail) == (administrator, user, f"{Role.WORKER} added")


def test_a_role_taken_away_from_the_roles_side_is_written_down(client, administrator, worker):
    # The same signal, from the other side (a role's people), inside a request: the
    # administrator's own home page stands in for any page that changes roles.
    from accounts.access_log import _current_request

    client.force_login(administrator)
    request = client.get(reverse("home")).wsgi_request
    token = _current_request.set(request)
    try:
        Group.objects.get(name=Role.WORKER).user_set.remove(worker)
    finally:
        _current_request.reset(token)
    entry = AccessLogEntry.objects.get(what=What.ROLE_CHANGE)
    assert (entry.viewer, entry.subject, entry.detail) == (administrator, worker, f"{Role.WORKER} removed")


def test_a_role_given_outside_any_request_is_not_written(worker):
    # Management commands and the shell are outside the service (docs/adr/0018).
    worker.groups.add(Group.objects.get(name=Role.MANAGER))
    assert not AccessLogEntry.objects.exists()


def test_staff_logging_in_is_written_down_and_representatives_are_not(client, worker, representative):
    response = client.post(reverse("account_login"), {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (worker, worker, What.STAFF_LOGIN)
    client.logout()
    client.post(reverse("account_login"), {"login": representative.email, "password": PASSWORD})
    assert AccessLogEntry.objects.count() == 1


def test_the_log_still_refuses_changes(worker):
    from django.db import DatabaseError, transaction

    entry = AccessLogEntry.objects.create(viewer=worker, what=What.STAFF_LOGIN, detail="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="changed")
