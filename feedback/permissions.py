"""Who may read check-ins and handle follow-ups. Check-ins are special-category data:
the person, their named worker and the opportunity's lead worker; nobody else, and never
managers as such (they see aggregates on the dashboard)."""

import rules

from accounts.permissions import is_named_worker_of, is_worker
from opportunities.selectors import lead_access_opened_by


@rules.predicate
def owns_check_in(user, check_in) -> bool:
    return check_in is not None and check_in.person_id == user.pk


@rules.predicate
def is_named_worker_of_check_in_person(user, check_in) -> bool:
    return check_in is not None and is_named_worker_of(user, check_in.person)


@rules.predicate
def leads_check_in_opportunity(user, check_in) -> bool:
    """The lead worker of the activity the check-in is about, while the person's sign-up to
    it opens their notes (the one rule: `opportunities.selectors.lead_access_q`)."""
    if check_in is None or check_in.opportunity is None or check_in.opportunity.lead_worker_id != user.pk:
        return False
    return lead_access_opened_by(
        worker=user, person_id=check_in.person_id, opportunity_id=check_in.opportunity_id
    )


@rules.predicate
def is_assigned_worker(user, follow_up) -> bool:
    return follow_up is not None and follow_up.worker_id == user.pk


can_view_check_in = owns_check_in | (
    is_worker & (is_named_worker_of_check_in_person | leads_check_in_opportunity)
)

rules.add_perm("feedback.view_check_in", can_view_check_in)
rules.add_perm("feedback.handle_follow_up", is_worker & is_assigned_worker)
