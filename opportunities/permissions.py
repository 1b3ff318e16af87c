"""Who may see and change opportunities. Predicates for django-rules, and scoped getters
that 404 on what a person may not see."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import (
    is_manager,
    is_named_worker_of,
    is_representative,
    is_self,
    is_worker,
)
from opportunities.models import PARTICIPANT_GROUP_STATES, Opportunity, ParticipantGroup, SignUp

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.permissions import Anyone

# What anyone, signed in or not, may see: advertised openly (F4), and kept visible once
# finished or cancelled so links in messages still work.
PUBLIC_STATUSES = {
    Opportunity.Status.PUBLISHED,
    Opportunity.Status.CLOSED,
    Opportunity.Status.COMPLETED,
    Opportunity.Status.CANCELLED,
}


@rules.predicate
def is_public(user: Anyone, opportunity: Opportunity | None) -> bool:
    return opportunity is not None and opportunity.status in PUBLIC_STATUSES


# Any involvement worker may manage any opportunity: workers cover for each other. Support
# notes stay narrower (the lead worker only; see `can_view_person` below).
can_manage_opportunity = is_worker
can_view_opportunity = is_public | is_worker | is_manager


@rules.predicate
def is_lead_worker(user: Anyone, opportunity: Opportunity | None) -> bool:
    return opportunity is not None and opportunity.lead_worker_id == user.pk


@rules.predicate
def is_active_person(user: Anyone) -> bool:
    return bool(getattr(user, "is_active", False))


# Who may lead an opportunity: an active involvement worker. One rule for a new opportunity,
# a change of lead and a copy (which its maker leads when they may).
can_lead = is_active_person & is_worker

# Being lead opens the participants' notes, so nobody may make themselves lead of another
# worker's opportunity: the lead hands it over, or a manager reassigns it.
can_change_lead = (is_worker & is_lead_worker) | is_manager
# Writing to the people taking part, and the register of who is coming with their shared
# access needs: the lead worker alone (issue 13). Other workers cover for each other on the
# participants page, but speak for the activity, and read what people shared with its lead,
# only once they lead it; managers read opportunities, never a person's needs.
can_message_participants = is_worker & is_lead_worker
can_view_register = is_worker & is_lead_worker
# Who sees an opportunity's history (changes of lead and the like): staff only.
can_view_history = is_worker | is_manager


@rules.predicate
def is_named_worker_of_participant(user: Anyone, signup: SignUp | None) -> bool:
    return signup is not None and is_named_worker_of(user, signup.person)


@rules.predicate
def leads_participant_with_access_open(user: Anyone, signup: SignUp | None) -> bool:
    """Lead worker of the sign-up's opportunity while the sign-up opens the person's notes
    (the one rule: `opportunities.selectors.lead_access_q`; lists annotate it, no query)."""
    from opportunities.selectors import signup_opens_lead_access

    if signup is None or signup.opportunity.lead_worker_id != user.pk:
        return False
    return signup_opens_lead_access(signup=signup)


# A participant's contact details and notes on the participants pages: their named worker,
# and the lead worker while the sign-up is active or recent. Other workers see names and
# states; managers never see them (PRODUCT.md, roles).
can_view_participant_details = is_worker & (
    is_named_worker_of_participant | leads_participant_with_access_open
)


@rules.predicate
def leads_an_opportunity_of(user: Anyone, person: User | None) -> bool:
    """The worker leads an opportunity this person is active on, or took part in recently:
    the rule (and its time limit) is `opportunities.selectors.lead_access_q`. A withdrawn or
    cancelled sign-up opens nothing, and the access ends after LEAD_ACCESS_DAYS_AFTER."""
    from opportunities.selectors import lead_access_opened_by

    return person is not None and lead_access_opened_by(worker=user, person_id=person.pk)


# A worker sees the people on their caseload and the people signed up to opportunities they
# lead (PRODUCT.md, roles). These are accounts' permissions, composed here because only this
# app knows who leads what; accounts asks for them by name (accounts.permissions).
can_view_person = is_worker & (is_named_worker_of | leads_an_opportunity_of)
# Special-category data: never managers or administrators as such (PRODUCT.md, roles).
can_view_support_note = is_self | can_view_person

rules.add_perm("accounts.view_person", can_view_person)
rules.add_perm("accounts.view_support_note", can_view_support_note)
rules.add_perm("opportunities.view_opportunity", can_view_opportunity)
rules.add_perm("opportunities.lead", can_lead)
rules.add_perm("opportunities.change_lead", can_change_lead)
rules.add_perm("opportunities.view_history", can_view_history)
rules.add_perm("opportunities.view_participant_details", can_view_participant_details)
rules.add_perm("opportunities.manage_opportunity", can_manage_opportunity)
rules.add_perm("opportunities.message_participants", can_message_participants)
rules.add_perm("opportunities.view_register", can_view_register)
rules.add_perm("opportunities.sign_up", is_representative)


@rules.predicate
def person_is_representative(user: Anyone, person: User | None) -> bool:
    return person is not None and is_representative(person)


# Acting for a person (assisted digital, issue 13 item 4: signing them up, withdrawing,
# accepting an offer on their behalf): a worker who may see them, and never for staff.
can_act_for_person = can_view_person & person_is_representative
rules.add_perm("opportunities.act_for_person", can_act_for_person)


@rules.predicate
def has_place_on(user: Anyone, opportunity: Opportunity | None) -> bool:
    """A confirmed place (or one attended): what opens the preparation pack to a person."""
    return (
        opportunity is not None
        and user.is_authenticated
        and SignUp.objects.filter(
            opportunity=opportunity,
            person_id=user.pk,
            state__in=PARTICIPANT_GROUP_STATES[ParticipantGroup.CONFIRMED],
        ).exists()
    )


# The preparation pack: the people with a place, and the workers who manage the activity.
rules.add_perm("opportunities.view_pack", is_worker | has_place_on)
# Recording a person's training: a worker who may see them (their named worker, or the lead
# worker of an activity of theirs), for a representative. Everyone who attended a training
# activity is recorded from its participants page by any worker who manages it.
rules.add_perm("opportunities.record_training", can_view_person & person_is_representative)


def get_opportunity_for_viewer(user: Anyone, opportunity_id: int) -> Opportunity:
    from opportunities.selectors import opportunity_get

    opportunity = opportunity_get(opportunity_id=opportunity_id)
    if opportunity is None or not user.has_perm("opportunities.view_opportunity", opportunity):
        raise Http404("No such opportunity")  # pragma: no mutate: templates/404.html never shows the text
    return opportunity


def get_opportunity_for_manager(user: Anyone, opportunity_id: int) -> Opportunity:
    """The opportunity, for someone who may manage it: a 404 if they may not see it, a 403
    if they may see it but not change it."""
    opportunity = get_opportunity_for_viewer(user, opportunity_id)
    if not user.has_perm("opportunities.manage_opportunity", opportunity):
        raise PermissionDenied
    return opportunity
