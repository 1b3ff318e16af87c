"""Finance's pages (/payments/exports/): the export, the batch and its CSV, payments recorded
by hand and from the finance system's file, payroll references; who may use them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.models import Message
from payments.models import Claim, ClaimEvent, ExportBatch
from payments.services import (
    ExpenseData,
    claim_approve,
    claim_submit,
    expense_add,
    export_batch_create,
    payroll_reference_set,
)
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


def approved(person_, lead, **fields) -> Claim:
    claim = attended_claim(person=person_, lead_worker=lead, **fields)
    expense_add(claim=claim, by=person_, data=ExpenseData(kind="parking", amount=Decimal("4.50")))
    claim_submit(claim=claim, by=person_)
    return claim_approve(claim=claim, by=lead)


@pytest.fixture
def claim(representative, lead):
    """The representative's approved claim: a £23.00 fee and £4.50 parking."""
    return approved(representative, lead, title="Interview panel")


@pytest.fixture
def batch(claim, finance_officer):
    return export_batch_create(by=finance_officer)


@pytest.fixture
def finance(client, finance_officer):
    client.force_login(finance_officer)
    return client


def upload(text: str, name: str = "payments.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- who may use the pages ------------------------------------------------------------------------


@pytest.fixture
def people(representative, outsider, other_worker, lead, worker, manager, administrator):
    return {
        "rep": representative,
        "other_rep": outsider,
        "worker": other_worker,
        "lead": lead,
        "named": worker,
        "manager": manager,
        "admin": administrator,
    }


def addresses(batch):
    return [
        ("get", reverse("payments:exports")),
        ("post", reverse("payments:export_create")),
        ("post", reverse("payments:paid_file")),
        ("get", reverse("payments:batch", args=[batch.pk])),
        ("get", reverse("payments:batch_download", args=[batch.pk])),
        ("post", reverse("payments:batch_paid", args=[batch.pk])),
        ("post", reverse("payments:payroll_reference", args=[batch.pk, batch.claims.get().person_id])),
    ]


@pytest.mark.parametrize("role", ["rep", "other_rep", "worker", "lead", "named", "manager", "admin"])
def test_only_finance_officers_use_the_finance_pages(client, people, batch, role):
    client.force_login(people[role])
    for method, url in addresses(batch):
        assert getattr(client, method)(url).status_code == 403, url
    assert not Claim.objects.filter(state=Claim.State.PAID).exists()


def test_a_visitor_is_sent_to_log_in(client, batch):
    for method, url in addresses(batch):
        assert getattr(client, method)(url)["Location"].startswith(reverse("account_login"))


def test_a_finance_officer_uses_every_page(finance, batch):
    for method, url in addresses(batch):
        assert getattr(finance, method)(url).status_code in (200, 302), url


def test_a_batch_that_does_not_exist_is_a_404(finance, batch, representative):
    for name in ("payments:batch", "payments:batch_download"):
        assert finance.get(reverse(name, args=[batch.pk + 1000])).status_code == 404
    assert finance.post(reverse("payments:batch_paid", args=[batch.pk + 1000])).status_code == 404
    missing = reverse("payments:payroll_reference", args=[batch.pk + 1000, representative.pk])
    assert finance.post(missing, {f"person-{representative.pk}-reference": "P1"}).status_code == 404


# --- the export -----------------------------------------------------------------------------------


def test_the_page_shows_the_approved_claims_waiting(finance, claim, representative, lead):
    approved(person(roles=[Role.REPRESENTATIVE]), lead)
    text = finance.get(reverse("payments:exports")).text
    # Two claims, each a £23.00 fee and £4.50 parking.
    assert "2 approved claims, £55.00 in fees and expenses" in text
    assert "Export approved claims" in text


def test_exporting_makes_one_batch_and_opens_it(finance, claim, finance_officer):
    response = finance.post(reverse("payments:export_create"))
    batch = ExportBatch.objects.get()
    assert response["Location"] == reverse("payments:batch", args=[batch.pk])
    claim.refresh_from_db()
    assert claim.state == Claim.State.EXPORTED and claim.batch == batch
    assert batch.claim_count == 1 and batch.total == Decimal("27.50")
    page = finance.get(response["Location"]).text
    assert batch.reference in page and "£27.50" in page and "Robin" in page
    listing = finance.get(reverse("payments:exports")).text
    assert batch.reference in listing and "0 of 1" in listing
    assert "No approved claims are waiting" in listing


def test_exporting_with_nothing_approved_says_so(finance, batch):
    response = finance.post(reverse("payments:export_create"), follow=True)
    assert "There are no approved claims to export." in response.text
    assert ExportBatch.objects.count() == 1


def test_the_csv_is_the_same_file_at_every_download(finance, batch, claim):
    first = finance.get(reverse("payments:batch_download", args=[batch.pk]))
    assert first["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        first["Content-Disposition"] == f'attachment; filename="involvement-payments-{batch.reference}.csv"'
    )
    lines = first.content.decode().splitlines()
    assert lines[0].startswith("batch,claim,payroll_reference")
    assert len(lines) == 3  # the fee and the parking on lines of their own
    assert f"{batch.reference},{claim.pk}," in lines[1] and ",fee," in lines[1]
    second = finance.get(reverse("payments:batch_download", args=[batch.pk]))
    assert second.content == first.content


def test_each_download_is_written_to_the_access_log(finance, batch, claim):
    from accounts.models import AccessLogEntry

    finance.get(reverse("payments:batch_download", args=[batch.pk]))
    entry = AccessLogEntry.objects.get(what=AccessLogEntry.What.EXPORT)
    assert entry.detail == f"Payments CSV: batch {batch.reference}"
    assert entry.path == reverse("payments:batch_download", args=[batch.pk])
    assert entry.subject is None


def test_the_csv_is_never_stored_by_a_browser_or_proxy(finance, batch):
    response = finance.get(reverse("payments:batch_download", args=[batch.pk]))
    assert "no-store" in response["Cache-Control"]


# --- payroll references ---------------------------------------------------------------------------


def test_finance_sets_a_missing_payroll_reference_and_the_csv_has_it(finance, batch, representative):
    page = finance.get(reverse("payments:batch", args=[batch.pk])).text
    assert "People without a payroll reference" in page
    field = f"person-{representative.pk}-reference"
    response = finance.post(
        reverse("payments:payroll_reference", args=[batch.pk, representative.pk]), {field: " PAY-0042 "}
    )
    assert response.status_code == 302
    assert representative.payment_details.payroll_reference == "PAY-0042"
    page = finance.get(reverse("payments:batch", args=[batch.pk])).text
    assert "People without a payroll reference" not in page and "PAY-0042" in page
    csv_text = finance.get(reverse("payments:batch_download", args=[batch.pk])).content.decode()
    assert ",PAY-0042," in csv_text.splitlines()[1]


@pytest.mark.parametrize(
    ("reference", "error"),
    [("", "Enter the payroll or supplier reference"), ("x" * 41, "40 characters or fewer")],
)
def test_a_bad_payroll_reference_is_refused(finance, batch, representative, reference, error):
    field = f"person-{representative.pk}-reference"
    response = finance.post(
        reverse("payments:payroll_reference", args=[batch.pk, representative.pk]), {field: reference}
    )
    assert response.status_code == 200 and error in response.text
    assert "<title>Error: " in response.text


def test_a_reference_for_someone_not_in_the_batch_is_a_404(finance, batch, outsider):
    url = reverse("payments:payroll_reference", args=[batch.pk, outsider.pk])
    assert finance.post(url, {f"person-{outsider.pk}-reference": "P"}).status_code == 404


def test_people_with_a_reference_are_not_asked_again(finance, representative, claim, finance_officer):
    payroll_reference_set(person=representative, reference="PAY-1")
    batch = export_batch_create(by=finance_officer)
    assert (
        "People without a payroll reference"
        not in finance.get(reverse("payments:batch", args=[batch.pk])).text
    )


# --- paid by hand ---------------------------------------------------------------------------------


def paid_date(day) -> dict:
    return {"paid_on_day": str(day.day), "paid_on_month": str(day.month), "paid_on_year": str(day.year)}


def test_finance_marks_a_batch_paid_and_each_person_is_told(finance, batch, claim, representative):
    today = timezone.localdate()
    response = finance.post(reverse("payments:batch_paid", args=[batch.pk]), paid_date(today), follow=True)
    assert "1 claim marked paid" in response.text
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID and claim.paid_on == today
    assert Message.objects.filter(recipient=representative, dedupe_key=f"claim_paid:{claim.pk}").count() == 1
    again = finance.post(reverse("payments:batch_paid", args=[batch.pk]), paid_date(today), follow=True)
    assert "already marked paid" in again.text
    assert ClaimEvent.objects.filter(claim=claim, to_state="paid").count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date the claims were paid"),
        ({"paid_on_day": "a", "paid_on_month": "b", "paid_on_year": "c"}, "Enter a real date"),
        ({"paid_on_day": "31", "paid_on_month": "2", "paid_on_year": "2026"}, "Enter a real date"),
        ({"paid_on_day": "1", "paid_on_month": "1"}, "must include a year"),
        ("tomorrow", "The date paid must be today or in the past"),
    ],
)
def test_a_bad_paid_date_is_refused(finance, batch, claim, data, error):
    if data == "tomorrow":
        data = paid_date(timezone.localdate() + timedelta(days=1))
    response = finance.post(reverse("payments:batch_paid", args=[batch.pk]), data)
    assert response.status_code == 200 and error in response.text
    assert "<title>Error: " in response.text
    claim.refresh_from_db()
    assert claim.state == Claim.State.EXPORTED


# --- paid from the finance system's file ----------------------------------------------------------


def test_the_finance_file_marks_claims_paid(finance, batch, claim, representative):
    day = timezone.localdate() - timedelta(days=1)
    response = finance.post(
        reverse("payments:paid_file"), {"file": upload(f"claim,paid_on\n{claim.pk},{day.isoformat()}\n")}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID and claim.paid_on == day
    assert Message.objects.filter(recipient=representative, dedupe_key=f"claim_paid:{claim.pk}").exists()


def test_the_finance_file_may_come_from_a_spreadsheet(finance, batch, claim):
    day = timezone.localdate()
    text = f"\ufeffClaim,Paid_On\r\n{claim.pk},{day:%d/%m/%Y}\r\n"
    finance.post(reverse("payments:paid_file"), {"file": upload(text)})
    claim.refresh_from_db()
    assert claim.paid_on == day


def test_the_finance_file_lists_each_bad_line_and_records_the_rest(
    finance, batch, claim, lead, representative
):
    not_exported = approved(person(roles=[Role.REPRESENTATIVE]), lead)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    text = "\n".join(
        [
            "claim,paid_on",
            f"{not_exported.pk},{today.isoformat()}",  # line 2: approved, not exported
            f"999999,{today.isoformat()}",  # line 3: no such claim
            f"{claim.pk},{tomorrow.isoformat()}",  # line 4: in the future
            f"{claim.pk},not a date",  # line 5
            f"99999999999999999999999,{today.isoformat()}",  # line 6: too big to be anyone's
            f"{claim.pk},{today.isoformat()}",  # line 7: fine
        ]
    )
    response = finance.post(reverse("payments:paid_file"), {"file": upload(text)})
    assert response.status_code == 200
    page = response.text
    assert "1 claim was marked paid" in page
    assert f"Line 2: Claim {not_exported.pk} has not been exported, so it cannot be paid." in page
    assert "Line 3: there is no claim 999999" in page
    assert "Line 4: The paid date cannot be in the future." in page
    assert "Line 5:" in page
    assert "Line 6:" in page
    assert "Line 7" not in page
    claim.refresh_from_db()
    not_exported.refresh_from_db()
    assert claim.state == Claim.State.PAID and not_exported.state == Claim.State.APPROVED


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"id,date\n1,2026-01-01\n", "The file needs a header row with the columns claim and paid_on."),
        (b"", "The file is empty"),
        (b"\xff\xfe\x00c\x00l", "saved as text (UTF-8)"),
        (b"claim,paid_on\n1,\x00\n", "saved as text (UTF-8)"),
    ],
)
def test_a_file_that_is_not_the_finance_csv_is_refused(finance, batch, claim, content, error):
    response = finance.post(
        reverse("payments:paid_file"), {"file": SimpleUploadedFile("x.csv", content, content_type="text/csv")}
    )
    assert response.status_code == 200 and error in response.text
    assert "<title>Error: " in response.text
    claim.refresh_from_db()
    assert claim.state == Claim.State.EXPORTED


def test_no_file_at_all_is_refused(finance):
    response = finance.post(reverse("payments:paid_file"))
    assert response.status_code == 200 and "Choose the file of payments" in response.text


def test_a_file_too_big_is_refused(finance, batch):
    big = b"claim,paid_on\n" + b"1,2026-01-01\n" * 200_000
    response = finance.post(reverse("payments:paid_file"), {"file": SimpleUploadedFile("x.csv", big)})
    assert response.status_code == 200 and "smaller than 2 MB" in response.text


def test_a_cell_too_long_for_a_csv_reader_is_refused_not_an_error(finance, batch):
    text = "claim,paid_on\n" + '"' + "1" * 200_000 + '",2026-01-01\n'
    response = finance.post(reverse("payments:paid_file"), {"file": upload(text)})
    assert response.status_code == 200 and "could not be read as a CSV file" in response.text


def test_extra_cells_and_blank_lines_in_the_file_are_taken_in_their_stride(finance, batch, claim):
    today = timezone.localdate().isoformat()
    text = f"claim,paid_on\n\n999999,{today},extra,cells\n{claim.pk},{today},note\n"
    response = finance.post(reverse("payments:paid_file"), {"file": upload(text)})
    assert response.status_code == 200
    # Numbered as a spreadsheet shows them: the blank line 2 counts.
    assert "Line 3: there is no claim 999999" in response.text
    claim.refresh_from_db()
    assert claim.state == Claim.State.PAID


# --- many claims ----------------------------------------------------------------------------------


def test_the_pages_take_the_same_queries_for_many_claims(
    finance, lead, finance_officer, django_assert_max_num_queries
):
    opportunity = held_opportunity(lead_worker=lead, places=80)
    for index in range(40):
        someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Person {index}")
        claim = attended_claim(person=someone, opportunity=opportunity)
        claim_submit(claim=claim, by=someone)
        claim_approve(claim=claim, by=lead)
    with django_assert_max_num_queries(12):
        assert "40 approved claims" in finance.get(reverse("payments:exports")).text
    batch = export_batch_create(by=finance_officer)
    with django_assert_max_num_queries(14):
        page = finance.get(reverse("payments:batch", args=[batch.pk])).text
    assert page.count("Save the reference") == 40
    with django_assert_max_num_queries(12):
        finance.get(reverse("payments:exports"))
    with django_assert_max_num_queries(10):
        finance.get(reverse("payments:batch_download", args=[batch.pk]))
