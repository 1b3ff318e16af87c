"""The finance system's file of payments read by the service: whatever the file holds, each
line is recorded or reported, and a file no CSV reader can take is refused in words."""

from decimal import Decimal

import pytest
from django.utils import timezone

from payments.models import Claim
from payments.services import ClaimError, claim_approve, claim_submit, export_batch_create, paid_file_record
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
