"""An erased person's payroll reference (ADR 17): kept while finance may still match a claim
of theirs to it (paid within PAYMENT_RECORDS_YEARS, or approved and unpaid), removed by the
nightly job once that has passed; an active person's is never touched."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from payments.models import Claim, ExportBatch, PaymentDetails
from payments.tests.factories import attended_claim
from privacy.retention import retention_apply, retention_report

pytestmark = pytest.mark.django_db


def payroll_due() -> int:
    return {line.setting: line.due for line in retention_report()}["PAYMENT_RECORDS_YEARS"]


def paid(claim: Claim, *, days_ago: int, by: User) -> None:
    batch = ExportBatch.objects.create(reference=f"B-{claim.pk}", created_by=by)
    Claim.objects.filter(pk=claim.pk).update(
        state=Claim.State.PAID, batch=batch, paid_on=timezone.localdate() - timedelta(days=days_ago)
    )


def details(someone: User) -> PaymentDetails:
    return PaymentDetails.objects.create(person=someone, payroll_reference=f"P-{someone.pk}")


def test_a_closed_accounts_reference_goes_once_its_last_payment_is_past_the_period(
    representative, outsider, worker
):
    paid(attended_claim(person=representative), days_ago=7 * 365, by=worker)
    paid(attended_claim(person=outsider), days_ago=365, by=worker)
    for someone in (representative, outsider, worker):
        details(someone)
    User.objects.filter(pk__in=[representative.pk, outsider.pk]).update(is_active=False)  # erased

    assert payroll_due() == 1
    retention_apply()
    assert set(PaymentDetails.objects.values_list("person", flat=True)) == {outsider.pk, worker.pk}
    assert payroll_due() == 0
    assert sum(retention_apply().values()) == 0


def test_an_approved_claim_not_yet_paid_keeps_the_reference(representative):
    claim = attended_claim(person=representative)
    Claim.objects.filter(pk=claim.pk).update(state=Claim.State.APPROVED)
    details(representative)
    User.objects.filter(pk=representative.pk).update(is_active=False)
    assert payroll_due() == 0
    retention_apply()
    assert PaymentDetails.objects.filter(person=representative).exists()
