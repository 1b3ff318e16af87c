"""Support notes are special-category data: who may read them, and the access log."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from accounts.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_it_shows_the_note_to_the_named_worker_and_logs_the_reading(client, worker, representative):
    client.force_login(worker)
    response = client.get(reverse("worker:support_note", args=[representative.pk]))
    assert response.status_code == 200
    assert "A seat near the door." in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (
        worker,
        representative,
        AccessLogEntry.What.SUPPORT_NOTE,
    )
    assert entry.path == reverse("worker:support_note", args=[representative.pk])


def test_it_logs_every_reading_not_just_the_first(client, worker, representative):
    client.force_login(worker)
    for _ in range(3):
        client.get(reverse("worker:support_note", args=[representative.pk]))
    assert AccessLogEntry.objects.filter(viewer=worker, subject=representative).count() == 3


def test_a_manager_cannot_read_a_support_note(client, manager, representative):
    client.force_login(manager)
    response = client.get(reverse("worker:support_note", args=[representative.pk]))
    assert response.status_code == 403
    assert "A seat near the door." not in response.content.decode()
    # Nothing was read; the refusal itself is written down (issue 16), without the note.
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (manager, representative, AccessLogEntry.What.DENIED)


def test_a_manager_never_gets_the_support_note_permission(manager, representative):
    assert not manager.has_perm("accounts.view_support_note", representative)


def test_an_administrator_never_gets_the_support_note_permission(administrator, representative):
    # Administrators are not superusers precisely so that this stays false.
    assert not administrator.is_superuser
    assert not administrator.has_perm("accounts.view_support_note", representative)


def test_the_admin_does_not_show_support_notes(client, administrator, representative):
    client.force_login(administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[representative.pk])).content.decode()
    assert "A seat near the door." not in page
    assert "A short break." not in page


def test_a_person_reads_their_own_note_without_a_log_entry(client, representative):
    client.force_login(representative)
    page = client.get(reverse("me:profile")).content.decode()
    assert "A seat near the door." in page
    assert not AccessLogEntry.objects.exists()


def test_the_database_refuses_to_change_or_delete_the_access_log(worker, representative):
    entry = AccessLogEntry.objects.create(viewer=worker, subject=representative, what="support_note")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(path="/tampered/")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).path == ""


def test_the_access_log_is_read_only_in_the_admin(client, administrator, worker, representative):
    entry = AccessLogEntry.objects.create(viewer=worker, subject=representative, what="support_note")
    client.force_login(administrator)
    listing = client.get(reverse("admin:accounts_accesslogentry_changelist"))
    assert listing.status_code == 200
    assert str(representative) in listing.content.decode()
    assert client.get(reverse("admin:accounts_accesslogentry_add")).status_code == 403
    response = client.post(reverse("admin:accounts_accesslogentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
