"""The claim's states: the allowed changes written down once, and the steps every change
takes (lock the row and read it again, record who moved it, tell the person)."""

from django.conf import settings

from accounts.models import User
from notifications.kinds import Kind
from notifications.services import message_create

# The module, not the function: payments.receipts imports this package's errors, so either
# may be imported first without finding the other half-made.
from payments.models import (
    EDITABLE_STATES,
    Claim,
    ClaimEvent,
)
from payments.services.errors import ClaimError

State = Claim.State

# The allowed changes of state, written down once.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.SUBMITTED}),
    State.SUBMITTED: frozenset({State.APPROVED, State.RETURNED}),
    State.RETURNED: frozenset({State.SUBMITTED}),
    State.APPROVED: frozenset({State.EXPORTED}),
    State.EXPORTED: frozenset({State.PAID}),
    State.PAID: frozenset(),
}
EDITABLE = EDITABLE_STATES


def _lock(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("person__profile", "opportunity")
        .get(pk=claim.pk)
    )


def _move(claim: Claim, to_state: str, *, actor: User | None, reason: str = "") -> None:
    if to_state not in TRANSITIONS[claim.state]:
        raise ClaimError(f"A claim that is “{claim.get_state_display().lower()}” cannot be changed that way.")
    ClaimEvent.objects.create(
        claim=claim, from_state=claim.state, to_state=to_state, actor=actor, reason=reason
    )
    claim.state = to_state


def _tell(claim: Claim, event: str) -> None:
    message_create(
        recipient=claim.person,
        kind=Kind.CLAIM_UPDATE,
        dedupe_key=f"claim_{event}:{claim.pk}:{claim.events.count()}",
        context={"claim": claim, "event": event, "target_days": settings.PAYMENT_TARGET_DAYS},
    )
