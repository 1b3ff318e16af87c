"""What the pages offer is what the services allow: the presenters read the services' own
tables, so for every state each action a page shows succeeds, and each it hides is refused.
Then the pages themselves, and a check that no template or view lists states by hand."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Opportunity, SignUp
from opportunities.presenters import opportunity_page, participants_page, your_signup
from opportunities.services import (
    OpportunityError,
    attendance_record,
    opportunity_cancel,
    opportunity_close,
    opportunity_complete,
    opportunity_publish,
    opportunity_save,
    signup_accept,
    signup_cancel,
    signup_decline,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.services.sessions import SessionData
from opportunities.services.states import HOLDS_PLACE
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
Status = Opportunity.Status


class Undo(Exception):
    """Raised to roll a trial call back once it has succeeded."""


def allowed(call) -> bool:
    """Does the service allow it? Tried, then rolled back either way."""
    try:
        with transaction.atomic():
            call()
            raise Undo
    except OpportunityError:
        return False
    except Undo:
        return True


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def signup_in(state: str, *, status: str = Status.PUBLISHED) -> SignUp:
    """A sign-up in `state` on a first-come opportunity in `status` with places to spare,
    whose one session has started."""
    start = timezone.now() - timedelta(hours=1)
    opportunity = OpportunityFactory(
        places=3,
        sessions=[(start, start + timedelta(hours=2))],
        signup_deadline=start - timedelta(days=1),
    )
    fields: dict = {}
    if state in HOLDS_PLACE:
        fields["place_number"] = 1
    if state == State.WAITLISTED:
        fields["waitlist_position"] = 1
    if state == State.OFFERED:
        fields["offer_expires_at"] = timezone.now() + timedelta(hours=48)
    signup = SignUp.objects.create(opportunity=opportunity, person=rep(), state=state, **fields)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        status=status, places_taken=int(state in HOLDS_PLACE), waitlist_length=int(state == State.WAITLISTED)
    )
    signup.refresh_from_db()
    signup.opportunity.refresh_from_db()
    return signup


STATES_AND_STATUSES = [
    pytest.param(state, status, id=f"{state}:{status}")
    for state in State.values
    for status in [Status.PUBLISHED, Status.CLOSED, Status.COMPLETED, Status.CANCELLED]
]


@pytest.mark.parametrize("state,status", STATES_AND_STATUSES)
def test_a_person_is_offered_exactly_the_actions_the_services_allow(state, status):
    signup = signup_in(state, status=status)
    someone, opportunity = signup.person, signup.opportunity
    yours = your_signup(user=someone, opportunity=opportunity, signup=signup)

    may_accept = allowed(lambda: signup_accept(signup=signup, person=someone))
    may_decline = allowed(lambda: signup_decline(signup=signup, person=someone))
    may_withdraw = allowed(lambda: signup_withdraw(signup=signup, person=someone))
    assert yours.can_answer_offer == may_accept == may_decline
    # Someone with an offer answers it rather than withdrawing; everyone else who may
    # withdraw is offered it.
    assert yours.can_withdraw == (may_withdraw and not may_decline)
    assert yours.has_place == (state not in {State.WITHDRAWN, State.DECLINED})


@pytest.mark.parametrize("state,status", STATES_AND_STATUSES)
def test_a_worker_is_offered_exactly_the_actions_the_services_allow(state, status, worker):
    signup = signup_in(state, status=status)
    opportunity = signup.opportunity
    row = participants_page(user=worker, opportunity=opportunity, signups=[signup]).rows[0]

    assert row.can_offer == allowed(lambda: signup_offer_by_hand(signup=signup, by=worker))
    assert row.can_cancel == allowed(lambda: signup_cancel(signup=signup, by=worker, reason="Unwell."))
    session = opportunity.sessions.get()
    assert row.takes_attendance == allowed(
        lambda: attendance_record(signup=signup, session=session, attended=True, by=worker)
    )


def publish(opportunity):
    opportunity_publish(opportunity=opportunity, by=opportunity.lead_worker)


def close(opportunity):
    opportunity_close(opportunity=opportunity, by=opportunity.lead_worker)


def complete(opportunity):
    with time_machine.travel(opportunity.ends_at + timedelta(hours=1)):
        opportunity_complete(opportunity=opportunity, by=opportunity.lead_worker)


def cancel(opportunity):
    opportunity_cancel(opportunity=opportunity, by=opportunity.lead_worker, reason="The room is closed.")


def edit(opportunity):
    sessions = [
        SessionData(starts_at=s.starts_at, ends_at=s.ends_at, id=s.pk) for s in opportunity.sessions.all()
    ]
    opportunity.title = "A new title"
    opportunity_save(opportunity=opportunity, sessions=sessions, by=opportunity.lead_worker)


@pytest.mark.parametrize("status", Status.values)
def test_the_opportunity_page_offers_exactly_the_changes_the_services_allow(status):
    opportunity = OpportunityFactory(status=status)
    page = opportunity_page(opportunity=opportunity)
    assert page.can_publish == allowed(lambda: publish(Opportunity.objects.get(pk=opportunity.pk)))
    assert page.can_close == allowed(lambda: close(Opportunity.objects.get(pk=opportunity.pk)))
    assert page.can_complete == allowed(lambda: complete(Opportunity.objects.get(pk=opportunity.pk)))
    assert page.can_cancel == allowed(lambda: cancel(Opportunity.objects.get(pk=opportunity.pk)))
    assert page.can_edit == allowed(lambda: edit(Opportunity.objects.get(pk=opportunity.pk)))


# --- the pages --------------------------------------------------------------------------------


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_finished_activity_offers_no_withdrawal_to_someone_who_had_a_place(client):
    """The service refuses any change once it has finished; the page used to offer the
    button anyway, listing the states by hand."""
    signup = signup_in(State.CONFIRMED, status=Status.COMPLETED)
    client.force_login(signup.person)
    page = text(client.get(reverse("opportunities:detail", args=[signup.opportunity_id])))
    assert "This activity has finished." in page
    assert "Your place" in page
    assert reverse("opportunities:withdraw", args=[signup.opportunity_id]) not in page


def test_a_running_activity_offers_withdrawal_and_an_offer_its_answers(client):
    confirmed = signup_in(State.CONFIRMED)
    client.force_login(confirmed.person)
    page = text(client.get(reverse("opportunities:detail", args=[confirmed.opportunity_id])))
    assert reverse("opportunities:withdraw", args=[confirmed.opportunity_id]) in page

    offered = signup_in(State.OFFERED)
    client.force_login(offered.person)
    page = text(client.get(reverse("opportunities:detail", args=[offered.opportunity_id])))
    assert reverse("opportunities:accept", args=[offered.opportunity_id]) in page
    assert reverse("opportunities:decline", args=[offered.opportunity_id]) in page
    assert reverse("opportunities:withdraw", args=[offered.opportunity_id]) not in page


def test_a_finished_activity_offers_no_place_by_hand(client, worker):
    """Offering a place by hand is refused once an opportunity has finished; the participants
    page used to offer the link to everyone not selected."""
    signup = signup_in(State.NOT_SELECTED, status=Status.COMPLETED)
    client.force_login(worker)
    page = text(client.get(reverse("opportunities:participants", args=[signup.opportunity_id])))
    assert "Not selected" in page
    assert reverse("opportunities:offer_place", args=[signup.opportunity_id, signup.pk]) not in page

    running = signup_in(State.NOT_SELECTED)
    page = text(client.get(reverse("opportunities:participants", args=[running.opportunity_id])))
    assert reverse("opportunities:offer_place", args=[running.opportunity_id, running.pk]) in page


def test_the_manage_panel_follows_the_status(client, worker):
    draft = OpportunityFactory(status=Status.DRAFT, lead_worker=worker)
    closed = OpportunityFactory(status=Status.CLOSED, lead_worker=worker)
    completed = OpportunityFactory(status=Status.COMPLETED, lead_worker=worker)
    client.force_login(worker)
    page = text(client.get(reverse("opportunities:detail", args=[draft.pk])))
    assert ">Publish</button>" in page and "Close sign-ups" not in page
    page = text(client.get(reverse("opportunities:detail", args=[closed.pk])))
    assert ">Open sign-ups again</button>" in page and "Sign-ups are closed." in page
    assert "Mark as completed" in page
    page = text(client.get(reverse("opportunities:detail", args=[completed.pk])))
    assert "Write the outcome" in page
    assert reverse("opportunities:edit", args=[completed.pk]) not in page
    assert reverse("opportunities:cancel", args=[completed.pk]) not in page


# --- no state lists by hand -------------------------------------------------------------------

STATE_COMPARISON = re.compile(r"\.(state|status)\s*(==|!=|in\b|not in\b)")


def test_no_template_compares_a_state_or_a_status():
    """Templates ask the presenters (or a model's own property) what may be done; none
    compares a state or a status by hand, where it would drift from the services' tables."""
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STATE_COMPARISON.search(line)
    ]
    assert offending == []


def test_the_opportunity_views_compare_no_state_and_query_no_model_directly():
    views = Path(settings.BASE_DIR, "opportunities", "views")
    sources = sorted(views.rglob("*.py")) if views.is_dir() else [views.with_suffix(".py")]
    offending = [
        f"{path.name}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STATE_COMPARISON.search(line) or re.search(r"\b[A-Z]\w+\.objects\b", line)
    ]
    assert offending == []
