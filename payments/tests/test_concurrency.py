"""Claims under real concurrency: threads with their own database connections, released
together by a barrier, against PostgreSQL (transactional tests, nothing faked). Two approvers
at once make one approval; two exports at once make one batch, each claim in it once."""

from collections import Counter
from decimal import Decimal

import pytest

from accounts.permissions import Role
from accounts.tests.factories import person
from involvement.concurrency import run_together
from notifications.models import Message
from payments.models import Claim, ClaimEvent, ExportBatch
from payments.services import (
    ClaimError,
    ExpenseData,
    claim_approve,
    claim_submit,
    expense_add,
    export_batch_create,
    export_csv,
)
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvers_at_once_make_one_approval():
    representative = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    manager = person(roles=[Role.MANAGER], display_name="Maya Manager")
    claim = attended_claim(person=representative, lead_worker=lead)
    claim_submit(claim=claim, by=representative)

    results = run_together(
        [lambda: claim_approve(claim=claim, by=lead), lambda: claim_approve(claim=claim, by=manager)]
    )

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ClaimError), results
    assert "already been approved" in str(refused[0])
    approved = [r for r in results if not isinstance(r, Exception)]
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and claim.approved_by_id == approved[0].approved_by_id
    assert ClaimEvent.objects.filter(claim=claim, to_state=Claim.State.APPROVED).count() == 1
    told = Message.objects.filter(recipient=representative, dedupe_key__startswith="claim_approved")
    assert told.count() == 1


def test_many_approvers_at_once_still_make_one_approval():
    representative = person(roles=[Role.REPRESENTATIVE])
    lead = person(roles=[Role.WORKER])
    managers = [person(roles=[Role.MANAGER]) for _ in range(5)]
    claim = attended_claim(person=representative, lead_worker=lead)
    claim_submit(claim=claim, by=representative)
    approvers = [lead, *managers]
    results = run_together([lambda by=by: claim_approve(claim=claim, by=by) for by in approvers])
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, ClaimError) for r in results if isinstance(r, Exception))
    assert ClaimEvent.objects.filter(claim=claim, to_state=Claim.State.APPROVED).count() == 1


def test_an_export_run_twice_at_once_makes_one_batch_with_every_claim_once():
    lead = person(roles=[Role.WORKER])
    officers = [person(roles=[Role.FINANCE]) for _ in range(2)]
    opportunity = held_opportunity(lead_worker=lead, places=40)
    claims = []
    for _ in range(30):
        someone = person(roles=[Role.REPRESENTATIVE])
        claim = attended_claim(person=someone, opportunity=opportunity)
        expense_add(claim=claim, by=someone, data=ExpenseData(kind="parking", amount=Decimal("3.00")))
        claim_submit(claim=claim, by=someone)
        claims.append(claim_approve(claim=claim, by=lead))

    results = run_together([lambda by=by: export_batch_create(by=by) for by in officers])

    batches = [r for r in results if isinstance(r, ExportBatch)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(batches) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], ClaimError) and "no approved claims" in str(refused[0])
    batch = ExportBatch.objects.get()
    assert batch.claim_count == 30 and batch.total == Decimal("780.00")  # 30 x (£23 + £3)
    assert set(Claim.objects.values_list("state", "batch_id")) == {(Claim.State.EXPORTED, batch.pk)}
    exported = Counter(
        ClaimEvent.objects.filter(to_state=Claim.State.EXPORTED).values_list("claim_id", flat=True)
    )
    assert exported == Counter({claim.pk: 1 for claim in claims})
    # In the file once each: a fee line and an expense line per claim.
    rows = export_csv(batch=batch).splitlines()[1:]
    assert Counter(row.split(",")[1] for row in rows) == Counter({str(claim.pk): 2 for claim in claims})


def test_an_approval_racing_an_export_is_exported_once_or_waits_for_the_next():
    """A claim approved while a batch is being made is either in that batch or left approved
    for the next one: never in two, never lost."""
    lead = person(roles=[Role.WORKER])
    officer = person(roles=[Role.FINANCE])
    opportunity = held_opportunity(lead_worker=lead, places=20)
    waiting = []
    for _ in range(10):
        someone = person(roles=[Role.REPRESENTATIVE])
        claim = attended_claim(person=someone, opportunity=opportunity)
        claim_submit(claim=claim, by=someone)
        waiting.append(claim)
    for claim in waiting[:5]:
        claim_approve(claim=claim, by=lead)
    jobs = [lambda: export_batch_create(by=officer)]
    jobs += [lambda claim=claim: claim_approve(claim=claim, by=lead) for claim in waiting[5:]]
    results = run_together(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    states = Counter(Claim.objects.values_list("state", flat=True))
    assert states[Claim.State.EXPORTED] + states[Claim.State.APPROVED] == 10
    assert ExportBatch.objects.get().claim_count == states[Claim.State.EXPORTED]
    if states[Claim.State.APPROVED]:
        export_batch_create(by=officer)
    assert Claim.objects.filter(state=Claim.State.EXPORTED).count() == 10
    assert sum(ExportBatch.objects.values_list("claim_count", flat=True)) == 10
