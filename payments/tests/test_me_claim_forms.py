"""Bad input on the claim page comes back beside its field, with what was typed kept, and
never as an error page; good input is saved."""

import os
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from payments.models import Claim, ExpenseLine
from payments.services import ExpenseData, expense_add
from payments.tests.factories import attended_claim
from payments.tests.receipts import pdf_bytes, program_named_pdf, receipt_pdf, receipt_png, too_big_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(representative):
    return attended_claim(person=representative, hours=2)  # a fee of £23.00


@pytest.fixture
def client(representative):
    client = Client()
    client.force_login(representative)
    return client


def post(client, claim, **data):
    return client.post(reverse("me:claim", args=[claim.pk]), data)


def refused(response) -> str:
    """The page came back, marked as having a problem; its text."""
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: " in text
    assert "There is a problem" in text
    return text


# --- the choice about the fee ----------------------------------------------------------------


def test_it_saves_a_smaller_amount(client, claim):
    response = post(client, claim, action="choose", choice="reduced_fee", reduced_amount="£10.50")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.choice == "reduced_fee" and claim.reduced_amount == Decimal("10.50")


def test_it_saves_a_charity_with_its_name(client, claim):
    assert post(client, claim, action="choose", choice="charity", charity_name=" Mind ").status_code == 302
    claim.refresh_from_db()
    assert claim.choice == "charity" and claim.charity_name == "Mind"


def test_it_warns_plainly_that_vouchers_count_as_earnings(client, claim):
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "Vouchers count as earnings for benefits, just like money" in text
    assert "A voucher" in text


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "The amount must be more than £0"),
        ("0", "The amount must be more than £0"),
        ("ten pounds", "Enter the amount in pounds and pence, like 12.50"),
        ("1e3", "Enter the amount in pounds and pence, like 12.50"),
        ("23.001", "Enter the amount in pounds and pence, like 12.50"),
        ("23.01", "The amount must be no more than the fee, £23.00"),
        ("", "Enter the amount you would like, in pounds and pence"),
    ],
)
def test_it_refuses_a_bad_smaller_amount_beside_the_field(client, claim, typed, message):
    text = refused(post(client, claim, action="choose", choice="reduced_fee", reduced_amount=typed))
    assert message in text
    assert 'href="#id_reduced_amount"' in text
    assert f'value="{typed}"' in text or not typed
    claim.refresh_from_db()
    assert claim.choice == "full_fee"


def test_it_asks_for_the_charity_name(client, claim):
    text = refused(post(client, claim, action="choose", choice="charity", charity_name="  "))
    assert "Enter the name of the charity" in text


def test_it_asks_for_a_choice(client, claim):
    assert "Choose what you would like done with the fee" in refused(post(client, claim, action="choose"))


def test_a_made_up_choice_is_refused(client, claim):
    assert "Select a valid choice" in refused(post(client, claim, action="choose", choice="bitcoin"))


# --- expenses ----------------------------------------------------------------------------------


def test_it_adds_parking_with_a_receipt(client, claim):
    response = client.post(
        reverse("me:claim", args=[claim.pk]),
        {"action": "add_expense", "kind": "parking", "amount": "4.50", "receipt": receipt_png()},
    )
    assert response.status_code == 302
    line = claim.expenses.get()
    assert line.amount == Decimal("4.50") and line.receipt_content_type == "image/png"
    page = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert reverse("payments:receipt", args=[line.pk]) in page


def test_it_adds_mileage_with_the_rate_and_the_workings(client, claim):
    response = post(
        client, claim, action="add_expense", kind="mileage", miles="12.5", vehicle="car", passengers="1"
    )
    assert response.status_code == 302
    line = claim.expenses.get()
    assert line.amount == Decimal("6.25")  # 12.5 miles at 45p, and 12.5 at 5p for the passenger
    page = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "12.5 miles at 45p; 1 passenger at 5p a mile" in page
    assert "45p a mile for the first 10,000 miles in a tax year" in page
    assert "Car miles you have claimed so far this tax year" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "parking", "amount": "-4.50"}, "amount", "The amount must be more than £0"),
        ({"kind": "parking", "amount": "four"}, "amount", "Enter the amount in pounds and pence, like 12.50"),
        ({"kind": "parking"}, "amount", "Enter the amount, in pounds and pence"),
        ({"kind": "meal", "amount": "1000000"}, "amount", "The amount must be £1,000 or less"),
        ({"kind": "mileage", "miles": "100000", "vehicle": "car"}, "miles", "Enter 1,000 miles or fewer"),
        ({"kind": "mileage", "miles": "-3", "vehicle": "car"}, "miles", "Enter the miles you travelled"),
        ({"kind": "mileage", "miles": "twelve", "vehicle": "car"}, "miles", "Enter the miles as a number"),
        ({"kind": "mileage", "miles": "12"}, "vehicle", "Choose how you travelled"),
        (
            {"kind": "mileage", "miles": "12", "vehicle": "car", "passengers": "x"},
            "passengers",
            "Enter the number",
        ),
        (
            {"kind": "mileage", "miles": "12", "vehicle": "car", "passengers": "9"},
            "passengers",
            "between 0 and 8",
        ),
        (
            {"kind": "mileage", "miles": "12", "vehicle": "bicycle", "passengers": "1"},
            "passengers",
            "car or van",
        ),
        ({"amount": "4"}, "kind", "Choose what the expense is for"),
    ],
)
def test_it_refuses_a_bad_expense_beside_the_field_keeping_what_was_typed(
    client, claim, data, field, message
):
    text = refused(post(client, claim, action="add_expense", description="Kept words", **data))
    assert message in text
    assert f'href="#id_{field}' in text
    assert 'value="Kept words"' in text
    for name in ("amount", "miles"):
        if name in data:
            assert f'value="{data[name]}"' in text
    assert not claim.expenses.exists()


def upload(client, claim, receipt):
    return client.post(
        reverse("me:claim", args=[claim.pk]),
        {"action": "add_expense", "kind": "parking", "amount": "4.50", "receipt": receipt},
    )


def test_it_refuses_a_program_renamed_pdf(client, claim):
    text = refused(upload(client, claim, program_named_pdf()))
    assert "The receipt must be a photo (JPEG, PNG or WebP) or a PDF" in text and 'href="#id_receipt"' in text
    assert 'value="4.50"' in text
    assert not ExpenseLine.objects.exists()


def test_it_refuses_an_11_mb_receipt(client, claim):
    text = refused(upload(client, claim, too_big_pdf(11)))
    assert "The receipt must be 10 MB or smaller" in text
    assert not ExpenseLine.objects.exists()


def pdf_of(size: int) -> SimpleUploadedFile:
    """A real PDF padded after its end to exactly `size` bytes."""
    start = pdf_bytes() + b"\n%"
    return SimpleUploadedFile("receipt.pdf", start + b"0" * (size - len(start) - 1) + b"\n")


def test_it_accepts_a_receipt_of_exactly_10_mb(client, claim, settings):
    assert settings.RECEIPT_MAX_BYTES == 10 * 1024 * 1024
    response = upload(client, claim, pdf_of(settings.RECEIPT_MAX_BYTES))
    assert response.status_code == 302
    line = ExpenseLine.objects.get()
    assert line.receipt.size == settings.RECEIPT_MAX_BYTES
    assert line.receipt_content_type == "application/pdf"


def test_it_refuses_a_receipt_a_byte_over_10_mb(client, claim, settings):
    text = refused(upload(client, claim, pdf_of(settings.RECEIPT_MAX_BYTES + 1)))
    assert "The receipt must be 10 MB or smaller" in text
    assert not ExpenseLine.objects.exists()


def test_it_refuses_an_empty_file(client, claim):
    text = refused(upload(client, claim, SimpleUploadedFile("r.pdf", b"", content_type="application/pdf")))
    assert "The receipt you chose is empty" in text


def test_it_removes_an_expense_and_its_receipt(client, claim, representative):
    line = expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="parking", amount=Decimal("3"), receipt=receipt_pdf()),
    )
    stored = line.receipt.path
    assert os.path.exists(stored)
    response = post(client, claim, action="remove_expense", line=str(line.pk))
    assert response.status_code == 302
    assert not claim.expenses.exists() and not os.path.exists(stored)


def test_it_removes_nothing_of_another_claim(client, claim, outsider):
    other = attended_claim(person=outsider)
    line = expense_add(claim=other, by=outsider, data=ExpenseData(kind="parking", amount=Decimal("3")))
    response = post(client, claim, action="remove_expense", line=str(line.pk))
    assert "That expense is no longer on this claim" in refused(response)
    assert ExpenseLine.objects.filter(pk=line.pk).exists()


def test_an_unknown_button_changes_nothing(client, claim):
    assert "Choose one of the buttons" in refused(post(client, claim, action="delete_everything"))
    claim.refresh_from_db()
    assert claim.state == Claim.State.DRAFT


def test_it_asks_for_the_receipt_again_when_something_else_was_wrong(client, claim):
    response = client.post(
        reverse("me:claim", args=[claim.pk]),
        {"action": "add_expense", "kind": "parking", "amount": "-1", "receipt": receipt_png()},
    )
    assert "Choose your receipt again" in refused(response)


def test_the_receipt_checks_can_be_imported_before_the_services():
    """payments.receipts imports the services' error; the services use receipts: either order."""
    import subprocess
    import sys

    code = "import django; django.setup(); import payments.receipts; import payments.services"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
