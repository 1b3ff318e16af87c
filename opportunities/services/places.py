"""Places: the lock, place numbers, the waiting list, and moving a sign-up between states.

Locking scheme (docs/adr/0005-places-and-locking.md): every change that can move a place
locks the opportunity's row first (`SELECT ... FOR UPDATE`), then re-reads the sign-ups it
depends on, then writes and recounts. Places are never overbooked because the count is made
and the change written while the lock is held, and the database backs it with constraints
(one sign-up per person; a waiting-list position used once; places taken never above places)
and, on its own, with numbered places: each holder holds a number from 1 to places, unique
per opportunity, so even past the lock a sixth holder of five places is refused.
"""

import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import User
from notifications.kinds import Kind, SignUpUpdate
from notifications.services import CallRequest, message_create
from opportunities.models import Opportunity, SignUp, SignUpEvent
from opportunities.services.states import HOLDS_PLACE, RUNNING, TRANSITIONS, OpportunityError, State

logger = logging.getLogger(__name__)


def _lock(opportunity_id: int) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity_id)


def _lock_signup(signup: SignUp) -> tuple[Opportunity, SignUp]:
    """Lock the opportunity first (always in this order, so two services never deadlock),
    then re-read the sign-up under the lock: its state may have changed since it was read."""
    opportunity = _lock(signup.opportunity_id)
    signup = SignUp.objects.select_for_update().select_related("person", "opportunity").get(pk=signup.pk)
    return opportunity, signup


# Conflicts the database refuses when two writers race past the lock: a place number or a
# waiting-list position already taken, a place beyond the last, a deadlock. Under the lock they
# never happen; if one does, the change is rolled back whole and made again from a fresh read,
# and after a few tries the person is told plainly rather than shown an error page.
CONFLICT_ATTEMPTS = 5
_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock


P = ParamSpec("P")
R = TypeVar("R")


def _retry_on_conflict(service: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except (IntegrityError, OperationalError) as error:
                code = getattr(error.__cause__, "pgcode", None)
                if isinstance(error, OperationalError) and code not in _RETRYABLE_SQLSTATES:
                    raise
                # The constraint's name only: never the row, which may name a person.
                constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
                logger.warning(
                    "%s refused by the database (%s, attempt %s)",
                    service.__name__,
                    constraint or code,
                    attempt,
                )
                time.sleep(random.uniform(0.005, 0.02) * attempt)  # spread the retries out
        raise OpportunityError(
            "A lot of people are changing this at the same moment, so it could not be saved. "
            "Please try again."
        )

    return wrapper


def _free_place_number(signup: SignUp, *, places: int | None = None) -> int | None:
    """The lowest place number nobody on the opportunity holds, read under its lock; None
    when every place is held (the database then refuses the change). `places`: the count
    from the opportunity's row as locked, when the caller holds it (else read here)."""
    held = set(
        SignUp.objects.filter(opportunity_id=signup.opportunity_id, place_number__isnull=False).values_list(
            "place_number", flat=True
        )
    )
    if places is None:
        places = Opportunity.objects.values_list("places", flat=True).get(pk=signup.opportunity_id)
    return next((number for number in range(1, places + 1) if number not in held), None)


def _move(
    signup: SignUp,
    to_state: str,
    *,
    actor: User | None,
    reason: str = "",
    on_behalf_of: User | None = None,
    **fields: Any,
) -> None:
    if to_state not in TRANSITIONS[signup.state]:
        raise OpportunityError(
            f"This sign-up is {signup.get_state_display().lower()}, so it cannot be changed that way."
        )
    SignUpEvent.objects.create(
        signup=signup,
        from_state=signup.state,
        to_state=to_state,
        actor=actor,
        on_behalf_of=on_behalf_of,
        reason=reason,
    )
    signup.state = to_state
    for name, value in fields.items():
        setattr(signup, name, value)
    # A place held keeps its number (offered, then confirmed, then attended); a new holder
    # takes the lowest free one; anyone else gives theirs up.
    if to_state not in HOLDS_PLACE:
        signup.place_number = None
    elif signup.place_number is None:
        signup.place_number = _free_place_number(signup)
    if to_state != State.WAITLISTED:
        signup.waitlist_position = None
    if to_state != State.OFFERED:
        signup.offer_expires_at = None
    signup.save()


def _recount(opportunity: Opportunity) -> None:
    """Store places taken and waiting-list length, counted while the row is locked."""
    counts = opportunity.signups.aggregate(
        taken=Count("pk", filter=Q(state__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(state=State.WAITLISTED)),
    )
    opportunity.places_taken, opportunity.waitlist_length = counts["taken"], counts["waiting"]
    opportunity.save(update_fields=["places_taken", "waitlist_length", "updated_at"])


@dataclass(frozen=True)
class Standing:
    """Places held, people waiting, and the next waiting-list position, counted in one
    query under the opportunity's lock (what a new sign-up is decided by)."""

    taken: int
    waiting: int
    next_position: int


def _standing(opportunity: Opportunity) -> Standing:
    counts = opportunity.signups.aggregate(
        taken=Count("pk", filter=Q(state__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(state=State.WAITLISTED)),
        top=Max("waitlist_position"),
    )
    return Standing(taken=counts["taken"], waiting=counts["waiting"], next_position=(counts["top"] or 0) + 1)


def _taken(opportunity: Opportunity) -> int:
    return opportunity.signups.filter(state__in=HOLDS_PLACE).count()


def _next_position(opportunity: Opportunity) -> int:
    top = opportunity.signups.aggregate(top=Max("waitlist_position"))["top"]
    return (top or 0) + 1


def _notify(signup: SignUp, event: str, *, events: int | None = None, **context: Any) -> None:
    """Tell the person what happened to their sign-up. Called with the opportunity locked,
    so the message is written unrendered: a snapshot of what it says (`_snapshot`), rendered
    at delivery, outside the lock that every other sign-up waits on. The key counts the
    sign-up's history (`events`: given by a caller that has just written its first entry,
    else counted here), so each event is told once and none is dropped by a reused key."""
    offered = event == SignUpUpdate.OFFERED
    if events is None:
        events = signup.events.count()
    message_create(
        recipient=signup.person,
        kind=Kind.PLACE_OFFERED if offered else Kind.SIGNUP_UPDATE,
        dedupe_key=f"signup:{event}:{signup.pk}:{events}",
        context=_snapshot(signup, event, context),
        render_later=True,
        # A person who prefers a phone call is called about an offer, by their named worker
        # or else the lead worker, before it lapses (issue 13, item 7).
        call=CallRequest(worker_id=signup.opportunity.lead_worker_id, due_at=signup.offer_expires_at)
        if offered
        else None,
    )


def _snapshot(signup: SignUp, event: str, context: dict[str, Any]) -> dict[str, Any]:
    """The facts the sign-up and offer messages say, as they are now, in the shape their
    templates read (`opportunity.title`, `opportunity.sessions.all`, `signup.offer_expires_at`):
    each event's message only what it shows. The title and the link for every one; the
    sessions when a place is confirmed or offered; the deadline for an application; the
    offer's expiry for an offer. Plain values: nothing is read again at delivery."""
    opportunity = signup.opportunity
    facts: dict[str, Any] = {"pk": opportunity.pk, "title": opportunity.title}
    if event in (SignUpUpdate.CONFIRMED, SignUpUpdate.OFFERED):
        sessions = opportunity.sessions.order_by("starts_at", "pk").values("starts_at", "ends_at", "area")
        facts["sessions"] = {"all": list(sessions)}
    if event == SignUpUpdate.APPLIED:
        facts["signup_deadline"] = opportunity.signup_deadline
    shown = {"offer_expires_at": signup.offer_expires_at} if event == SignUpUpdate.OFFERED else {}
    return {"event": str(event), "opportunity": facts, "signup": shown, **context}


def _offer_hours() -> int:
    return int(settings.OFFER_ACCEPT_HOURS)


def _fill_free_places(opportunity: Opportunity, *, actor: User | None) -> list[SignUp]:
    """Offer every free place to the people waiting, in waiting-list order. Called after
    anything that frees or adds places, so a free place never sits beside a waiting person
    (and a newcomer can never jump the queue)."""
    if opportunity.status not in RUNNING:
        return []
    free = opportunity.places - _taken(opportunity)
    if free <= 0:
        return []
    offered = list(
        opportunity.signups.select_for_update()
        .filter(state=State.WAITLISTED)
        .order_by("waitlist_position", "pk")
        .select_related("person", "opportunity")[:free]
    )
    expires = timezone.now() + timedelta(hours=_offer_hours())
    for signup in offered:
        _move(signup, State.OFFERED, actor=actor, reason="A place came free.", offer_expires_at=expires)
        _notify(signup, "offered")
    return offered


def _fit_place_numbers(opportunity: Opportunity, *, places: int) -> None:
    """Before places go down, move anyone holding a number above the new count to a free one
    below it: the database refuses fewer places than a number held. The numbers mean nothing
    to people, so moving one changes nothing they see. Called under the lock, with no more
    places held than `places`."""
    numbered = opportunity.signups.filter(place_number__isnull=False).values_list("pk", "place_number")
    # The filter already leaves out None; the check says so to the type checker.
    held = {signup_id: number for signup_id, number in numbered if number is not None}
    free = iter(sorted(set(range(1, places + 1)) - set(held.values())))
    for signup_id, number in sorted(held.items(), key=lambda item: item[1]):
        if number > places:
            SignUp.objects.filter(pk=signup_id).update(place_number=next(free))
