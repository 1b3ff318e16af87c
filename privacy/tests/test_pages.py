"""The data-rights pages (issue 16): a copy asked for, built, announced and downloaded only by
the person after logging in again; erasure asked for, refused without the tick, reviewed and
confirmed by an administrator; a request made by phone recorded by the named worker."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD
from notifications.models import Message
from privacy.models import DataRequest
from privacy.tests.people import MARKER, everything

pytestmark = pytest.mark.django_db


def reauthenticate(client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_copy_is_built_announced_and_downloaded_by_the_person_alone(
    client, worker, outsider, django_capture_on_commit_callbacks
):
    w = everything(worker=worker)
    client.force_login(w.rep)
    assert "Ask for a copy of your data" in client.get(reverse("privacy:my_data")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:my_export"))
    assert response.status_code == 302
    export = DataRequest.objects.get(person=w.rep, kind=DataRequest.Kind.EXPORT)
    assert export.status == DataRequest.Status.READY
    assert export.expires_at - export.completed_at == timedelta(days=7)
    url = reverse("privacy:export_download", args=[export.pk])
    message = Message.objects.get(recipient=w.rep, kind="data_export_ready")
    assert url in message.body_text and MARKER not in message.body_text

    # Not without the password again; then the zip.
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    response = client.get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert {"your-data.html", "your-data.json"} <= set(names)
    assert any(name.startswith("receipts/") for name in names)
    data = json.loads(archive.read("your-data.json"))
    assert data["person_id"] == w.rep.pk
    text = json.dumps(data)
    for wanted in ("Finished panel", f"Tea {MARKER}", f"Called {MARKER}", "Safeguarding basics", "4.50"):
        assert wanted in text
    assert "Your check-ins" in archive.read("your-data.html").decode()

    # Someone else's copy is not found, even to its owner's worker.
    client.force_login(outsider)
    assert client.get(url).status_code == 404

    # Once the link has run out, the person is told so.
    DataRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(w.rep)
    reauthenticate(client)
    response = client.get(url, follow=True)
    assert "That link has run out" in response.content.decode()


def test_erasure_needs_the_tick_then_waits_for_an_administrator(client, representative, administrator):
    client.force_login(representative)
    response = client.post(reverse("privacy:my_erasure"), {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tick the box to show you understand" in page and 'aria-describedby="id_understood-error"' in page
    assert not DataRequest.objects.exists()

    response = client.post(reverse("privacy:my_erasure"), {"understood": "on"}, follow=True)
    assert "An administrator will review it" in response.content.decode()
    request = DataRequest.objects.get(person=representative, kind=DataRequest.Kind.ERASURE)
    assert "An administrator will review it soon" in client.get(reverse("privacy:my_data")).content.decode()

    client.force_login(administrator)
    reauthenticate(client)
    review = reverse("privacy:request_review", args=[request.pk])
    assert review in client.get(reverse("privacy:requests")).content.decode()
    response = client.post(review, {})
    assert response.status_code == 200
    assert "Choose whether to erase their data or decline" in response.content.decode()
    response = client.post(review, {"decision": "confirm"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE
    assert not User.objects.get(pk=representative.pk).is_active


def test_the_review_asks_for_the_password_again(client, representative, administrator):
    request = DataRequest.objects.create(person=representative, requested_by=representative, kind="erasure")
    client.force_login(administrator)
    response = client.post(reverse("privacy:request_review", args=[request.pk]), {"decision": "confirm"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    request.refresh_from_db()
    assert request.status == DataRequest.Status.PENDING


def test_a_worker_records_a_request_made_by_phone(
    client, worker, representative, django_capture_on_commit_callbacks
):
    client.force_login(worker)
    url = reverse("privacy:person_request", args=[representative.pk])
    response = client.post(url, {"kind": "erasure"})
    assert response.status_code == 200
    assert "Choose how they asked" in response.content.decode()
    assert (
        'value="erasure" id="id_kind_1" required class="nhsuk-radios__input" checked'
        in response.content.decode()
    )
    response = client.post(url, {"kind": "erasure", "channel": "online"})
    assert "Select a valid choice" in response.content.decode()
    assert client.post(url, {"kind": "erasure", "channel": "phone"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "export", "channel": "letter"})
    requests = DataRequest.objects.filter(person=representative, requested_by=worker)
    assert {(r.kind, r.channel, r.status) for r in requests} == {
        ("erasure", "phone", "pending"),
        ("export", "letter", "ready"),
    }


def test_the_requests_list_reads_a_fixed_number_of_rows(
    client, administrator, representative, outsider, worker, django_assert_max_num_queries
):
    for person in (representative, outsider, worker):
        DataRequest.objects.create(person=person, requested_by=person, kind="erasure")
        DataRequest.objects.create(person=person, requested_by=person, kind="export", status="ready")
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("privacy:requests"))
    assert response.status_code == 200
