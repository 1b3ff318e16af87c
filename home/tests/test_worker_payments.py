"""The worker's home about payments (issue 12): how many claims wait for their approval, and
the claims of opportunities they lead that were not paid within PAYMENT_TARGET_DAYS."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.services import worker_summaries_send
from notifications.kinds import Kind
from notifications.models import Message
from payments.models import Claim
from payments.services import batch_mark_paid, claim_approve, claim_submit, export_batch_create
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db

FEW, MANY = 3, 30
SIZES = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def claims_for(worker, rows: int, *, days: int, submit: bool) -> list[Claim]:
    """`rows` people's claims on one opportunity the worker led, `days` ago."""
    opportunity = held_opportunity(starts_at=days_ago(days), lead_worker=worker, places=rows)
    claims = []
    for number in range(rows):
        rep = person(roles=[Role.REPRESENTATIVE], display_name=f"Person {days}-{number}")
        claim = attended_claim(person=rep, opportunity=opportunity)
        if submit:
            claim = claim_submit(claim=claim, by=rep)
        claims.append(claim)
    return claims


def test_the_worker_home_counts_claims_to_approve_and_lists_overdue_ones(client, worker):
    late_draft, late_submitted = claims_for(worker, 2, days=30, submit=False)
    claim_submit(claim=late_submitted, by=late_submitted.person)
    recent = claims_for(worker, 2, days=2, submit=True)
    claim_approve(claim=recent[0], by=worker)
    # Someone else's opportunity: neither counted nor listed.
    (elsewhere,) = claims_for(person(roles=[Role.WORKER]), 1, days=40, submit=True)

    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()

    assert '<a href="/worker/claims/">Claims to approve: 2</a>' in page
    assert "Claims not paid within 14 days" in page
    for claim in (late_draft, late_submitted):
        assert f'href="/worker/claims/{claim.pk}/"' in page
        assert claim.person.profile.display_name in page
    assert "Not sent yet" in page and "Waiting for approval" in page
    for claim in recent:
        assert f'href="/worker/claims/{claim.pk}/"' not in page
    assert f'href="/worker/claims/{elsewhere.pk}/"' not in page
    assert "No claims are overdue." not in page


def test_a_paid_claim_is_not_overdue_however_long_it_took(client, worker, finance_officer):
    (claim,) = claims_for(worker, 1, days=30, submit=True)
    claim_approve(claim=claim, by=worker)
    batch_mark_paid(
        batch=export_batch_create(by=finance_officer), on=timezone.localdate(), by=finance_officer
    )
    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()
    assert "No claims are overdue." in page
    assert "Claims to approve: 0" in page


@SIZES
def test_the_worker_home_with_claims_runs_a_fixed_number_of_queries(
    client, worker, rows, django_assert_max_num_queries
):
    claims_for(worker, rows, days=30, submit=True)
    claims_for(worker, rows, days=25, submit=False)
    client.force_login(worker)
    client.get(reverse("worker:home"))  # the first request of a session does one-off work
    with django_assert_max_num_queries(16):  # one of them the questions about agreements (issue 15)
        response = client.get(reverse("worker:home"))
    assert f"Claims to approve: {rows}" in response.content.decode()
    assert len(response.context["overdue_claims"]) == min(2 * rows, 21)


# --- the daily summary ---------------------------------------------------------------------


def test_the_daily_summary_counts_each_workers_overdue_claims(worker, other_worker):
    claims_for(worker, 2, days=30, submit=True)
    claims_for(worker, 1, days=2, submit=True)  # within the target: not overdue
    claims_for(other_worker, 1, days=20, submit=False)

    assert worker_summaries_send() == 2

    body = Message.objects.get(kind=Kind.WORKER_SUMMARY, recipient=worker).body_text
    assert "Claims not paid within 14 days:\n- 2 claims for opportunities you lead: " in body
    assert "/worker/claims/" in body
    other = Message.objects.get(kind=Kind.WORKER_SUMMARY, recipient=other_worker).body_text
    assert "- 1 claim for opportunities you lead: " in other


def test_a_worker_whose_claims_are_all_in_time_gets_no_summary_for_them(worker):
    claims_for(worker, 2, days=3, submit=True)
    assert worker_summaries_send() == 0
