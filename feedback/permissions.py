"""Who may check in, read check-ins, handle follow-ups and write outcomes. Check-ins are
special-category data: the person, their named worker and the opportunity's lead worker;
nobody else, and never managers as such (they see aggregates on the dashboard).

The views ask these rules, through the getters at the end, and never check in Python
themselves, so that a page and the rule it applies cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import is_named_worker_of, is_representative, is_worker
from feedback.models import CheckIn, FollowUp
from feedback.selectors import follow_up_get
from opportunities.models import Opportunity, SignUp
from opportunities.permissions import get_opportunity_for_viewer
from opportunities.selectors import lead_access_opened_by, signup_for

if TYPE_CHECKING:
    from accounts.permissions import Anyone

# What a check-in about an activity needs: the person is confirmed on it, or attended it.
TOOK_PART = frozenset({SignUp.State.ATTENDED, SignUp.State.CONFIRMED})


@rules.predicate
def took_part_in(user: Anyone, opportunity: Opportunity | None) -> bool:
    if opportunity is None:
        return False
    signup = signup_for(opportunity=opportunity, person=user)
    return signup is not None and signup.state in TOOK_PART


@rules.predicate
def owns_check_in(user: Anyone, check_in: CheckIn | None) -> bool:
    return check_in is not None and check_in.person_id == user.pk


@rules.predicate
def is_named_worker_of_check_in_person(user: Anyone, check_in: CheckIn | None) -> bool:
    return check_in is not None and is_named_worker_of(user, check_in.person)


@rules.predicate
def leads_check_in_opportunity(user: Anyone, check_in: CheckIn | None) -> bool:
    """The lead worker of the activity the check-in is about, while the person's sign-up to
    it opens their notes (the one rule: `opportunities.selectors.lead_access_q`)."""
    if check_in is None or check_in.opportunity is None or check_in.opportunity.lead_worker_id != user.pk:
        return False
    return lead_access_opened_by(
        worker=user, person_id=check_in.person_id, opportunity_id=check_in.opportunity_id
    )


@rules.predicate
def is_assigned_worker(user: Anyone, follow_up: FollowUp | None) -> bool:
    return follow_up is not None and follow_up.worker_id == user.pk


can_view_check_in = owns_check_in | (
    is_worker & (is_named_worker_of_check_in_person | leads_check_in_opportunity)
)
# Check-ins are for representatives: about anything, or about an activity they took part in.
can_check_in = is_representative
can_check_in_about = is_representative & took_part_in

rules.add_perm("feedback.view_check_in", can_view_check_in)
rules.add_perm("feedback.handle_follow_up", is_worker & is_assigned_worker)
rules.add_perm("feedback.check_in", can_check_in)
rules.add_perm("feedback.check_in_about", can_check_in_about)


# --- scoped getters: what you may not see is a 404, what you may see but not change a 403 ----


def get_opportunity_to_check_in_about(user: Anyone, opportunity_id: int | None) -> Opportunity:
    """An activity the person may check in about; anything else is a 404, so that a check-in
    page never confirms who took part in what."""
    if opportunity_id is None:
        raise Http404("No such activity")  # pragma: no mutate: our 404 page never shows it
    opportunity = get_opportunity_for_viewer(user, opportunity_id)
    if not user.has_perm("feedback.check_in_about", opportunity):
        raise Http404("You did not take part in this")  # pragma: no mutate: our 404 page never shows it
    return opportunity


def get_opportunity_to_write_outcome(user: Anyone, opportunity_id: int) -> Opportunity:
    opportunity = get_opportunity_for_viewer(user, opportunity_id)
    if not user.has_perm("opportunities.manage_opportunity", opportunity):
        raise PermissionDenied
    return opportunity


def get_follow_up_for_worker(user: Anyone, follow_up_id: int) -> FollowUp:
    """The follow-up, with the check-in behind it, for the worker it is assigned to."""
    follow_up = follow_up_get(follow_up_id=follow_up_id)
    if follow_up is None or not user.has_perm("feedback.handle_follow_up", follow_up):
        raise Http404("No such follow-up")  # pragma: no mutate: our 404 page never shows it
    return follow_up


def check_ins_readable_by(user: Anyone, check_ins: Iterable[CheckIn]) -> list[CheckIn]:
    """Those of `check_ins` the rule lets this member of staff read (all of a person's for
    their named worker; those about activities they lead, while that opens them, otherwise)."""
    return [check_in for check_in in check_ins if user.has_perm("feedback.view_check_in", check_in)]
