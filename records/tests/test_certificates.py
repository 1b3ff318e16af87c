"""Certificates: what the person chose, frozen when made; the public verify page, withdrawn
certificates, guessed codes and the rate limit; the PDF and its text."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from records.models import ActivityRole, Certificate, RecordStatement
from records.pdf import html_to_pdf, local_only_fetcher, pdf_bytes
from records.presenters import shared_certificate
from records.services import CertificateChoice, RecordError, certificate_issue, certificate_withdraw
from records.tests.factories import ago, took_part, trained

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no lookups counted (the cache's prefix is this run's own)."""
    cache.clear()


@pytest.fixture
def record(representative, worker):
    panel = took_part(
        representative,
        lead=worker,
        sessions=[(*ago(40, hours=3), True)],
        title="Ward manager interviews",
        involvement_level="co-producing",
    )
    ActivityRole.objects.create(signup=panel, role="panel_member", set_by=representative)
    private = took_part(
        representative, lead=worker, sessions=[(*ago(20, hours=2), True)], title="Private group"
    )
    course = trained(representative, name="Recruitment panel training")
    RecordStatement.objects.create(person=representative, skills="Interviewing", statement="I listen well.")
    return {"panel": panel, "private": private, "course": course}


@pytest.fixture
def client(client, representative):
    client.force_login(representative)
    return client


def make(client, record, **extra):
    data = {
        "name": "Robin",
        "activities": [str(record["panel"].pk)],
        "training": [str(record["course"].pk)],
        "include_totals": "on",
        "include_statement": "on",
        **extra,
    }
    return client.post(reverse("me:certificate_new"), data)


def test_the_person_makes_a_certificate_with_only_what_they_chose(client, representative, record):
    response = make(client, record)
    certificate = Certificate.objects.get(person=representative)
    assert response.status_code == 302 and response["Location"] == reverse(
        "me:certificate", args=[certificate.pk]
    )
    assert len(certificate.code) >= 22  # 128 bits or more of token_urlsafe
    page = Client().get(reverse("records:verify", args=[certificate.code])).content.decode()
    for shown in (
        "Robin",
        "Ward manager interviews",
        "Co-producing",
        "Panel member",
        "Recruitment panel training",
        "I listen well.",
        "3 hours",
    ):
        assert shown in page, shown
    for hidden in ("Private group", "Interviewing", representative.email, "seat near the door"):
        assert hidden not in page, hidden


def test_the_verify_page_shows_it_as_it_was_when_made(client, representative, record):
    make(client, record)
    certificate = Certificate.objects.get()
    ActivityRole.objects.filter(signup=record["panel"]).update(role="chair")
    RecordStatement.objects.filter(person=representative).update(statement="Rewritten later.")
    record["panel"].opportunity.__class__.objects.filter(pk=record["panel"].opportunity_id).update(
        title="Renamed"
    )
    page = Client().get(reverse("records:verify", args=[certificate.code])).content.decode()
    assert "Ward manager interviews" in page and "Panel member" in page and "I listen well." in page
    assert "Renamed" not in page and "Rewritten later." not in page and "Chair<" not in page


def test_a_withdrawn_certificate_says_so_and_shows_nothing_else(client, representative, record):
    make(client, record)
    certificate = Certificate.objects.get()
    assert client.get(reverse("me:certificate_withdraw", args=[certificate.pk])).status_code == 200
    assert Certificate.objects.get().withdrawn_at is None  # asking is not doing
    response = client.post(reverse("me:certificate_withdraw", args=[certificate.pk]))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_withdrawn
    page = Client().get(reverse("records:verify", args=[certificate.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "withdrawn" in text and "Ward manager interviews" not in text and "Robin" not in text
    assert page["Cache-Control"] == "no-store"
    # Once is enough: again changes nothing.
    when = certificate.withdrawn_at
    certificate_withdraw(certificate=certificate, by=representative)
    certificate.refresh_from_db()
    assert certificate.withdrawn_at == when


def test_nobody_else_withdraws_or_sees_it(record, representative, outsider):
    certificate = certificate_issue(
        person=representative, choice=CertificateChoice(name="Robin", activity_ids={record["panel"].pk})
    )
    with pytest.raises(RecordError):
        certificate_withdraw(certificate=certificate, by=outsider)
    other = Client()
    other.force_login(outsider)
    for name in ("me:certificate", "me:certificate_pdf", "me:certificate_withdraw"):
        assert other.get(reverse(name, args=[certificate.pk])).status_code == 404
    assert other.post(reverse("me:certificate_withdraw", args=[certificate.pk])).status_code == 404
    certificate.refresh_from_db()
    assert not certificate.is_withdrawn


def test_a_guessed_code_is_a_404(record, representative):
    certificate_issue(
        person=representative, choice=CertificateChoice(name="Robin", activity_ids={record["panel"].pk})
    )
    assert Client().get(reverse("records:verify", args=["guessed-code-123"])).status_code == 404


@override_settings(VERIFY_RATE_LIMIT=3)
def test_too_many_lookups_from_one_address_are_refused_with_a_clear_page(record, representative):
    certificate = certificate_issue(
        person=representative, choice=CertificateChoice(name="Robin", activity_ids={record["panel"].pk})
    )
    visitor = Client()
    assert [visitor.get(reverse("records:verify", args=[f"guess-{n}"])).status_code for n in range(3)] == [
        404
    ] * 3
    refused = visitor.get(reverse("records:verify", args=[certificate.code]))
    assert refused.status_code == 429
    assert "Too many checks" in refused.content.decode() and "Wait 10 minutes" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    # Another address is counted apart.
    assert (
        Client(REMOTE_ADDR="10.0.0.9").get(reverse("records:verify", args=[certificate.code])).status_code
        == 200
    )


@override_settings(VERIFY_RATE_LIMIT=2, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_client_address_is_counted_apart(record, representative):
    certificate = certificate_issue(
        person=representative, choice=CertificateChoice(name="Robin", activity_ids={record["panel"].pk})
    )
    url = reverse("records:verify", args=[certificate.code])
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    assert [proxy.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert proxy.get(url, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


def test_choosing_nothing_says_so_beside_the_field_and_keeps_the_choices(client, record):
    response = client.post(reverse("me:certificate_new"), {"name": "Robin", "include_totals": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["activities"] == [
        "Choose at least one activity or course to include"
    ]
    assert "Error: " in response.content.decode()
    assert re.search(r'name="include_totals"[^>]*checked', response.content.decode())
    assert not Certificate.objects.exists()


def test_a_name_that_is_not_theirs_is_refused(client, record):
    response = make(client, record, name="Somebody Else")
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Certificate.objects.exists()


def test_another_persons_activity_cannot_be_put_on_a_certificate(record, representative, outsider, worker):
    theirs = took_part(outsider, lead=worker, sessions=[(*ago(5), True)])
    with pytest.raises(RecordError, match="not on your record"):
        certificate_issue(
            person=representative, choice=CertificateChoice(name="Robin", activity_ids={theirs.pk})
        )


def test_skills_asked_for_but_never_written_are_refused(representative, worker):
    signup = took_part(representative, lead=worker, sessions=[(*ago(5), True)])
    with pytest.raises(RecordError, match="skills"):
        certificate_issue(
            person=representative,
            choice=CertificateChoice(name="Robin", activity_ids={signup.pk}, include_skills=True),
        )


def test_the_pdf_says_what_was_chosen_and_where_to_check_it(client, representative, record):
    make(client, record)
    certificate = Certificate.objects.get()
    response = client.get(reverse("me:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    for shown in (
        "Certificate of involvement",
        "Robin",
        "Ward manager interviews",
        "Co-producing",
        "Panel member",
        "Recruitment panel training",
        "I listen well.",
        certificate.code,
    ):
        assert shown in text, shown
    # The address may wrap at the page's edge (a code can be 32 characters without a break),
    # which the extracted text gives as a space: it is the same address to a reader.
    assert f"/verify/{certificate.code}/" in text.replace(" ", "")
    assert "Private group" not in text


def test_pdfs_fetch_nothing_from_the_network():
    """A page naming a stylesheet, an image and a font on a server renders without asking
    that server for anything."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = html_to_pdf(
            f'<html><head><link rel="stylesheet" href="{base}/style.css">'
            f"<style>@font-face {{ font-family: x; src: url({base}/font.woff); }}</style></head>"
            f'<body><img src="{base}/logo.png" alt=""><p>Hello</p></body></html>'
        )
    finally:
        server.shutdown()
    assert pdf.startswith(b"%PDF")
    assert asked == []
    for url in (f"{base}/logo.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            local_only_fetcher().fetch(url)


@pytest.mark.parametrize("code", ["a" * 15 + "-" + "b" * 16, "abc-def-ghi-jkl-mno-pqr-stu-vwxy"])
def test_the_pdf_never_breaks_a_code_at_its_hyphens(code):
    """token_urlsafe codes hold hyphens, where a line may otherwise break: one copied from the
    PDF across two lines would not be found."""
    content = {"name": "Robin", "issued_on": "2026-11-30", "activities": [], "training": []}
    pdf = pdf_bytes(
        "records/certificate_pdf.html",
        {
            "certificate": Certificate(code=code),
            "shared": shared_certificate(content),
            "verify_url": f"https://example.org/verify/{code}/",
        },
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert f"Verification code: {code}" in re.sub(r"\s+", " ", text)
