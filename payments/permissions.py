"""Who may see, change, approve and pay claims, and read receipts.

A claim and its receipts are the person's own; their named worker and the activity's lead
worker see it; those who approve or pay claims (the lead worker, managers, finance officers)
see it. A worker approves claims for the opportunities they lead, a manager any; nobody
approves their own. Only finance officers export claims and record payments. The earnings
limit behind a claim is the person's alone: staff see only "near their limit"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import (
    is_finance_officer,
    is_manager,
    is_named_worker_of,
    is_representative,
    is_worker,
)
from payments.models import EDITABLE_STATES, Claim
from payments.selectors import claim_get

if TYPE_CHECKING:
    from accounts.permissions import Anyone

# States in which the person may still change their claim.
EDITABLE = EDITABLE_STATES


@rules.predicate
def owns_claim(user: Anyone, claim: Claim | None) -> bool:
    return claim is not None and claim.person_id == user.pk


@rules.predicate
def leads_claim_opportunity(user: Anyone, claim: Claim | None) -> bool:
    return claim is not None and claim.opportunity.lead_worker_id == user.pk


@rules.predicate
def is_named_worker_of_claimant(user: Anyone, claim: Claim | None) -> bool:
    return claim is not None and is_named_worker_of(user, claim.person)


@rules.predicate
def claim_is_editable(user: Anyone, claim: Claim | None) -> bool:
    return claim is not None and claim.state in EDITABLE


can_view_claim = (
    owns_claim
    | (is_worker & (leads_claim_opportunity | is_named_worker_of_claimant))
    | is_manager
    | is_finance_officer
)
can_approve_claim = ((is_worker & leads_claim_opportunity) | is_manager) & ~owns_claim

rules.add_perm("payments.view_claim", can_view_claim)
# Receipts go to exactly those who may see the claim: never a public URL.
rules.add_perm("payments.view_receipt", can_view_claim)
rules.add_perm("payments.change_claim", owns_claim & claim_is_editable)
rules.add_perm("payments.approve_claim", can_approve_claim)
rules.add_perm("payments.review_claims", is_worker | is_manager)
rules.add_perm("payments.export_claims", is_finance_officer)
rules.add_perm("payments.set_earnings_limit", is_representative)


# --- scoped getters: what you may not see is a 404, what you may see but not change a 403 ----


def get_claim_for_viewer(user: Anyone, claim_id: int) -> Claim:
    claim = claim_get(claim_id=claim_id)
    if claim is None or not user.has_perm("payments.view_claim", claim):
        raise Http404("No such claim")  # pragma: no mutate: our 404 page never shows it
    return claim


def get_claim_for_owner(user: Anyone, claim_id: int) -> Claim:
    """The person's own claim; anyone else's is a 404 (even for staff: they use the review page)."""
    claim = claim_get(claim_id=claim_id)
    if claim is None or not owns_claim(user, claim):
        raise Http404("No such claim")  # pragma: no mutate: our 404 page never shows it
    return claim


def get_claim_for_approver(user: Anyone, claim_id: int) -> Claim:
    claim = get_claim_for_viewer(user, claim_id)
    if not user.has_perm("payments.approve_claim", claim):
        raise PermissionDenied
    return claim
