"""What may happen when (issue 9, items 7 to 10): attendance and completion only once things
have happened, fair-share places only after the deadline and never handed out of turn
without a reason, changes of time or place told to everyone signed up, and the
representative's own actions asked about before they are taken."""

import html
import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from involvement.templatetags.nhs_dates import nhs_datetime, nhs_session
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Attendance, Opportunity, SelectionDraw, SelectionMethod, SignUp
from opportunities.services import (
    OpportunityError,
    SessionData,
    attendance_record,
    opportunity_complete,
    opportunity_save,
    reminders_send,
    selection_preview,
    selection_run,
    signup_create,
    signup_offer_by_hand,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
State = SignUp.State
Status = Opportunity.Status


def rep(name: str = "", **profile):
    return person(roles=[Role.REPRESENTATIVE], display_name=name or "A representative", **profile)


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def text(page) -> str:
    content = page.content.decode() if hasattr(page, "content") else page
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)))


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """An aware datetime `days` from today at a round local time, as the form saves it."""
    return timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, minute))
    )


def error_by(page: str, field_id: str) -> str:
    """The NHS.UK error message shown with one field ('' when there is none)."""
    start = page.find(f'id="{field_id}-error"')
    if start == -1:
        return ""
    end = page.find("</span>\n", start)
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:end].split(">", 1)[1])).strip()


ROLES = ["lead", "other_worker", "representative", "manager", "anonymous"]


def log_in_as(client, request, role: str, lead):
    if role == "lead":
        client.force_login(lead)
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def sent_to_log_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- 7. attendance and completion ----------------------------------------------------------


@pytest.fixture
def half_done(worker, representative):
    """A published opportunity whose first session took place yesterday and whose second
    is next week; the representative has a confirmed place."""
    now = timezone.now()
    opportunity = OpportunityFactory(
        lead_worker=worker,
        sessions=[
            (now - timedelta(days=1, hours=2), now - timedelta(days=1)),
            (now + timedelta(days=7), now + timedelta(days=7, hours=2)),
        ],
    )
    signup = signup_create(opportunity=opportunity, person=representative)
    Opportunity.objects.filter(pk=opportunity.pk).update(signup_deadline=now - timedelta(days=2))
    past, future = opportunity.sessions.order_by("starts_at")
    return {"opportunity": refreshed(opportunity), "signup": signup, "past": past, "future": future}


def test_it_refuses_attendance_for_a_session_that_has_not_started(half_done, worker):
    with pytest.raises(OpportunityError, match="only once the session has started"):
        attendance_record(signup=half_done["signup"], session=half_done["future"], attended=True, by=worker)
    assert not Attendance.objects.exists()
    assert refreshed(half_done["signup"]).state == State.CONFIRMED


def test_it_records_attendance_for_a_session_that_has_started(half_done, worker):
    attendance_record(signup=half_done["signup"], session=half_done["past"], attended=True, by=worker)
    assert refreshed(half_done["signup"]).state == State.ATTENDED


def test_the_participants_page_offers_attendance_only_for_sessions_that_have_started(
    client, half_done, worker
):
    client.force_login(worker)
    page = client.get(reverse("opportunities:participants", args=[half_done["opportunity"].pk]))
    content = page.content.decode()
    assert f'name="session" value="{half_done["past"].pk}"' in content
    assert f'name="session" value="{half_done["future"].pk}"' not in content
    assert "You can record attendance once this session has started." in content


def test_posting_attendance_for_a_future_session_is_refused_with_a_message(client, half_done, worker):
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:attendance", args=[half_done["opportunity"].pk]),
        {"session": half_done["future"].pk, f"attended-{half_done['signup'].pk}": "yes"},
        follow=True,
    )
    assert "Attendance can be recorded only once the session has started" in text(response)
    assert not Attendance.objects.exists()


def test_it_refuses_to_complete_before_the_last_session_has_ended(half_done, worker):
    with pytest.raises(OpportunityError, match="only after its last session has ended"):
        opportunity_complete(opportunity=half_done["opportunity"], by=worker)
    assert refreshed(half_done["opportunity"]).status == Status.PUBLISHED


@pytest.mark.parametrize(
    "role,expected", list(zip(ROLES, [200, 200, 403, 403, "login"], strict=True)), ids=ROLES
)
def test_the_completion_page_is_for_workers(client, request, half_done, worker, role, expected):
    log_in_as(client, request, role, worker)
    response = client.get(reverse("opportunities:complete", args=[half_done["opportunity"].pk]))
    assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    response = client.post(reverse("opportunities:complete", args=[half_done["opportunity"].pk]))
    if expected != 200:
        assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    assert refreshed(half_done["opportunity"]).status == Status.PUBLISHED


def test_the_completion_page_of_a_draft_is_hidden_from_a_representative(client, outsider, worker):
    draft = OpportunityFactory(lead_worker=worker, status=Status.DRAFT)
    client.force_login(outsider)
    assert client.get(reverse("opportunities:complete", args=[draft.pk])).status_code == 404


def test_before_the_end_the_completion_page_says_when_and_offers_no_button(client, half_done, worker):
    client.force_login(worker)
    page = text(client.get(reverse("opportunities:complete", args=[half_done["opportunity"].pk])))
    when = nhs_datetime(half_done["future"].ends_at)
    assert f"It can be marked completed only after its last session has ended, on {when}." in page
    assert "Mark as completed" not in page.replace("Mark " + half_done["opportunity"].title, "")


def test_completing_asks_first_then_leads_to_the_outcome(client, worker, representative, outsider):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=outsider)
    session = opportunity.sessions.get()
    with time_machine.travel(session.ends_at + timedelta(minutes=5)):
        client.force_login(worker)
        address = reverse("opportunities:complete", args=[opportunity.pk])
        page = text(client.get(address))
        assert "1 person still applied, waiting or offered a place will be told kindly" in page
        assert "next, you write what changed" in page
        assert "1 person still shows as confirmed" in page
        assert refreshed(opportunity).status == Status.PUBLISHED  # looking changes nothing

        response = client.post(address, {"confirm": "yes"})
        assert response["Location"] == reverse("feedback:outcome_edit", args=[opportunity.pk])
        outcome_page = text(client.get(response["Location"]))
    assert "Next: write what changed." in outcome_page
    assert refreshed(opportunity).status == Status.COMPLETED
    assert refreshed(waiting).state == State.NOT_SELECTED


def test_completing_too_early_by_post_is_refused_with_a_message(client, half_done, worker):
    client.force_login(worker)
    address = reverse("opportunities:complete", args=[half_done["opportunity"].pk])
    response = client.post(address, {"confirm": "yes"}, follow=True)
    assert "only after its last session has ended" in text(response)
    assert refreshed(half_done["opportunity"]).status == Status.PUBLISHED


def test_the_detail_and_participants_pages_link_to_the_completion_page(client, half_done, worker):
    client.force_login(worker)
    address = reverse("opportunities:complete", args=[half_done["opportunity"].pk])
    for name in ["detail", "participants"]:
        page = client.get(reverse(f"opportunities:{name}", args=[half_done["opportunity"].pk]))
        assert f'href="{address}"' in page.content.decode(), name
        assert f'action="{address}"' not in page.content.decode(), name


# --- 8. fair share: after the deadline, and no place out of turn without a reason -----------


@pytest.fixture
def fair(worker):
    """A fair-share opportunity with one place, deadline still ahead, and three applicants:
    Nia and Noor have never been involved; Ed attended something last month."""
    opportunity = OpportunityFactory(
        lead_worker=worker, places=1, selection_method=SelectionMethod.FAIR_SHARE
    )
    nia, noor, ed = rep("Nia"), rep("Noor"), rep("Ed")
    earlier = OpportunityFactory(
        sessions=[(timezone.now() - timedelta(days=30, hours=2), timezone.now() - timedelta(days=30))]
    )
    SignUp.objects.create(opportunity=earlier, person=ed, state=State.ATTENDED)
    signups = {
        p.profile.display_name: signup_create(opportunity=opportunity, person=p) for p in (nia, noor, ed)
    }
    return {"opportunity": opportunity, "signups": signups}


def after_deadline(opportunity):
    return time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1))


def test_the_selection_cannot_run_before_the_deadline(fair, worker):
    opportunity = fair["opportunity"]
    draw = selection_preview(opportunity=opportunity, by=worker)
    with pytest.raises(OpportunityError, match="only after the sign-up deadline"):
        selection_run(opportunity=opportunity, draw=draw, by=worker)
    assert set(opportunity.signups.values_list("state", flat=True)) == {State.APPLIED}
    assert refreshed(draw).confirmed_at is None
    with after_deadline(opportunity):
        assert len(selection_run(opportunity=opportunity, draw=draw, by=worker)) == 1


def test_a_preview_before_the_deadline_says_plainly_it_is_provisional(client, fair, worker):
    opportunity = fair["opportunity"]
    client.force_login(worker)
    participants_page = text(client.get(reverse("opportunities:participants", args=[opportunity.pk])))
    assert "places can be offered only after that" in participants_page
    response = client.post(reverse("opportunities:selection_start", args=[opportunity.pk]))
    preview = client.get(response["Location"])
    page = text(preview)
    assert "This is only provisional" in page
    assert "Places cannot be confirmed until the deadline has passed." in page
    assert "Would be offered a place" in page
    assert "Confirm and offer the places" not in page
    # Posting anyway (an old page, a crafted request) changes nothing and says why.
    draw = SelectionDraw.objects.get(opportunity=opportunity)
    response = client.post(reverse("opportunities:selection", args=[opportunity.pk, draw.pk]), follow=True)
    assert "Places can be offered only after the sign-up deadline" in text(response)
    assert set(opportunity.signups.values_list("state", flat=True)) == {State.APPLIED}


def test_after_the_deadline_the_selection_can_be_confirmed(client, fair, worker):
    opportunity = fair["opportunity"]
    with after_deadline(opportunity):
        client.force_login(worker)
        response = client.post(reverse("opportunities:selection_start", args=[opportunity.pk]))
        page = text(client.get(response["Location"]))
        assert "provisional" not in page.lower()
        assert "Confirm and offer the places" in page


def test_offering_by_hand_on_fair_share_needs_a_reason(fair, worker):
    ed = fair["signups"]["Ed"]
    with pytest.raises(OpportunityError, match="Give a reason") as refused:
        signup_offer_by_hand(signup=ed, by=worker, reason="  ")
    assert refused.value.field == "reason"
    assert refreshed(ed).state == State.APPLIED


def test_offering_by_hand_records_the_reason_and_who_was_passed_over(fair, worker):
    ed = signup_offer_by_hand(
        signup=fair["signups"]["Ed"], by=worker, reason="He is the only one who has used this ward"
    )
    assert ed.state == State.OFFERED
    event = ed.events.last()
    assert event.reason == (
        "Offered by hand, ahead of 2 people ranked higher: He is the only one who has used this ward"
    )
    assert event.actor == worker


@pytest.mark.parametrize(
    "role,expected", list(zip(ROLES, [200, 200, 403, 403, "login"], strict=True)), ids=ROLES
)
def test_the_offer_page_is_for_workers(client, request, fair, worker, role, expected):
    log_in_as(client, request, role, worker)
    ed = fair["signups"]["Ed"]
    address = reverse("opportunities:offer_place", args=[fair["opportunity"].pk, ed.pk])
    response = client.get(address)
    assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    if expected != 200:
        response = client.post(address, {"reason": "Because"})
        assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    assert refreshed(ed).state == State.APPLIED


def test_the_offer_page_shows_who_would_be_passed_over(client, fair, worker):
    client.force_login(worker)
    ed = fair["signups"]["Ed"]
    page = text(client.get(reverse("opportunities:offer_place", args=[fair["opportunity"].pk, ed.pk])))
    assert "2 people are ranked above Ed" in page
    assert "Nia: applied: never involved before" in page
    assert "Noor: applied: never involved before" in page
    # Nobody is above someone who has never been involved.
    nia = fair["signups"]["Nia"]
    page = text(client.get(reverse("opportunities:offer_place", args=[fair["opportunity"].pk, nia.pk])))
    assert "Nobody still waiting is ranked above Nia." in page


def test_the_offer_page_after_the_selection_shows_the_people_ahead_on_the_waiting_list(client, fair, worker):
    opportunity = fair["opportunity"]
    draw = selection_preview(opportunity=opportunity, by=worker)
    with after_deadline(opportunity):
        selection_run(opportunity=opportunity, draw=draw, by=worker)
        client.force_login(worker)
        last = opportunity.signups.get(state=State.WAITLISTED, waitlist_position=2)
        first = opportunity.signups.get(state=State.WAITLISTED, waitlist_position=1)
        page = text(client.get(reverse("opportunities:offer_place", args=[opportunity.pk, last.pk])))
    assert f"{first.person.profile.display_name}: number 1 on the waiting list" in page


def test_offering_without_a_reason_is_refused_by_the_field_and_changes_nothing(client, fair, worker):
    client.force_login(worker)
    ed = fair["signups"]["Ed"]
    response = client.post(
        reverse("opportunities:offer_place", args=[fair["opportunity"].pk, ed.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_reason") == "Error: Enter a reason for offering this place by hand"
    assert "<title>Error: " in page
    assert refreshed(ed).state == State.APPLIED
    assert not Message.objects.filter(recipient=ed.person, kind=Kind.PLACE_OFFERED).exists()


def test_a_reason_too_long_is_refused_by_the_field_and_kept(client, fair, worker):
    client.force_login(worker)
    ed = fair["signups"]["Ed"]
    typed = "Because " + "x" * 240
    response = client.post(
        reverse("opportunities:offer_place", args=[fair["opportunity"].pk, ed.pk]), {"reason": typed}
    )
    page = response.content.decode()
    assert "240 characters or fewer" in error_by(page, "id_reason")
    assert typed in page
    assert refreshed(ed).state == State.APPLIED


def test_an_offer_by_hand_with_a_reason_is_made_and_shown_in_the_history(client, fair, worker):
    client.force_login(worker)
    opportunity = fair["opportunity"]
    ed = fair["signups"]["Ed"]
    response = client.post(
        reverse("opportunities:offer_place", args=[opportunity.pk, ed.pk]),
        {"reason": "Knows the ward from the inside"},
    )
    assert response["Location"] == reverse("opportunities:participants", args=[opportunity.pk])
    assert refreshed(ed).state == State.OFFERED
    page = text(client.get(response["Location"]))
    assert "Offered by hand, ahead of 2 people ranked higher: Knows the ward from the inside" in page


def test_a_first_come_offer_by_hand_still_works_without_a_reason(client, worker, representative, outsider):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=outsider)
    waiting = signup_create(opportunity=opportunity, person=representative)
    Opportunity.objects.filter(pk=opportunity.pk).update(places=2)
    client.force_login(worker)
    response = client.post(reverse("opportunities:offer_place", args=[opportunity.pk, waiting.pk]), {})
    assert response.status_code == 302
    assert refreshed(waiting).state == State.OFFERED
    assert waiting.events.last().reason == "Offered by hand."


def test_the_participants_page_links_to_the_offer_page(client, fair, worker):
    client.force_login(worker)
    opportunity = fair["opportunity"]
    page = client.get(reverse("opportunities:participants", args=[opportunity.pk])).content.decode()
    address = reverse("opportunities:offer_place", args=[opportunity.pk, fair["signups"]["Ed"].pk])
    assert f'href="{address}"' in page


# --- 9. changes of time and place ----------------------------------------------------------


def details(opportunity) -> list[SessionData]:
    return [
        SessionData(
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            area=s.area,
            location=s.location,
            joining_link=s.joining_link,
            id=s.pk,
        )
        for s in opportunity.sessions.all()
    ]


def save(opportunity, sessions, *, by=None, **changes):
    opportunity = refreshed(opportunity)
    for name, value in changes.items():
        setattr(opportunity, name, value)
    return opportunity_save(opportunity=opportunity, sessions=sessions, by=by or opportunity.lead_worker)


def change_messages(user):
    return Message.objects.filter(recipient=user, dedupe_key__startswith="sessions:changed:")


@pytest.fixture
def running(worker):
    """A published first-come opportunity with one place, one session in ten days, and a
    person in each state: confirmed, waiting, and withdrawn."""
    opportunity = OpportunityFactory(lead_worker=worker, places=1, sessions=[(local(10, 14), local(10, 16))])
    people = {name: rep(name) for name in ("Confirmed", "Waiting", "Gone")}
    for someone in people.values():
        signup_create(opportunity=opportunity, person=someone)
    gone = opportunity.signups.get(person=people["Gone"])
    signup_withdraw(signup=gone, person=people["Gone"])
    return {"opportunity": opportunity, "people": people}


def test_moving_a_session_tells_everyone_with_an_active_sign_up_once_with_old_and_new(running):
    opportunity, people = running["opportunity"], running["people"]
    sessions = details(opportunity)
    before = nhs_session(sessions[0])
    sessions[0].starts_at, sessions[0].ends_at = local(11, 10), local(11, 12)
    sessions[0].area = "Civic Centre"
    save(opportunity, sessions)
    after = nhs_session(sessions[0])
    for name in ("Confirmed", "Waiting"):
        [message] = change_messages(people[name])
        assert message.kind == Kind.SIGNUP_UPDATE
        assert message.subject == f"The time or place has changed: {opportunity.title}"
        assert f"Was: {before}, Central Leeds" in message.body_text
        assert f"Now: {after}, Civic Centre" in message.body_text
    assert not change_messages(people["Gone"]).exists()
    # Saving the same again changes nothing, so tells nobody again.
    save(opportunity, details(opportunity))
    assert change_messages(people["Confirmed"]).count() == 1


def test_moving_a_session_back_and_forth_is_told_each_time(running):
    opportunity, confirmed = running["opportunity"], running["people"]["Confirmed"]
    original = details(opportunity)
    moved = details(opportunity)
    moved[0].starts_at, moved[0].ends_at = local(11, 10), local(11, 12)
    save(opportunity, moved)
    save(opportunity, original)
    save(opportunity, moved)
    bodies = [m.body_text for m in change_messages(confirmed).order_by("pk")]
    assert len(bodies) == 3
    assert f"Now: {nhs_session(moved[0])}" in bodies[2]


def test_an_edit_that_leaves_the_sessions_alone_tells_nobody(running):
    opportunity = running["opportunity"]
    save(opportunity, details(opportunity), title="A clearer title", places=2)
    assert not Message.objects.filter(dedupe_key__startswith="sessions:changed:").exists()


def test_a_new_address_or_joining_link_is_told_without_putting_it_in_the_message(running):
    opportunity, confirmed = running["opportunity"], running["people"]["Confirmed"]
    sessions = details(opportunity)
    sessions[0].location = "2 New Street, Leeds"
    sessions[0].joining_link = "https://meet.example/new"
    save(opportunity, sessions)
    [message] = change_messages(confirmed)
    assert "The address has changed." in message.body_text
    assert "The joining link has changed." in message.body_text
    # Like every other message, the address and link stay behind the log-in.
    assert "2 New Street" not in message.body_text and "meet.example" not in message.body_text


def test_added_and_removed_sessions_are_told(running):
    opportunity, confirmed = running["opportunity"], running["people"]["Confirmed"]
    old = details(opportunity)[0]
    new = SessionData(starts_at=local(12, 10), ends_at=local(12, 12), area="Online")
    save(opportunity, [new])
    [message] = change_messages(confirmed)
    assert f"This session no longer takes place: {nhs_session(old)}" in message.body_text
    assert f"A new session: {nhs_session(new)}, Online" in message.body_text


def test_changes_to_a_draft_tell_nobody(worker):
    draft = OpportunityFactory(lead_worker=worker, status=Status.DRAFT)
    sessions = details(draft)
    sessions[0].starts_at += timedelta(hours=1)
    save(draft, sessions)
    assert not Message.objects.exists()


def test_a_moved_session_gets_its_reminders_at_the_new_time_and_an_unmoved_one_not_twice(running):
    opportunity, confirmed = running["opportunity"], running["people"]["Confirmed"]
    start = opportunity.sessions.get().starts_at
    reminders = Message.objects.filter(recipient=confirmed, kind=Kind.REMINDER)
    with time_machine.travel(start - timedelta(hours=47)):
        assert reminders_send() == 1
        # An edit elsewhere leaves the session where it was: no second reminder.
        save(opportunity, details(opportunity), title="Renamed")
        assert reminders_send() == 0
        # Then the session is put back a day.
        sessions = details(opportunity)
        sessions[0].starts_at += timedelta(days=1)
        sessions[0].ends_at += timedelta(days=1)
        save(opportunity, sessions)
        assert reminders_send() == 0  # the new time is more than 48 hours away
    with time_machine.travel(start + timedelta(days=1) - timedelta(hours=47)):
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert reminders.count() == 2
    assert nhs_datetime(start + timedelta(days=1)) in reminders.order_by("pk").last().subject


def test_a_place_offer_states_the_session_dates(running):
    opportunity, people = running["opportunity"], running["people"]
    confirmed = opportunity.signups.get(person=people["Confirmed"])
    signup_withdraw(signup=confirmed, person=people["Confirmed"])
    [offer] = Message.objects.filter(recipient=people["Waiting"], kind=Kind.PLACE_OFFERED)
    session = opportunity.sessions.get()
    assert f"- {nhs_session(session)}, Central Leeds" in offer.content.body_text
    assert nhs_session(session) in offer.content.body_html


@pytest.fixture
def under_way(worker, representative):
    """A published opportunity whose first session took place two days ago (deadline before
    it) and whose second is in five days; the representative has a place."""
    opportunity = OpportunityFactory(
        lead_worker=worker, sessions=[(local(-2, 10), local(-2, 12)), (local(5, 14), local(5, 16))]
    )
    signup_create(opportunity=opportunity, person=representative)
    Opportunity.objects.filter(pk=opportunity.pk).update(signup_deadline=local(-3, 23, 59))
    return refreshed(opportunity)


def test_a_started_session_of_a_running_opportunity_cannot_be_changed_or_removed(under_way):
    sessions = details(under_way)
    sessions[0].area = "Somewhere else"
    with pytest.raises(OpportunityError, match="has already started, so it cannot be changed"):
        save(under_way, sessions)
    with pytest.raises(OpportunityError, match="has already started, so it cannot be removed"):
        save(under_way, details(under_way)[1:])
    assert under_way.sessions.count() == 2
    assert under_way.sessions.first().area == "Central Leeds"


def edit_post(opportunity, **overrides) -> dict:
    """What the edit page posts back for `opportunity` when only `overrides` change."""
    deadline = timezone.localtime(opportunity.signup_deadline).date()
    data = {
        "title": opportunity.title,
        "summary": opportunity.summary,
        "description": opportunity.description,
        "activity_type": str(opportunity.activity_type_id),
        "involvement_level": opportunity.involvement_level,
        "team": str(opportunity.team_id),
        "format": opportunity.format,
        "accessibility": opportunity.accessibility,
        "is_paid": "on",
        "payment": opportunity.payment,
        "places": str(opportunity.places),
        "selection_method": opportunity.selection_method,
        "lead_worker": str(opportunity.lead_worker_id),
        "signup_deadline_date_day": str(deadline.day),
        "signup_deadline_date_month": str(deadline.month),
        "signup_deadline_date_year": str(deadline.year),
    }
    sessions = list(opportunity.sessions.all())
    data.update(
        {
            "sessions-TOTAL_FORMS": str(len(sessions)),
            "sessions-INITIAL_FORMS": str(len(sessions)),
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
        }
    )
    for index, session in enumerate(sessions):
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        prefix = f"sessions-{index}-"
        data.update(
            {
                f"{prefix}id": str(session.pk),
                f"{prefix}date_day": str(starts.day),
                f"{prefix}date_month": str(starts.month),
                f"{prefix}date_year": str(starts.year),
                f"{prefix}start_time": f"{starts:%H:%M}",
                f"{prefix}end_time": f"{ends:%H:%M}",
                f"{prefix}area": session.area,
                f"{prefix}location": session.location,
                f"{prefix}joining_link": session.joining_link,
            }
        )
    data.update(overrides)
    return data


def test_the_rest_of_a_running_opportunity_can_still_be_edited(client, under_way, worker):
    client.force_login(worker)
    address = reverse("opportunities:edit", args=[under_way.pk])
    form_page = client.get(address).content.decode()
    assert "This session has already started, so it cannot be changed." in form_page
    before = [(s.starts_at, s.ends_at) for s in under_way.sessions.all()]
    response = client.post(address, edit_post(under_way, title="A clearer title"))
    assert response.status_code == 302, error_by(response.content.decode(), "id_title")
    under_way = refreshed(under_way)
    assert under_way.title == "A clearer title"
    assert [(s.starts_at, s.ends_at) for s in under_way.sessions.all()] == before
    assert under_way.signup_deadline == local(-3, 23, 59)  # a passed deadline stays as it was
    assert not Message.objects.filter(dedupe_key__startswith="sessions:changed:").exists()


@pytest.mark.parametrize(
    "field,value,label",
    [
        ("start_time", "09:00", "start time"),
        ("area", "Somewhere else", "area"),
        ("location", "3 Other Road", "address"),
    ],
)
def test_the_edit_form_refuses_a_change_to_a_started_session_by_the_field(
    client, under_way, worker, field, value, label
):
    client.force_login(worker)
    address = reverse("opportunities:edit", args=[under_way.pk])
    response = client.post(address, edit_post(under_way, **{f"sessions-0-{field}": value, "title": "Kept"}))
    assert response.status_code == 200
    page = response.content.decode()
    message = f"This session has already started, so its {label} cannot be changed"
    assert error_by(page, f"id_sessions-0-{field}") == f"Error: {message}"
    assert f"Session 1: {message}" in page
    assert 'value="Kept"' in page
    assert refreshed(under_way).title != "Kept"
    assert under_way.sessions.first().starts_at == local(-2, 10)


def test_the_edit_form_refuses_to_remove_a_started_session(client, under_way, worker):
    client.force_login(worker)
    address = reverse("opportunities:edit", args=[under_way.pk])
    response = client.post(address, edit_post(under_way, **{"sessions-0-DELETE": "on"}))
    assert response.status_code == 200
    assert "This session has already started, so it cannot be removed" in error_by(
        response.content.decode(), "id_sessions-0-DELETE"
    )
    assert under_way.sessions.count() == 2


def test_a_future_session_of_a_running_opportunity_can_be_moved_and_everyone_is_told(
    client, under_way, worker, representative
):
    client.force_login(worker)
    address = reverse("opportunities:edit", args=[under_way.pk])
    response = client.post(address, edit_post(under_way, **{"sessions-1-start_time": "13:00"}))
    assert response.status_code == 302
    assert under_way.sessions.last().starts_at == local(5, 13)
    [message] = change_messages(representative)
    assert "Now: " + nhs_session(under_way.sessions.last()) in message.body_text


# --- 10. the representative's own actions ask first ------------------------------------------


@pytest.fixture
def full(worker, representative, outsider):
    """One place: the representative holds it, the outsider waits for it."""
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    mine = signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=outsider)
    return {"opportunity": opportunity, "mine": mine, "waiting": waiting}


@pytest.fixture
def offered(worker, representative, outsider):
    """The representative has been offered the place the outsider gave up."""
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    first = signup_create(opportunity=opportunity, person=outsider)
    signup = signup_create(opportunity=opportunity, person=representative)
    signup_withdraw(signup=first, person=outsider)
    return refreshed(signup)


ACTION_ROLES = ["owner", "other_representative", "worker", "manager", "anonymous"]


@pytest.mark.parametrize(
    "role,expected", list(zip(ACTION_ROLES, [200, 404, 403, 403, "login"], strict=True)), ids=ACTION_ROLES
)
def test_the_withdraw_page_is_for_the_person_whose_place_it_is(
    client, request, full, representative, role, expected
):
    if role == "owner":
        client.force_login(representative)
    elif role == "other_representative":
        client.force_login(rep("Someone else"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    address = reverse("opportunities:withdraw", args=[full["opportunity"].pk])
    response = client.get(address)
    assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    if expected != 200:
        response = client.post(address, {"confirm": "yes"})
        assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    assert refreshed(full["mine"]).state == State.CONFIRMED


def test_withdrawing_says_the_place_goes_to_the_next_person_then_does_it_on_confirm(
    client, full, representative
):
    client.force_login(representative)
    address = reverse("opportunities:withdraw", args=[full["opportunity"].pk])
    page = text(client.get(address))
    assert f"Withdraw from {full['opportunity'].title}?" in page
    assert "Your place will be offered to the next person on the waiting list." in page
    assert "It is never held against you" in page
    assert refreshed(full["mine"]).state == State.CONFIRMED

    response = client.post(address, {"confirm": "yes"})
    assert response["Location"] == reverse("opportunities:detail", args=[full["opportunity"].pk])
    assert refreshed(full["mine"]).state == State.WITHDRAWN
    assert refreshed(full["waiting"]).state == State.OFFERED


def test_withdrawing_with_nobody_waiting_says_the_place_will_be_free(client, worker, representative):
    opportunity = OpportunityFactory(lead_worker=worker, places=2)
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    page = text(client.get(reverse("opportunities:withdraw", args=[opportunity.pk])))
    assert "Your place will be free for someone else to take." in page
    assert "offered to the next person" not in page


def test_withdrawing_from_the_waiting_list_says_so(client, full, outsider):
    client.force_login(outsider)
    page = text(client.get(reverse("opportunities:withdraw", args=[full["opportunity"].pk])))
    assert "You will leave the waiting list" in page
    assert "offered to the next person" not in page


def test_a_post_that_did_not_ask_first_shows_the_question_and_changes_nothing(client, full, representative):
    client.force_login(representative)
    response = client.post(reverse("opportunities:withdraw", args=[full["opportunity"].pk]))
    assert response.status_code == 200
    assert "Yes, withdraw" in text(response)
    assert refreshed(full["mine"]).state == State.CONFIRMED


def test_withdrawing_twice_is_explained(client, full, representative):
    client.force_login(representative)
    address = reverse("opportunities:withdraw", args=[full["opportunity"].pk])
    client.post(address, {"confirm": "yes"})
    response = client.get(address, follow=True)
    assert "There is nothing to withdraw from." in text(response)
    response = client.post(address, {"confirm": "yes"}, follow=True)
    assert "There is nothing to withdraw from." in text(response)


def test_declining_says_the_place_goes_to_the_next_person(client, offered, representative, worker):
    waiting = signup_create(opportunity=offered.opportunity, person=rep("Next"))
    client.force_login(representative)
    address = reverse("opportunities:decline", args=[offered.opportunity_id])
    page = text(client.get(address))
    assert "The place will be offered to the next person on the waiting list." in page
    assert refreshed(offered).state == State.OFFERED
    client.post(address, {"confirm": "yes"})
    assert refreshed(offered).state == State.DECLINED
    assert refreshed(waiting).state == State.OFFERED


@pytest.mark.parametrize("name", ["accept", "decline"])
@pytest.mark.parametrize(
    "role,expected", list(zip(ACTION_ROLES, [200, 404, 403, 403, "login"], strict=True)), ids=ACTION_ROLES
)
def test_the_accept_and_decline_pages_are_for_the_person_offered(
    client, request, offered, representative, name, role, expected
):
    if role == "owner":
        client.force_login(representative)
    elif role == "other_representative":
        client.force_login(rep("Someone else"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(f"opportunities:{name}", args=[offered.opportunity_id]))
    assert sent_to_log_in(response) if expected == "login" else response.status_code == expected
    assert refreshed(offered).state == State.OFFERED


def test_accepting_shows_the_dates_first(client, offered, representative):
    client.force_login(representative)
    address = reverse("opportunities:accept", args=[offered.opportunity_id])
    session = offered.opportunity.sessions.get()
    page = text(client.get(address))
    assert f"{nhs_session(session)}, Central Leeds" in page
    assert "Address: 1 Park Row, Leeds" in page
    assert f"The place is held for you until {nhs_datetime(offered.offer_expires_at)}" in page
    assert refreshed(offered).state == State.OFFERED
    client.post(address, {"confirm": "yes"})
    assert refreshed(offered).state == State.CONFIRMED


def test_the_detail_page_and_my_home_link_to_the_pages_that_ask(client, offered, representative):
    client.force_login(representative)
    opportunity_id = offered.opportunity_id
    detail = client.get(reverse("opportunities:detail", args=[opportunity_id])).content.decode()
    home = client.get(reverse("me:home")).content.decode()
    for name in ["accept", "decline"]:
        address = reverse(f"opportunities:{name}", args=[opportunity_id])
        assert f'href="{address}"' in detail
        assert f'href="{address}?next={reverse("me:home")}"' in home
        assert f'action="{address}"' not in detail + home
    # From home, the question carries the way back, and the answer returns there.
    page = client.get(reverse("opportunities:accept", args=[opportunity_id]), {"next": reverse("me:home")})
    assert f'name="next" value="{reverse("me:home")}"' in page.content.decode()
    response = client.post(
        reverse("opportunities:accept", args=[opportunity_id]), {"confirm": "yes", "next": reverse("me:home")}
    )
    assert response["Location"] == reverse("me:home")


def test_the_question_never_sends_anyone_to_another_site(client, full, representative):
    client.force_login(representative)
    page = client.get(
        reverse("opportunities:withdraw", args=[full["opportunity"].pk]), {"next": "https://evil.example/"}
    ).content.decode()
    assert "evil.example" not in page
