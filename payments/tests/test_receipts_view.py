"""Receipts are served only through the permission-checked view: to the person, their named
worker, the lead worker, managers and finance officers; to anyone else a 404, as if there
were none; never from a public static or media address."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from payments.services import ExpenseData, expense_add
from payments.tests.factories import attended_claim
from payments.tests.receipts import png_bytes, receipt_pdf, receipt_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(representative):
    return attended_claim(person=representative)


@pytest.fixture
def line(claim, representative):
    return expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="parking", amount=Decimal("4.50"), receipt=receipt_png('my "name".png')),
    )


@pytest.fixture
def people(representative, outsider, other_worker, worker, manager, administrator, finance_officer, claim):
    return {
        "rep": representative,
        "other_rep": outsider,
        "worker": other_worker,
        "lead": claim.opportunity.lead_worker,
        "named": worker,
        "manager": manager,
        "admin": administrator,
        "finance": finance_officer,
    }


EXPECTED = {
    "rep": 200,
    "other_rep": 404,
    "worker": 404,
    "lead": 200,
    "named": 200,
    "manager": 200,
    "admin": 404,
    "finance": 200,
}


@pytest.mark.parametrize(("role", "code"), EXPECTED.items())
def test_it_serves_the_receipt_only_to_those_who_may_see_the_claim(people, line, role, code):
    client = Client()
    client.force_login(people[role])
    response = client.get(reverse("payments:receipt", args=[line.pk]))
    assert response.status_code == code
    if code == 200:
        assert b"".join(response.streaming_content) == png_bytes()


def test_it_sends_a_visitor_to_log_in(line):
    response = Client().get(reverse("payments:receipt", args=[line.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_serves_with_the_stored_type_inline_with_our_own_name_never_cached(representative, line):
    client = Client()
    client.force_login(representative)
    response = client.get(reverse("payments:receipt", args=[line.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{line.pk}.png"'
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_is_served_as_a_pdf(representative, claim):
    line = expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="parking", amount=Decimal("2"), receipt=receipt_pdf()),
    )
    client = Client()
    client.force_login(representative)
    response = client.get(reverse("payments:receipt", args=[line.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="receipt-{line.pk}.pdf"'


def test_a_line_without_a_receipt_is_404(representative, claim):
    line = expense_add(claim=claim, by=representative, data=ExpenseData(kind="parking", amount=Decimal("2")))
    client = Client()
    client.force_login(representative)
    assert client.get(reverse("payments:receipt", args=[line.pk])).status_code == 404
    assert client.get(reverse("payments:receipt", args=[999999])).status_code == 404


def test_the_file_has_no_public_address(line, representative):
    stored = Path(line.receipt.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    if settings.MEDIA_ROOT:
        assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    owner = Client()
    owner.force_login(representative)
    # Wherever a static or media address might point, nothing serves the file there.
    for address in {
        f"{settings.STATIC_URL}{line.receipt.name}",
        f"{settings.MEDIA_URL or '/'}{line.receipt.name}",
        "/" + line.receipt.url.lstrip("/"),
    }:
        for client in (Client(), owner):
            response = client.get(address)
            assert response.status_code in (302, 404), address
            assert png_bytes() not in b"".join(getattr(response, "streaming_content", [response.content]))
