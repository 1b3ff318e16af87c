"""The day itself (issue 14, item 6): what to expect, per session, typed on the session form
and shown to people signed in; and the preparation pack, checked by its content, stored
privately and served only to the people with a place and the workers who manage it, and
linked from the 48-hour reminder."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity
from opportunities.services import (
    OpportunityError,
    SessionData,
    opportunity_save,
    reminders_send,
    signup_create,
)
from opportunities.services.packs import opportunity_pack_save
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_forms import (
    days_ahead,
    error_by,
    management,
    new_opportunity_post,
    opportunity_fields,
    session_fields,
)

pytestmark = pytest.mark.django_db


def pdf(name: str = "pack.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def png(name: str = "map.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), color=(0, 94, 184)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


EXPECT = {
    "meet_by": "Sam, at the main reception",
    "what_to_bring": "Your reading glasses",
    "directions": "Bus 16 to Park Row; the step-free entrance is on the left.",
    "map_link": "https://maps.example.org/park-row",
    "breaks": "A 15-minute break every hour",
}


# --- what to expect -------------------------------------------------------------------------


def test_what_to_expect_is_saved_and_shown_to_people_signed_in_only(client, worker, representative):
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:create"),
        new_opportunity_post(worker, **session_fields(0, days_ahead(20), **EXPECT)),
    )
    assert response.status_code == 302
    session = Opportunity.objects.get().sessions.get()
    assert {name: getattr(session, name) for name in EXPECT} == EXPECT
    opportunity = session.opportunity
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.PUBLISHED)

    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    for shown in (
        "Who will meet you",
        "Sam, at the main reception",
        "Your reading glasses",
        "Bus 16 to Park Row",
        'href="https://maps.example.org/park-row"',
        "A 15-minute break every hour",
    ):
        assert shown in page
    client.logout()
    visitor = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Sam, at the main reception" not in visitor and "maps.example.org" not in visitor


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("http://maps.example.org/park-row", "Enter a map link that starts with https://"),
        ("javascript:alert(1)", "Enter a valid URL"),
        ("https://" + "a" * 500 + ".org", "characters"),
    ],
    ids=["plain-http", "script", "too-long"],
)
def test_a_map_link_that_is_not_https_is_refused_by_the_field(client, worker, link, message):
    client.force_login(worker)
    data = new_opportunity_post(
        worker, **session_fields(0, days_ahead(20), map_link=link, what_to_bring="Glasses")
    )
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in error_by(page, "id_sessions-0-map_link")
    assert "Glasses" in page  # what was typed is kept
    assert not Opportunity.objects.exists()


def test_changing_what_to_expect_tells_nobody_of_a_change_of_time_or_place(client, worker, representative):
    # A session of 10am to noon local time: the factory's own starts at the hour the test
    # runs, and one begun after 10pm ends the next day, which the form (rightly) refuses.
    day = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=10)
    opportunity = OpportunityFactory(lead_worker=worker, sessions=[(day, day + timedelta(hours=2))])
    signup_create(opportunity=opportunity, person=representative)
    session = opportunity.sessions.get()
    before = Message.objects.count()
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    data = {
        **opportunity_fields(
            lead_worker=worker,
            activity_type=opportunity.activity_type,
            team=opportunity.team,
            title=opportunity.title,
            summary=opportunity.summary,
            description=opportunity.description,
            accessibility=opportunity.accessibility,
            payment=opportunity.payment,
            places=str(opportunity.places),
            rate_card=None,
            is_paid=None,
            signup_deadline_date_day=str(timezone.localtime(opportunity.signup_deadline).day),
            signup_deadline_date_month=str(timezone.localtime(opportunity.signup_deadline).month),
            signup_deadline_date_year=str(timezone.localtime(opportunity.signup_deadline).year),
        ),
        **management(1, initial=1),
        **session_fields(0, start.date(), start.strftime("%H:%M"), end.strftime("%H:%M"), **EXPECT),
        "sessions-0-id": str(session.pk),
        "sessions-0-area": session.area,
        "sessions-0-location": session.location,
    }
    client.force_login(worker)
    response = client.post(reverse("opportunities:edit", args=[opportunity.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    session.refresh_from_db()
    assert session.what_to_bring == "Your reading glasses"
    assert session.starts_at == start
    assert Message.objects.count() == before


# --- the preparation pack -------------------------------------------------------------------


@pytest.fixture
def panel(worker, representative):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=representative)
    return opportunity


def upload(client, opportunity, file) -> object:
    return client.post(reverse("opportunities:pack", args=[opportunity.pk]), {"pack": file})


def test_a_worker_uploads_a_pack_stored_privately_under_our_own_name(client, worker, panel):
    client.force_login(worker)
    response = upload(client, panel, pdf("Jo Bloggs private notes.pdf"))
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.preparation_pack_content_type == "application/pdf"
    stored = Path(panel.preparation_pack.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert "Bloggs" not in stored.name
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())


# Names and bytes, not files: a file made once for the module is read to its end by the first
# run, and a second run in the same process (mutmut's) would upload it empty.
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("pack.pdf", b"MZ\x90\x00" + b"\x00" * 200), "must be a PDF or an image"),
        (("notes.txt", b"Just some words"), "must be a PDF or an image"),
        (("empty.pdf", b""), "The file is empty"),
        (None, "Choose a file to upload"),
    ],
    ids=["program-named-pdf", "text", "empty", "none"],
)
def test_a_bad_pack_is_refused_by_the_field(client, worker, panel, upload, message):
    client.force_login(worker)
    data = {"pack": SimpleUploadedFile(*upload)} if upload else {}
    response = client.post(reverse("opportunities:pack", args=[panel.pk]), data)
    assert response.status_code == 200
    assert message in error_by(response.content.decode(), "id_pack")
    panel.refresh_from_db()
    assert not panel.preparation_pack


def test_a_pack_too_big_is_refused_by_the_field(client, worker, panel, settings):
    settings.PACK_MAX_BYTES = 1024 * 1024
    client.force_login(worker)
    big = SimpleUploadedFile("big.pdf", pdf().read() + b"\n%" + b"0" * (1024 * 1024 + 1))
    response = upload(client, panel, big)
    assert response.status_code == 200
    assert "must be 1 MB or smaller" in error_by(response.content.decode(), "id_pack")


def test_the_pack_is_served_to_people_with_a_place_and_workers_only(
    client, worker, representative, outsider, manager, panel
):
    opportunity_pack_save(opportunity=panel, upload=png(), by=worker)
    waiting = person(roles=[Role.REPRESENTATIVE])
    signup_create(opportunity=panel, person=waiting)  # the one place is taken: waiting list
    url = reverse("opportunities:pack_download", args=[panel.pk])

    client.force_login(representative)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert f"preparation-pack-{panel.pk}.png" in response["Content-Disposition"]
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "Download your preparation pack" in page
    home = client.get(reverse("me:home")).content.decode()
    assert url in home

    for refused in (outsider, waiting, manager):
        client.force_login(refused)
        assert client.get(url).status_code == 404
        assert url not in client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    client.force_login(worker)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to log in


def test_without_a_pack_the_download_is_a_404(client, worker, panel):
    client.force_login(worker)
    assert client.get(reverse("opportunities:pack_download", args=[panel.pk])).status_code == 404


def test_a_worker_removes_the_pack(client, worker, panel):
    opportunity_pack_save(opportunity=panel, upload=pdf(), by=worker)
    client.force_login(worker)
    response = client.post(reverse("opportunities:pack", args=[panel.pk]), {"remove": "1"})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert not panel.preparation_pack


@pytest.mark.parametrize("status", [Opportunity.Status.COMPLETED, Opportunity.Status.CANCELLED])
def test_the_pack_of_a_finished_opportunity_cannot_be_removed_and_the_worker_is_told_why(
    client, worker, panel, status
):
    """It was what people had for the day: it stays, and the worker reads why at the top of
    the page."""
    opportunity_pack_save(opportunity=panel, upload=pdf(), by=worker)
    Opportunity.objects.filter(pk=panel.pk).update(status=status)
    client.force_login(worker)
    response = client.post(reverse("opportunities:pack", args=[panel.pk]), {"remove": "1"})
    assert [str(said) for said in get_messages(response.wsgi_request)] == [
        "A completed or cancelled opportunity cannot be changed."
    ]
    panel.refresh_from_db()
    assert panel.preparation_pack_content_type == "application/pdf"
    assert client.get(reverse("opportunities:pack_download", args=[panel.pk])).status_code == 200


@pytest.mark.parametrize("status", [Opportunity.Status.COMPLETED, Opportunity.Status.CANCELLED])
def test_no_pack_is_uploaded_to_a_finished_opportunity_and_the_worker_is_told_why(worker, panel, status):
    Opportunity.objects.filter(pk=panel.pk).update(status=status)
    with pytest.raises(OpportunityError) as refused:
        opportunity_pack_save(opportunity=panel, upload=pdf(), by=worker)
    assert str(refused.value) == "A completed or cancelled opportunity cannot be changed."
    panel.refresh_from_db()
    assert not panel.preparation_pack


def test_a_pack_of_exactly_the_largest_size_is_kept(worker, panel, settings):
    exact = pdf()
    settings.PACK_MAX_BYTES = exact.size
    opportunity_pack_save(opportunity=panel, upload=exact, by=worker)
    panel.refresh_from_db()
    assert panel.preparation_pack_content_type == "application/pdf"


def test_keeping_a_pack_writes_the_opportunity_once(worker, panel, django_assert_num_queries):
    """Under the opportunity's lock: read it, write the pack's name and type once (the file
    field's own save would write the whole row first)."""
    with django_assert_num_queries(4):  # a savepoint and its release, the locked read, one UPDATE
        opportunity_pack_save(opportunity=panel, upload=pdf(), by=worker)
    panel.refresh_from_db()
    assert panel.preparation_pack.name.endswith(f"pack-{panel.pk}.pdf")


def test_the_48_hour_reminder_links_to_the_pack(worker, representative):
    soon = timezone.now() + timedelta(hours=40)
    opportunity = OpportunityFactory(
        lead_worker=worker,
        signup_deadline=timezone.now() + timedelta(hours=20),
        sessions=[(soon, soon + timedelta(hours=2))],
    )
    without_pack = OpportunityFactory(
        lead_worker=worker,
        signup_deadline=timezone.now() + timedelta(hours=20),
        sessions=[(soon, soon + timedelta(hours=2))],
    )
    signup_create(opportunity=opportunity, person=representative)
    signup_create(opportunity=without_pack, person=representative)
    opportunity_pack_save(opportunity=opportunity, upload=pdf(), by=worker)
    assert reminders_send() == 2
    with_link = Message.objects.get(
        kind=Kind.REMINDER, dedupe_key__contains=f":{opportunity.signups.get().pk}:"
    )
    assert f"/opportunities/{opportunity.pk}/pack/download/" in with_link.body_text
    assert f"/opportunities/{opportunity.pk}/pack/download/" in with_link.body_html
    plain = Message.objects.get(kind=Kind.REMINDER, dedupe_key__contains=f":{without_pack.signups.get().pk}:")
    assert "pack/download" not in plain.body_text


def test_the_service_refuses_a_map_link_that_is_not_https_whoever_calls(worker):
    opportunity = OpportunityFactory(lead_worker=worker, status=Opportunity.Status.DRAFT)
    session = opportunity.sessions.get()
    with pytest.raises(OpportunityError, match="https"):
        opportunity_save(
            opportunity=opportunity,
            sessions=[
                SessionData(
                    starts_at=session.starts_at,
                    ends_at=session.ends_at,
                    id=session.pk,
                    map_link="http://maps.example.org/",
                )
            ],
            by=worker,
        )
    session.refresh_from_db()
    assert session.map_link == ""
