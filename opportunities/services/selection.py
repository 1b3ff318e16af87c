"""Fair-share selection (F4): the ranking, with a reason for each place, from a recorded
seed; running it; and who an offer by hand would pass over."""

import hashlib
import random
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from involvement.templatetags.nhs_dates import nhs_datetime
from opportunities.models import Opportunity, SelectionDraw, SelectionMethod, SignUp
from opportunities.services.places import (
    _lock,
    _move,
    _next_position,
    _notify,
    _offer_hours,
    _recount,
    _taken,
)
from opportunities.services.states import RUNNING, OpportunityError, State


@dataclass
class RankedApplicant:
    signup_id: int
    person_id: int
    rank: int
    reason: str
    activities_last_year: int
    never_involved: bool
    not_selected_last_time: bool
    draw: float
    # For the pages that show a ranking as it is worked out; never stored (as_record).
    person_name: str = ""

    def as_record(self) -> dict[str, object]:
        """What the draw keeps (SelectionDraw.ranking): ids, never a name, so that erasing a
        person leaves nothing of them in the record. The selection page reads names."""
        record = asdict(self)
        del record["person_name"]
        return record


def _involvement_history(people: Iterable[int], *, exclude_opportunity: int) -> dict[int, dict]:
    """For each person: ever attended, attended in the last 12 months, and whether their
    latest finished fair-share application was unsuccessful. One query."""
    year_ago = timezone.now() - timedelta(days=365)
    rows = (
        SignUp.objects.filter(person_id__in=list(people))
        .exclude(opportunity_id=exclude_opportunity)
        .values("person_id")
        .annotate(
            ever=Count("pk", filter=Q(state=State.ATTENDED)),
            last_year=Count("pk", filter=Q(state=State.ATTENDED, opportunity__ends_at__gte=year_ago)),
            not_selected=Count("pk", filter=Q(state=State.NOT_SELECTED, updated_at__gte=year_ago)),
        )
    )
    return {row["person_id"]: row for row in rows}


def selection_rank(*, opportunity: Opportunity, seed: str) -> list[RankedApplicant]:
    """Priority order: never involved before; then fewest activities in the last 12 months;
    then anyone not selected for an activity in the last year (priority next time); then a
    random draw from a recorded seed, so the same seed always gives the same order."""
    applicants = list(opportunity.signups.filter(state=State.APPLIED).select_related("person__profile"))
    history = _involvement_history((a.person_id for a in applicants), exclude_opportunity=opportunity.pk)
    rng = random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16))
    ranked = []
    for signup in sorted(applicants, key=lambda s: s.pk):
        row = history.get(signup.person_id, {"ever": 0, "last_year": 0, "not_selected": 0})
        ranked.append(
            RankedApplicant(
                signup_id=signup.pk,
                person_id=signup.person_id,
                person_name=_applicant_name(signup),
                rank=0,
                reason="",
                activities_last_year=row["last_year"],
                never_involved=row["ever"] == 0,
                not_selected_last_time=row["not_selected"] > 0,
                draw=rng.random(),
            )
        )
    ranked.sort(
        key=lambda r: (not r.never_involved, r.activities_last_year, not r.not_selected_last_time, r.draw)
    )
    for index, applicant in enumerate(ranked, start=1):
        applicant.rank = index
        applicant.reason = f"{_priority_reason(applicant)}; random draw {applicant.draw:.4f}"
    return ranked


def _priority(applicant: RankedApplicant) -> tuple:
    """Fair-share priority without the random draw: lower comes first."""
    return (
        not applicant.never_involved,
        applicant.activities_last_year,
        not applicant.not_selected_last_time,
    )


def _priority_reason(applicant: RankedApplicant) -> str:
    if applicant.never_involved:
        why = "never involved before"
    else:
        count = applicant.activities_last_year
        why = f"{count} activit{'y' if count == 1 else 'ies'} in the last 12 months"
    if applicant.not_selected_last_time:
        why += "; not selected last time"
    return why


@dataclass
class PassedOver:
    signup_id: int
    person_name: str
    why: str


def offer_passes_over(*, signup: SignUp) -> list[PassedOver]:
    """Who has a better claim to a place than `signup`, so would be passed over if it were
    offered the place by hand: people ahead on the waiting list; for an application before
    the selection, applicants with a higher fair-share priority (ties are left to the
    draw, which has not happened); for someone not selected, everyone still waiting."""
    if signup.state not in {State.WAITLISTED, State.APPLIED, State.NOT_SELECTED}:
        return []
    waiting = list(
        signup.opportunity.signups.filter(state=State.WAITLISTED)
        .select_related("person__profile")
        .order_by("waitlist_position", "pk")
    )
    if signup.state == State.WAITLISTED:
        waiting = [s for s in waiting if (s.waitlist_position or 0) < (signup.waitlist_position or 0)]
    passed = [
        PassedOver(s.pk, _applicant_name(s), f"number {number} on the waiting list")
        for number, s in enumerate(waiting, start=1)
        if signup.state != State.APPLIED
    ]
    if signup.state == State.WAITLISTED:
        return passed
    ranked = selection_rank(opportunity=signup.opportunity, seed="")
    if signup.state == State.APPLIED:
        mine = next((r for r in ranked if r.signup_id == signup.pk), None)
        ranked = [r for r in ranked if mine is not None and _priority(r) < _priority(mine)]
    return passed + [
        PassedOver(r.signup_id, r.person_name, f"applied: {_priority_reason(r)}") for r in ranked
    ]


def _applicant_name(signup: SignUp) -> str:
    return getattr(signup.person.profile, "display_name", "") or signup.person.email or ""


def selection_preview(*, opportunity: Opportunity, by: User) -> SelectionDraw:
    """Record a seed and show the ranking it gives, before anything is changed."""
    seed = secrets.token_hex(16)
    ranked = selection_rank(opportunity=opportunity, seed=seed)
    return SelectionDraw.objects.create(
        opportunity=opportunity, seed=seed, ranking=[r.as_record() for r in ranked], run_by=by
    )


def selection_run(*, opportunity: Opportunity, draw: SelectionDraw, by: User | None) -> list[SignUp]:
    """Offer the places in priority order and put everyone else on the waiting list in the
    same order. A draw is confirmed once: running it again (a second tab, a double click)
    is refused and leaves the first run's record as it was. `by` is None when the periodic
    job runs a selection that fell due."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        if opportunity.selection_method != SelectionMethod.FAIR_SHARE:
            raise OpportunityError("Only fair-share opportunities have a selection.")
        # The draw is read and checked under the lock: read before it, two confirmations at
        # once would both find it unconfirmed, and the second would overwrite the ranking the
        # first recorded with an empty one.
        locked = SelectionDraw.objects.select_for_update().filter(pk=draw.pk, opportunity=opportunity).first()
        if locked is None:
            raise OpportunityError("That selection belongs to another opportunity.")
        draw = locked
        if draw.confirmed_at is not None:
            raise OpportunityError("This selection has already been confirmed.")
        if opportunity.status not in RUNNING:
            raise OpportunityError("Selection runs on a published or closed opportunity.")
        if timezone.now() < opportunity.signup_deadline:
            # Everyone may apply until the deadline (F4): offering places before it would
            # shut out whoever applies later. A preview before it is only provisional.
            raise OpportunityError(
                "Places can be offered only after the sign-up deadline, "
                f"{nhs_datetime(opportunity.signup_deadline)}. Until then the ranking is provisional."
            )
        ranked = selection_rank(opportunity=opportunity, seed=draw.seed)
        free = opportunity.places - _taken(opportunity)
        signups = {
            s.pk: s
            for s in opportunity.signups.select_for_update()
            .select_related("person", "opportunity")
            .filter(state=State.APPLIED)
        }
        position = _next_position(opportunity)
        offered = []
        expires = timezone.now() + timedelta(hours=_offer_hours())
        for applicant in ranked:
            signup = signups.get(applicant.signup_id)
            if signup is None:
                continue
            signup.selection_rank, signup.selection_reason = applicant.rank, applicant.reason[:300]
            if free > 0:
                _move(
                    signup,
                    State.OFFERED,
                    actor=by,
                    reason=f"Selected: {applicant.reason}"[:300],
                    offer_expires_at=expires,
                )
                _notify(signup, "offered")
                offered.append(signup)
                free -= 1
            else:
                _move(
                    signup,
                    State.WAITLISTED,
                    actor=by,
                    reason=f"Waiting list: {applicant.reason}"[:300],
                    waitlist_position=position,
                )
                position += 1
                _notify(signup, "waitlisted")
        draw.ranking = [r.as_record() for r in ranked]
        draw.confirmed_at = timezone.now()
        draw.save(update_fields=["ranking", "confirmed_at"])
        opportunity.selection_done_at = timezone.now()
        opportunity.save(update_fields=["selection_done_at", "updated_at"])
        _recount(opportunity)
    return offered
