"""References: asked of the named worker, listed on their home with its age, written and
sent in the app, the person told through the outbox, read only by the two of them."""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Message
from records.models import ReferenceRequest
from records.services import (
    RecordError,
    ReferenceAsk,
    reference_finish,
    reference_request_create,
    reference_save,
)

pytestmark = pytest.mark.django_db

ASK = ReferenceAsk(purpose="job", role_title="Peer support worker", organisation="Leeds Mind")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask_form(**extra):
    return {
        "purpose": "course",
        "role_title": "Access to nursing",
        "organisation": "Leeds City College",
        "deadline_day": "",
        "deadline_month": "",
        "deadline_year": "",
        "note": "They asked about teamwork.",
        **extra,
    }


def test_the_person_asks_their_named_worker_who_is_told(representative, worker):
    response = logged_in(representative).post(reverse("me:reference_new"), ask_form())
    assert response.status_code == 302
    reference = ReferenceRequest.objects.get()
    assert (reference.worker, reference.state, reference.purpose) == (worker, "requested", "course")
    message = Message.objects.get(kind="reference_requested")
    assert message.recipient == worker and "Robin" in message.subject
    assert "teamwork" not in message.body_text  # the note stays behind the log-in


def test_it_refuses_when_there_is_no_named_worker(outsider):
    response = logged_in(outsider).post(reverse("me:reference_new"), ask_form())
    assert response.status_code == 200
    assert "named involvement worker" in str(response.context["form"].non_field_errors())
    assert "Leeds City College" in response.content.decode()
    assert not ReferenceRequest.objects.exists()


def test_bad_input_is_shown_beside_each_field_and_kept(representative):
    past = timezone.localdate() - timedelta(days=1)
    response = logged_in(representative).post(
        reverse("me:reference_new"),
        ask_form(
            purpose="",
            role_title="",
            deadline_day=str(past.day),
            deadline_month=str(past.month),
            deadline_year=str(past.year),
        ),
    )
    errors = response.context["form"].errors
    assert errors["purpose"] == ["Choose what the reference is for"]
    assert errors["role_title"] == ["Enter the job, course or role"]
    assert "Error: " in response.content.decode() and "Leeds City College" in response.content.decode()
    response = logged_in(representative).post(
        reverse("me:reference_new"),
        ask_form(deadline_day=str(past.day), deadline_month=str(past.month), deadline_year=str(past.year)),
    )
    assert response.context["form"].errors["deadline"] == [
        "The date you need it by must be today or in the future"
    ]
    response = logged_in(representative).post(
        reverse("me:reference_new"), ask_form(deadline_day="31", deadline_month="2", deadline_year="2030")
    )
    assert response.context["form"].errors["deadline"] == ["Enter a real date"]
    assert not ReferenceRequest.objects.exists()


def test_the_worker_sees_it_on_their_home_with_its_age(representative, worker, other_worker):
    reference = reference_request_create(person=representative, ask=ASK)
    ReferenceRequest.objects.filter(pk=reference.pk).update(requested_at=timezone.now() - timedelta(days=3))
    link = reverse("worker:reference", args=[reference.pk])
    page = logged_in(worker).get(reverse("worker:home")).content.decode()
    assert "References to write" in page and link in page and "3\xa0days ago" in page
    assert link not in logged_in(other_worker).get(reverse("worker:home")).content.decode()
    listing = logged_in(worker).get(reverse("worker:references")).content.decode()
    assert reverse("worker:reference", args=[reference.pk]) in listing


def test_the_worker_drafts_then_sends_and_the_person_is_told_once(representative, worker):
    reference = reference_request_create(person=representative, ask=ASK)
    writer = logged_in(worker)
    url = reverse("worker:reference", args=[reference.pk])
    assert writer.post(url, {"body": "Robin is thoughtful.", "draft": "1"}).status_code == 302
    assert not Message.objects.filter(kind="reference_ready").exists()
    # The person cannot read a draft.
    assert (
        "thoughtful"
        not in logged_in(representative).get(reverse("me:reference", args=[reference.pk])).content.decode()
    )
    assert logged_in(representative).get(reverse("me:reference_pdf", args=[reference.pk])).status_code == 404
    assert writer.post(url, {"body": "Robin is thoughtful and reliable.", "finish": "1"}).status_code == 302
    reference.refresh_from_db()
    assert reference.state == "done" and reference.written_at is not None
    message = Message.objects.get(kind="reference_ready")
    assert message.recipient == representative and "Wendy Worker" in message.subject
    with pytest.raises(RecordError, match="already been sent"):
        reference_finish(reference=reference, by=worker, body="Changed")
    assert Message.objects.filter(kind="reference_ready").count() == 1
    # Once sent it shows on the worker's page read-only, and leaves their home.
    assert "Send the reference" not in writer.get(url).content.decode()
    assert url not in writer.get(reverse("worker:home")).content.decode()


def test_sending_an_empty_reference_says_so_beside_the_field(representative, worker):
    reference = reference_request_create(person=representative, ask=ASK)
    response = logged_in(worker).post(
        reverse("worker:reference", args=[reference.pk]), {"body": "  ", "finish": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"body": ["Write the reference before you send it"]}
    too_long = "y" * 5001
    response = logged_in(worker).post(
        reverse("worker:reference", args=[reference.pk]), {"body": too_long, "finish": "1"}
    )
    assert "body" in response.context["form"].errors and too_long in response.content.decode()
    reference.refresh_from_db()
    assert reference.state == "requested"


def test_only_the_person_and_the_worker_asked_may_read_it(
    representative, worker, other_worker, outsider, manager
):
    reference = reference_finish(
        reference=reference_request_create(person=representative, ask=ASK), by=worker, body="Kind words."
    )
    assert logged_in(other_worker).get(reverse("worker:reference", args=[reference.pk])).status_code == 404
    assert logged_in(manager).get(reverse("worker:reference", args=[reference.pk])).status_code == 403
    assert logged_in(outsider).get(reverse("me:reference", args=[reference.pk])).status_code == 404
    assert logged_in(outsider).get(reverse("me:reference_pdf", args=[reference.pk])).status_code == 404
    with pytest.raises(RecordError):
        reference_save(reference=reference, by=other_worker, body="Not mine")
    assert (
        "Kind words."
        in logged_in(worker).get(reverse("worker:reference", args=[reference.pk])).content.decode()
    )


def test_the_person_downloads_the_reference_as_a_pdf(representative, worker):
    reference = reference_finish(
        reference=reference_request_create(person=representative, ask=ASK),
        by=worker,
        body="Robin chaired our panel well.",
    )
    response = logged_in(representative).get(reverse("me:reference_pdf", args=[reference.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    )
    for shown in (
        "Reference",
        "Peer support worker",
        "Leeds Mind",
        "Robin chaired our panel well.",
        "Wendy Worker",
    ):
        assert shown in text, shown
    assert "seat near the door" not in text


def test_it_stays_with_the_worker_asked_when_the_named_worker_changes(representative, worker, other_worker):
    reference = reference_request_create(person=representative, ask=ASK)
    representative.profile.named_worker = other_worker
    representative.profile.save()
    assert logged_in(worker).get(reverse("worker:reference", args=[reference.pk])).status_code == 200
    assert logged_in(other_worker).get(reverse("worker:reference", args=[reference.pk])).status_code == 404


def test_the_worker_home_lists_references_in_the_same_queries_however_many(
    worker, django_assert_max_num_queries
):
    from accounts.permissions import Role
    from accounts.tests.factories import person

    for number in range(12):
        someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Asker {number}", named_worker=worker)
        reference_request_create(person=someone, ask=ASK)
        reference_request_create(person=someone, ask=ASK)  # a second: the oldest is linked
    client = logged_in(worker)
    client.get(reverse("worker:home"))
    # The home's limit before references (issue 14), plus the charter's open questions (issue 15).
    with django_assert_max_num_queries(16):
        response = client.get(reverse("worker:home"))
    assert len(response.context["reference_requests"]) == 12
    assert [p.profile.display_name for p in response.context["reference_requests"]] == [
        f"Asker {n}" for n in range(12)
    ]


@pytest.mark.parametrize("count", [2, 25])
def test_the_lists_of_references_and_certificates_run_a_fixed_number_of_queries(
    representative, worker, count, django_assert_max_num_queries
):
    from records.services import CertificateChoice, certificate_issue
    from records.tests.factories import ago, took_part

    signup = took_part(representative, lead=worker, sessions=[(*ago(3), True)])
    for number in range(count):
        reference = reference_request_create(person=representative, ask=ASK)
        if number % 2:
            reference_finish(reference=reference, by=worker, body="Good.")
        certificate_issue(
            person=representative, choice=CertificateChoice(name="Robin", activity_ids={signup.pk})
        )
    writer, person_client = logged_in(worker), logged_in(representative)
    for client, url in ((writer, reverse("worker:references")), (person_client, reverse("me:certificates"))):
        client.get(url)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    page = writer.get(reverse("worker:references")).content.decode()
    # Those to write come first: every one of them is on the first page.
    assert page.count(">To write<") == (count + 1) // 2
