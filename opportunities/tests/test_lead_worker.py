"""Who leads an opportunity, and what being lead opens (issue 9, item 2).

Being lead worker opens the participants' notes, so nobody may make themselves lead of
another worker's opportunity: the lead hands it over, or a manager reassigns it, and each
change is in the opportunity's history with both workers told. The notes it opens stay open
only while a sign-up is active, or for LEAD_ACCESS_DAYS_AFTER days after the activity once
the person attended (or did not); contact details on the participants page are for the
lead worker and each person's named worker."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, OpportunityEvent, SignUp
from opportunities.selectors import lead_access_opened_by
from opportunities.services import (
    OpportunityError,
    SessionData,
    opportunity_change_lead,
    opportunity_duplicate,
    opportunity_save,
    signup_cancel,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_forms import (
    days_ahead,
    error_by,
    management,
    new_opportunity_post,
    opportunity_fields,
    session_fields,
)

pytestmark = pytest.mark.django_db

State = SignUp.State
ACTIVE = [State.APPLIED, State.WAITLISTED, State.OFFERED, State.CONFIRMED]
STEPPED_AWAY = [State.WITHDRAWN, State.DECLINED, State.CANCELLED, State.NOT_SELECTED]
TOOK_PART = [State.ATTENDED, State.NO_SHOW]


def lead_messages():
    return Message.objects.filter(kind=Kind.LEAD_WORKER_CHANGED)


def edit_post(opportunity: Opportunity, *, lead_worker) -> dict:
    """The edit form as it comes back for `opportunity`, with the lead worker chosen."""
    session = opportunity.sessions.get()
    return {
        **opportunity_fields(
            lead_worker=lead_worker,
            activity_type=opportunity.activity_type,
            team=opportunity.team,
            title=opportunity.title,
        ),
        **management(1, initial=1),
        **session_fields(0, days_ahead(20), "10:00", "12:00", id=str(session.pk)),
    }


def edit(client, opportunity, *, lead_worker):
    return client.post(
        reverse("opportunities:edit", args=[opportunity.pk]), edit_post(opportunity, lead_worker=lead_worker)
    )


# --- who may change the lead worker --------------------------------------------------------


def test_a_worker_who_is_not_lead_cannot_make_themselves_lead_in_the_edit_form(client, worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(other_worker)
    response = edit(client, opportunity, lead_worker=other_worker)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only the lead worker or a manager can change the lead worker." in error_by(page, "id_lead_worker")
    assert "There is a problem" in page
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == worker
    assert not OpportunityEvent.objects.exists() and not lead_messages().exists()


def test_a_worker_who_is_not_lead_may_still_edit_the_rest(client, worker, other_worker):
    # Workers cover for each other (opportunities.permissions): only the lead is theirs.
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(other_worker)
    response = edit(client, opportunity, lead_worker=worker)
    assert response.status_code == 302
    assert not OpportunityEvent.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_worker_who_is_not_lead_is_refused_the_change_lead_page(client, worker, other_worker, method):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(other_worker)
    address = reverse("opportunities:change_lead", args=[opportunity.pk])
    data = {"lead_worker": other_worker.pk} if method == "post" else None
    assert getattr(client, method)(address, data).status_code == 403
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == worker and not lead_messages().exists()


def test_the_service_refuses_a_worker_who_is_not_lead(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    with pytest.raises(OpportunityError) as refused:
        opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=other_worker)
    assert refused.value.field == "lead_worker"
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == worker


def test_the_lead_hands_over_in_the_edit_form_recorded_and_both_told(client, worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(worker)
    assert edit(client, opportunity, lead_worker=other_worker).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == other_worker
    event = OpportunityEvent.objects.get()
    assert (event.opportunity, event.kind, event.actor, event.previous_lead, event.new_lead) == (
        opportunity,
        OpportunityEvent.Kind.LEAD_CHANGED,
        worker,
        worker,
        other_worker,
    )
    told = {message.recipient: message for message in lead_messages()}
    assert set(told) == {worker, other_worker}
    assert told[other_worker].subject == f"You now lead {opportunity.title}"
    assert told[worker].subject == f"You no longer lead {opportunity.title}"
    assert "You have handed" in told[worker].body_text


def test_the_lead_hands_over_on_the_change_lead_page_with_a_reason(client, worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(worker)
    address = reverse("opportunities:change_lead", args=[opportunity.pk])
    assert client.get(address).status_code == 200
    response = client.post(address, {"lead_worker": other_worker.pk, "reason": "I am on leave from May."})
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == other_worker
    assert OpportunityEvent.objects.get().reason == "I am on leave from May."
    assert lead_messages().count() == 2
    assert all("I am on leave from May." in message.body_text for message in lead_messages())


def test_a_manager_changes_the_lead_and_both_workers_are_told(client, worker, other_worker, manager):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(manager)
    detail = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    address = reverse("opportunities:change_lead", args=[opportunity.pk])
    assert address in detail
    assert client.post(address, {"lead_worker": other_worker.pk}).status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == other_worker
    assert OpportunityEvent.objects.get().actor == manager
    assert sorted(m.recipient.pk for m in lead_messages()) == sorted([worker.pk, other_worker.pk])
    assert all("Maya Manager has made" in m.body_text for m in lead_messages())


def test_the_new_lead_may_then_hand_it_on_and_the_old_one_no_longer_may(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=worker)
    with pytest.raises(OpportunityError):
        opportunity_change_lead(opportunity=opportunity, lead_worker=worker, by=worker)
    opportunity_change_lead(opportunity=opportunity, lead_worker=worker, by=other_worker)
    assert OpportunityEvent.objects.count() == 2
    # Each change tells both workers once: four messages, every key different.
    assert lead_messages().count() == 4
    assert len(set(lead_messages().values_list("dedupe_key", flat=True))) == 4


@pytest.mark.parametrize("who", ["representative", "administrator", "outsider"])
def test_nobody_else_may_change_the_lead(client, request, worker, who):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(request.getfixturevalue(who))
    address = reverse("opportunities:change_lead", args=[opportunity.pk])
    assert client.get(address).status_code == 403
    assert client.post(address, {"lead_worker": worker.pk}).status_code == 403


def test_visitors_are_sent_to_log_in_from_the_change_lead_page(client, worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    response = client.get(reverse("opportunities:change_lead", args=[opportunity.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_change_lead_page_answers_bad_input_by_the_field(client, worker, manager, representative):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(manager)
    address = reverse("opportunities:change_lead", args=[opportunity.pk])
    for bad, message in [
        ({}, "Select the new lead worker"),
        ({"lead_worker": representative.pk}, "Select an involvement worker from the list"),
        ({"lead_worker": "99999999999999999999"}, "Select an involvement worker from the list"),
        ({"lead_worker": worker.pk}, "already leads this opportunity"),
    ]:
        response = client.post(address, {**bad, "reason": "Kept as typed"})
        assert response.status_code == 200
        page = response.content.decode()
        assert message in error_by(page, "id_lead_worker"), bad
        assert "Kept as typed" in page
    too_long = client.post(address, {"lead_worker": str(worker.pk), "reason": "x" * 301}).content.decode()
    assert "300 characters or fewer" in error_by(too_long, "id_reason")
    opportunity.refresh_from_db()
    assert opportunity.lead_worker == worker and not OpportunityEvent.objects.exists()


def test_the_history_is_shown_to_staff_and_not_to_representatives(
    client, worker, other_worker, manager, representative
):
    opportunity = OpportunityFactory(lead_worker=worker)
    opportunity_change_lead(opportunity=opportunity, lead_worker=other_worker, by=worker, reason="Leave")
    address = reverse("opportunities:detail", args=[opportunity.pk])
    for staff in [worker, other_worker, manager]:
        client.force_login(staff)
        page = client.get(address).content.decode()
        assert "Lead worker and history" in page
        assert "Wendy Worker made Otto Other the lead worker, taking over from Wendy Worker." in page
    client.force_login(representative)
    assert "Lead worker and history" not in client.get(address).content.decode()
    client.logout()
    assert "Lead worker and history" not in client.get(address).content.decode()


# --- on creation ---------------------------------------------------------------------------


def test_whoever_creates_an_opportunity_leads_it_by_default(client, worker):
    client.force_login(worker)
    form_page = client.get(reverse("opportunities:create")).content.decode()
    assert f'<option value="{worker.pk}" selected>' in form_page
    assert client.post(reverse("opportunities:create"), new_opportunity_post(worker)).status_code == 302
    assert Opportunity.objects.get().lead_worker == worker
    assert not OpportunityEvent.objects.exists() and not lead_messages().exists()


def test_a_worker_may_create_one_for_another_worker_to_lead_who_is_told(client, worker, other_worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, lead_worker=str(other_worker.pk))
    assert client.post(reverse("opportunities:create"), data).status_code == 302
    opportunity = Opportunity.objects.get()
    assert opportunity.lead_worker == other_worker
    event = OpportunityEvent.objects.get()
    assert (event.actor, event.previous_lead, event.new_lead) == (worker, None, other_worker)
    assert [m.recipient for m in lead_messages()] == [other_worker]


def test_only_a_worker_may_lead(worker, representative):
    opportunity = OpportunityFactory.build(lead_worker=representative)
    starts = timezone.now() + timedelta(days=20)
    session = SessionData(starts_at=starts, ends_at=starts + timedelta(hours=2))
    with pytest.raises(OpportunityError, match="Choose an involvement worker"):
        opportunity_save(opportunity=opportunity, sessions=[session], by=worker)
    assert not Opportunity.objects.filter(lead_worker=representative).exists()


def test_a_copy_is_led_by_whoever_made_it(worker, other_worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    assert opportunity_duplicate(opportunity=opportunity, by=other_worker).lead_worker == other_worker


# --- how long being lead opens a person's notes ---------------------------------------------


def signed_up(lead, someone, state, *, ended_days_ago: int | None = None) -> SignUp:
    """A sign-up in `state` on an opportunity led by `lead`; with `ended_days_ago`, its one
    session ended that many days ago."""
    spans = None
    if ended_days_ago is not None:
        end = timezone.now() - timedelta(days=ended_days_ago)
        spans = [(end - timedelta(hours=2), end)]
    opportunity = OpportunityFactory(lead_worker=lead, sessions=spans)
    return SignUp.objects.create(opportunity=opportunity, person=someone, state=state)


@override_settings(LEAD_ACCESS_DAYS_AFTER=10)
def test_the_period_after_the_activity_is_a_setting(other_worker, outsider):
    assert lead_access_opened_by(
        worker=other_worker,
        person_id=signed_up(other_worker, outsider, State.ATTENDED, ended_days_ago=9).person_id,
    )
    SignUp.objects.all().delete()
    signed_up(other_worker, outsider, State.ATTENDED, ended_days_ago=11)
    assert not lead_access_opened_by(worker=other_worker, person_id=outsider.pk)


def test_withdrawing_closes_the_notes_page_and_the_participant_note(client, other_worker, outsider):
    opportunity = OpportunityFactory(lead_worker=other_worker)
    signup = signup_create(opportunity=opportunity, person=outsider, note="A quiet room, please.")
    client.force_login(other_worker)
    note = reverse("opportunities:participant_note", args=[opportunity.pk, signup.pk])
    support_note = reverse("worker:support_note", args=[outsider.pk])
    assert client.get(note).status_code == 200
    assert "Olive&#x27;s private note" in client.get(support_note).content.decode()
    signup_withdraw(signup=signup, person=outsider)
    assert client.get(note).status_code == 404
    assert client.get(support_note).status_code == 404
    assert client.get(reverse("worker:person", args=[outsider.pk])).status_code == 404


def test_a_cancelled_place_closes_the_notes(client, worker, other_worker, outsider):
    opportunity = OpportunityFactory(lead_worker=other_worker)
    signup = signup_create(opportunity=opportunity, person=outsider)
    signup_cancel(signup=signup, by=worker, reason="The panel is full.")
    client.force_login(other_worker)
    assert client.get(reverse("worker:support_note", args=[outsider.pk])).status_code == 404
    assert (
        client.get(reverse("opportunities:participant_note", args=[opportunity.pk, signup.pk])).status_code
        == 404
    )
    # Nothing read; since issue 16 the refusal itself is written down.
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.DENIED).exists()


def test_the_named_worker_keeps_access_whatever_the_sign_up(client, worker, other_worker, representative):
    # The time limit is on being lead; the named worker's caseload access is not affected.
    signup = signed_up(other_worker, representative, State.WITHDRAWN)
    assert worker.has_perm("accounts.view_support_note", representative)
    assert worker.has_perm("opportunities.view_participant_details", signup)
    assert not other_worker.has_perm("opportunities.view_participant_details", signup)


# --- contact details on the participants page ----------------------------------------------


@pytest.fixture
def panel(other_worker, representative):
    """Led by `other_worker`; the representative (whose named worker is `worker`) has a
    confirmed place."""
    opportunity = OpportunityFactory(lead_worker=other_worker)
    representative.profile.phone = "07700 900123"
    representative.profile.save()
    signup_create(opportunity=opportunity, person=representative, note="A quiet room, please.")
    return opportunity


def participants_page(client, viewer, opportunity):
    client.force_login(viewer)
    return client.get(reverse("opportunities:participants", args=[opportunity.pk]))


def test_the_lead_worker_sees_contact_details(client, other_worker, representative, panel):
    page = participants_page(client, other_worker, panel).content.decode()
    assert representative.email in page and "07700 900123" in page and "Read notes" in page


def test_the_named_worker_sees_contact_details(client, worker, representative, panel):
    page = participants_page(client, worker, panel).content.decode()
    assert representative.email in page and "07700 900123" in page and "Read notes" in page


def test_another_worker_sees_names_and_states_only(client, representative, panel):
    third = person(roles=[Role.WORKER], display_name="Tess Third")
    page = participants_page(client, third, panel).content.decode()
    assert "Robin" in page and "Confirmed" in page
    assert representative.email not in page and "07700 900123" not in page
    assert "Read notes" not in page


def test_the_lead_no_longer_sees_contact_details_after_withdrawal(
    client, other_worker, representative, panel
):
    signup_withdraw(signup=panel.signups.get(), person=representative)
    page = participants_page(client, other_worker, panel).content.decode()
    assert "Robin" in page and representative.email not in page and "07700 900123" not in page


def test_a_manager_sees_neither_the_participants_page_nor_any_contact(client, manager, representative, panel):
    assert participants_page(client, manager, panel).status_code == 403
    signup = panel.signups.get()
    assert (
        client.get(reverse("opportunities:participant_note", args=[panel.pk, signup.pk])).status_code == 403
    )
    assert (
        representative.email
        not in client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    )


@pytest.mark.parametrize("rows", [5, 40], ids=["few", "many"])
def test_the_participants_page_stays_bounded_for_lead_and_other_workers(
    client, worker, other_worker, rows, django_assert_max_num_queries
):
    """Rows in every kind of access: on `worker`'s caseload, active, withdrawn, attended long
    ago. Whoever looks, the page asks the same number of queries."""
    end = timezone.now() - timedelta(days=120)
    opportunity = OpportunityFactory(
        lead_worker=other_worker, places=rows, sessions=[(end - timedelta(hours=2), end)]
    )
    for number in range(rows):
        someone = person(roles=[Role.REPRESENTATIVE], named_worker=worker if number % 3 == 0 else None)
        state = [State.CONFIRMED, State.WITHDRAWN, State.ATTENDED][number % 3]
        SignUp.objects.create(opportunity=opportunity, person=someone, state=state, note="A quiet room.")
    address = reverse("opportunities:participants", args=[opportunity.pk])
    for viewer in [other_worker, worker]:
        client.force_login(viewer)
        client.get(address)
        with django_assert_max_num_queries(14):
            response = client.get(address)
        assert len(response.context["signups"]) == rows
