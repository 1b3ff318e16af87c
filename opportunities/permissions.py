"""Who may see and change opportunities. Predicates for django-rules, and scoped getters
that 404 on what a person may not see."""

import rules
from django.http import Http404

from accounts.permissions import is_manager, is_representative, is_worker
from opportunities.models import Opportunity

# What anyone, signed in or not, may see: advertised openly (F4), and kept visible once
# finished or cancelled so links in messages still work.
PUBLIC_STATUSES = {
    Opportunity.Status.PUBLISHED,
    Opportunity.Status.CLOSED,
    Opportunity.Status.COMPLETED,
    Opportunity.Status.CANCELLED,
}


@rules.predicate
def is_public(user, opportunity) -> bool:
    return opportunity is not None and opportunity.status in PUBLIC_STATUSES


# Any involvement worker may manage any opportunity: workers cover for each other. Support
# notes stay narrower (the lead worker only; see accounts.permissions).
can_manage_opportunity = is_worker
can_view_opportunity = is_public | is_worker | is_manager

rules.add_perm("opportunities.view_opportunity", can_view_opportunity)
rules.add_perm("opportunities.manage_opportunity", can_manage_opportunity)
rules.add_perm("opportunities.sign_up", is_representative)


def get_opportunity_for_viewer(user, opportunity_id: int) -> Opportunity:
    from opportunities.selectors import opportunity_get

    opportunity = opportunity_get(opportunity_id=opportunity_id)
    if opportunity is None or not user.has_perm("opportunities.view_opportunity", opportunity):
        raise Http404("No such opportunity")
    return opportunity
