"""The finance export at any size: a fixed number of queries, however many claims, and a
file whose cells a spreadsheet can neither run nor misread."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import Role
from accounts.tests.factories import person
from payments.services import (
    ExpenseData,
    claim_approve,
    claim_submit,
    expense_add,
    export_batch_create,
    export_csv,
)
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db


def approved_claims(count: int, lead, **opportunity_fields) -> list:
    opportunity = held_opportunity(lead_worker=lead, places=count + 1, **opportunity_fields)
    claims = []
    for _ in range(count):
        someone = person(roles=[Role.REPRESENTATIVE])
        claim = attended_claim(person=someone, opportunity=opportunity)
        expense_add(claim=claim, by=someone, data=ExpenseData(kind="parking", amount=Decimal("2.00")))
        claim_submit(claim=claim, by=someone)
        claims.append(claim_approve(claim=claim, by=lead))
    return claims


def queries_to_export(count: int, lead, officer) -> tuple[int, int]:
    approved_claims(count, lead)
    with CaptureQueriesContext(connection) as made:
        batch = export_batch_create(by=officer)
    with CaptureQueriesContext(connection) as written:
        text = export_csv(batch=batch)
    assert len(text.splitlines()) == 1 + 2 * count
    return len(made), len(written)


def test_the_export_takes_the_same_queries_for_3_claims_and_for_40(worker, finance_officer):
    assert queries_to_export(3, worker, finance_officer) == queries_to_export(40, worker, finance_officer)


def test_an_empty_cell_stays_empty_and_a_formula_is_only_text(worker, finance_officer):
    [claim] = approved_claims(1, worker, title='=HYPERLINK("http://example.org")')
    batch = export_batch_create(by=finance_officer)
    fee_line = export_csv(batch=batch).splitlines()[1]
    # No payroll reference yet: an empty cell, not a lone quote finance would import.
    assert fee_line.startswith(f"{batch.reference},{claim.pk},,")
    assert "'=HYPERLINK(" in fee_line and ",=HYPERLINK" not in fee_line and '"=HYPERLINK' not in fee_line
    assert ",23.00,yes,person," in fee_line
