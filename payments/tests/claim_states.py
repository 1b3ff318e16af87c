"""A representative's claims in each state, moved there through the services as people would."""

from django.utils import timezone

from accounts.models import User
from payments.models import Claim
from payments.services import (
    batch_mark_paid,
    claim_approve,
    claim_return,
    claim_submit,
    export_batch_create,
)
from payments.tests.factories import attended_claim

STATES = ["draft", "submitted", "returned", "approved", "exported", "paid"]


def claim_in_state(state: str, *, person: User, finance: User | None = None, **fields) -> Claim:
    """The person's claim, moved to `state`. Exporting needs a finance officer (`finance`)."""
    claim = attended_claim(person=person, **fields)
    lead = claim.opportunity.lead_worker
    if state == "draft":
        return claim
    claim_submit(claim=claim, by=person)
    if state == "returned":
        claim_return(claim=claim, by=lead, reason="Please add the parking receipt.")
    elif state in {"approved", "exported", "paid"}:
        claim_approve(claim=claim, by=lead)
        if state in {"exported", "paid"}:
            assert finance is not None, "exporting needs a finance officer"
            batch = export_batch_create(by=finance)
            if state == "paid":
                batch_mark_paid(batch=batch, on=timezone.localdate(), by=finance)
    claim.refresh_from_db()
    assert claim.state == state
    return claim
