"""The finance system's file of payments read by the service: whatever the file holds, each
line is recorded or reported, and a file no CSV reader can take is refused in words."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import Claim
from payments.services import (
    ClaimError,
    batch_mark_paid,
    claim_approve,
    claim_submit,
    export_batch_create,
    paid_file_record,
)
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(representative, finance_officer):
    claim = attended_claim(person=representative)
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=claim.opportunity.lead_worker)
    export_batch_create(by=finance_officer)
    claim.refresh_from_db()
    assert claim.fee == Decimal("23.00")
    return claim


def test_a_cell_longer_than_a_csv_reader_takes_is_refused_in_words(exported, finance_officer):
    content = 'claim,paid_on\n"' + "1" * 200_000 + '",2026-01-01\n'
    with pytest.raises(ClaimError, match="could not be read as a CSV file") as refused:
        paid_file_record(content=content, by=finance_officer)
    assert refused.value.field == "file"


def test_extra_cells_are_ignored_and_lines_numbered_as_in_the_file(exported, finance_officer):
    today = timezone.localdate().isoformat()
    content = f"claim,paid_on\n\n999999,{today},extra,cells\n{exported.pk},{today},a note\n"
    result = paid_file_record(content=content, by=finance_officer)
    assert result.paid == 1
    assert result.problems == [f"Line 3: there is no claim 999999, or {today} is not a date."]
    exported.refresh_from_db()
    assert exported.state == Claim.State.PAID


def test_a_payment_dated_before_the_activity_is_refused(exported, finance_officer):
    before = exported.activity_date - timedelta(days=1)
    result = paid_file_record(
        content=f"claim,paid_on\n{exported.pk},{before.isoformat()}\n", by=finance_officer
    )
    assert result.paid == 0
    assert result.problems == [
        f"Line 2: Claim {exported.pk} is for an activity on {exported.activity_date.day} "
        f"{exported.activity_date:%B %Y}: it cannot have been paid before then."
    ]
    with pytest.raises(ClaimError, match="cannot have been paid before then"):
        batch_mark_paid(batch=exported.batch, on=before, by=finance_officer)
    exported.refresh_from_db()
    assert exported.state == Claim.State.EXPORTED and exported.paid_on is None
    assert batch_mark_paid(batch=exported.batch, on=exported.activity_date, by=finance_officer) == 1
