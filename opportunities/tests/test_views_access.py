"""Every opportunities URL for every role: allowed, forbidden, hidden, and anonymous visitors
sent to log in. Then what the detail page shows each person: private details only when
signed in, nobody else's data, and the person's own state with the actions open to them."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Attendance, Opportunity, SelectionMethod, SignUp
from opportunities.services import selection_preview, signup_create, signup_offer_by_hand, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

Status = Opportunity.Status
PUBLIC_STATUSES = [Status.PUBLISHED, Status.CLOSED, Status.COMPLETED, Status.CANCELLED]

# The representative's own actions, posted to.
SIGNUP_ACTIONS = ["sign_up", "withdraw", "accept", "decline"]
# Of those, the ones that ask first: a GET shows a confirmation page.
CONFIRMED_SIGNUP_ACTIONS = ["withdraw", "accept", "decline"]
# The worker's pages and actions, with the method each is used with.
WORKER_GET_PAGES = [
    "edit",
    "cancel",
    "participants",
    "selection",
    "participant_note",
    "cancel_signup",
    "complete",
    "offer_place",
]
WORKER_POST_ACTIONS = [
    "publish",
    "close",
    "complete",
    "duplicate",
    "attendance",
    "selection_start",
    "offer_place",
    # Form pages, posted to.
    "edit",
    "cancel",
    "selection",
    "cancel_signup",
]
POST_ONLY = [
    "sign_up",
    "publish",
    "close",
    "duplicate",
    "attendance",
    "selection_start",
]
WITH_SIGNUP = {"participant_note", "offer_place", "cancel_signup"}
WITH_DRAW = {"selection"}


@pytest.fixture
def world(worker, representative):
    """One opportunity in each status, led by `worker`; the representative has a confirmed
    place on the published one, which also has a fair-share preview drawn."""
    opportunities = {
        status: OpportunityFactory(title=f"The {status} opportunity", status=status, lead_worker=worker)
        for status in Status
    }
    published = opportunities[Status.PUBLISHED]
    signup = signup_create(opportunity=published, person=representative, note="A quiet room, please.")
    draw = selection_preview(opportunity=published, by=worker)
    return {"opportunities": opportunities, "signup": signup, "draw": draw}


def url(name: str, world: dict, status: str = Status.PUBLISHED) -> str:
    if name == "create":
        return reverse("opportunities:create")
    args = [world["opportunities"][status].pk]
    if name in WITH_SIGNUP:
        args.append(world["signup"].pk)
    if name in WITH_DRAW:
        args.append(world["draw"].pk)
    return reverse(f"opportunities:{name}", args=args)


def send(client, method: str, address: str):
    return client.post(address) if method == "post" else client.get(address)


def every_protected_url(world) -> list[tuple[str, str]]:
    """(method, url) for everything that needs a log-in, on the published and the draft one."""
    requests = [("get", url("create", world)), ("post", url("create", world))]
    for status in [Status.PUBLISHED, Status.DRAFT]:
        requests += [("post", url(name, world, status)) for name in SIGNUP_ACTIONS + WORKER_POST_ACTIONS]
        requests += [
            ("get", url(name, world, status)) for name in WORKER_GET_PAGES + CONFIRMED_SIGNUP_ACTIONS
        ]
    return requests


# --- anonymous visitors --------------------------------------------------------------------


def test_visitors_can_browse(client, world):
    response = client.get(reverse("opportunities:browse"))
    assert response.status_code == 200
    assert "The published opportunity" in response.content.decode()
    assert "The draft opportunity" not in response.content.decode()


@pytest.mark.parametrize("status", PUBLIC_STATUSES)
def test_visitors_can_read_every_public_opportunity(client, world, status):
    response = client.get(url("detail", world, status))
    assert response.status_code == 200
    assert f"The {status} opportunity" in response.content.decode()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED, Status.COMPLETED])
def test_visitors_can_download_the_calendar_file_of_a_public_opportunity(client, world, status):
    response = client.get(url("opportunity_ics", world, status))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_visitors_cannot_see_a_draft(client, world):
    assert client.get(url("detail", world, Status.DRAFT)).status_code == 404
    assert client.get(url("opportunity_ics", world, Status.DRAFT)).status_code == 404
    assert client.get(reverse("opportunities:detail", args=[999_999])).status_code == 404


def test_visitors_are_sent_to_log_in_for_everything_else(client, world):
    for method, address in every_protected_url(world):
        response = send(client, method, address)
        assert response.status_code == 302, (method, address)
        assert response["Location"].startswith(reverse("account_login") + "?next="), (method, address)
    # And nothing changed on the way.
    published = world["opportunities"][Status.PUBLISHED]
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.CONFIRMED
    assert Opportunity.objects.count() == len(Status)


# --- GET on a POST-only action -------------------------------------------------------------


@pytest.mark.parametrize("name", POST_ONLY)
@pytest.mark.parametrize("role", ["representative", "worker", "manager"])
def test_a_get_on_a_post_only_action_is_not_allowed(client, request, world, name, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(name, world))
    assert response.status_code == 405
    assert response["Allow"] == "POST"


# --- representatives -----------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKER_GET_PAGES + ["create"])
def test_a_representative_cannot_open_worker_pages(client, outsider, world, name):
    client.force_login(outsider)
    assert client.get(url(name, world)).status_code == 403
    if name != "create":
        # What they may not see is not even confirmed to exist.
        assert client.get(url(name, world, Status.DRAFT)).status_code == 404


@pytest.mark.parametrize("name", WORKER_POST_ACTIONS + ["create"])
def test_a_representative_cannot_use_worker_actions(client, representative, world, name):
    client.force_login(representative)
    assert client.post(url(name, world)).status_code == 403
    if name != "create":
        assert client.post(url(name, world, Status.DRAFT)).status_code == 404
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.CONFIRMED
    assert Opportunity.objects.filter(status=Status.PUBLISHED).count() == 1


def test_a_representative_signs_up_and_withdraws(client, outsider, world):
    published = world["opportunities"][Status.PUBLISHED]
    client.force_login(outsider)

    response = client.post(url("sign_up", world), {"note": "Large print, please."})
    assert response.status_code == 302
    assert response["Location"] == url("detail", world)
    signup = SignUp.objects.get(opportunity=published, person=outsider)
    assert (signup.state, signup.note) == (SignUp.State.CONFIRMED, "Large print, please.")
    assert "Your place is confirmed." in client.get(url("detail", world)).content.decode()

    response = client.post(url("withdraw", world), {"confirm": "yes"})
    assert response["Location"] == url("detail", world)
    signup.refresh_from_db()
    assert signup.state == SignUp.State.WITHDRAWN
    assert "You have withdrawn." in client.get(url("detail", world)).content.decode()


def test_signing_up_twice_is_explained(client, representative, world):
    client.force_login(representative)
    response = client.post(url("sign_up", world), follow=True)
    assert response.status_code == 200
    assert "You have already signed up for this." in response.content.decode()
    assert SignUp.objects.filter(person=representative).count() == 1


@pytest.mark.parametrize("status", [Status.CLOSED, Status.COMPLETED, Status.CANCELLED])
def test_signing_up_to_a_finished_opportunity_is_explained(client, outsider, world, status):
    client.force_login(outsider)
    response = client.post(url("sign_up", world, status), follow=True)
    assert response.status_code == 200
    assert "This opportunity is not open for sign-ups." in response.content.decode()
    assert not SignUp.objects.filter(person=outsider).exists()


def test_a_representative_cannot_sign_up_to_a_draft(client, outsider, world):
    client.force_login(outsider)
    assert client.post(url("sign_up", world, Status.DRAFT)).status_code == 404
    assert not SignUp.objects.filter(person=outsider).exists()


@pytest.mark.parametrize("name", ["withdraw", "accept", "decline"])
def test_acting_on_a_sign_up_you_do_not_have_is_a_404(client, outsider, world, name):
    client.force_login(outsider)
    assert client.get(url(name, world)).status_code == 404
    assert client.post(url(name, world), {"confirm": "yes"}).status_code == 404
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.CONFIRMED


@pytest.fixture
def offered(worker, representative, outsider):
    """The representative has been offered the place the outsider gave up."""
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    first = signup_create(opportunity=opportunity, person=outsider)
    signup = signup_create(opportunity=opportunity, person=representative)
    signup_withdraw(signup=first, person=outsider)
    signup.refresh_from_db()
    assert signup.state == SignUp.State.OFFERED
    return signup


def test_a_representative_accepts_an_offered_place(client, representative, offered):
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:accept", args=[offered.opportunity_id]), {"confirm": "yes"}, follow=True
    )
    offered.refresh_from_db()
    assert offered.state == SignUp.State.CONFIRMED
    assert "You have accepted the place. It is confirmed." in response.content.decode()


def test_a_representative_declines_an_offered_place(client, representative, offered):
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:decline", args=[offered.opportunity_id]), {"confirm": "yes"}, follow=True
    )
    offered.refresh_from_db()
    assert offered.state == SignUp.State.DECLINED
    assert "You have declined the place." in response.content.decode()


def test_accepting_from_the_home_page_goes_back_there(client, representative, offered):
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:accept", args=[offered.opportunity_id]),
        {"next": reverse("me:home"), "confirm": "yes"},
    )
    assert response["Location"] == reverse("me:home")


def test_accepting_when_nothing_is_offered_is_explained(client, representative, world):
    client.force_login(representative)
    response = client.post(url("accept", world), {"confirm": "yes"}, follow=True)
    assert "There is no place offered to accept." in response.content.decode()
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.CONFIRMED


@pytest.mark.parametrize(
    "role,name", [("representative", "withdraw"), ("worker", "close")], ids=["own-action", "transition"]
)
def test_it_never_redirects_to_another_site(client, request, world, role, name):
    client.force_login(request.getfixturevalue(role))
    response = client.post(url(name, world), {"next": "https://evil.example/phish", "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url("detail", world)


# --- workers -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "other_worker"])
@pytest.mark.parametrize("name", [n for n in WORKER_GET_PAGES if n != "participant_note"] + ["create"])
def test_any_worker_can_open_the_manage_pages(client, request, world, role, name):
    # Workers cover for each other: any worker may manage any opportunity.
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(name, world)).status_code == 200


@pytest.mark.parametrize("name", ["edit", "cancel", "participants"])
def test_a_worker_can_open_the_manage_pages_of_a_draft(client, worker, world, name):
    client.force_login(worker)
    assert client.get(url(name, world, Status.DRAFT)).status_code == 200


@pytest.mark.parametrize("status", list(Status))
def test_a_worker_can_read_every_opportunity(client, worker, world, status):
    client.force_login(worker)
    page = client.get(url("detail", world, status)).content.decode()
    assert f"The {status} opportunity" in page
    assert "Participants, selection and attendance" in page


@pytest.mark.parametrize("name", SIGNUP_ACTIONS)
def test_a_worker_cannot_use_the_representative_actions(client, worker, world, name):
    client.force_login(worker)
    assert client.post(url(name, world)).status_code == 403
    assert not SignUp.objects.filter(person=worker).exists()


def test_a_worker_publishes_a_draft(client, worker, world):
    draft = world["opportunities"][Status.DRAFT]
    client.force_login(worker)
    response = client.post(url("publish", world, Status.DRAFT))
    assert response["Location"] == url("detail", world, Status.DRAFT)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_at is not None
    assert (
        "Published: everyone can now see it and sign up." in client.get(response["Location"]).content.decode()
    )


def test_publishing_twice_is_explained(client, worker, world):
    client.force_login(worker)
    response = client.post(url("publish", world), follow=True)
    assert response.status_code == 200
    assert "A published opportunity cannot be made published." in response.content.decode()


def test_a_worker_closes_and_reopens_sign_ups(client, worker, world):
    published = world["opportunities"][Status.PUBLISHED]
    client.force_login(worker)
    client.post(url("close", world))
    published.refresh_from_db()
    assert published.status == Status.CLOSED
    client.post(url("publish", world))
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_a_worker_completes_an_opportunity_and_goes_on_to_the_outcome(client, worker, world):
    published = world["opportunities"][Status.PUBLISHED]
    client.force_login(worker)
    with time_machine.travel(published.ends_at + timedelta(hours=1)):
        client.force_login(worker)  # a new day, a new log-in
        response = client.post(url("complete", world), {"confirm": "yes"})
    assert response["Location"] == reverse("feedback:outcome_edit", args=[published.pk])
    published.refresh_from_db()
    assert published.status == Status.COMPLETED


def test_a_worker_duplicates_an_opportunity_as_a_draft(client, worker, world):
    client.force_login(worker)
    response = client.post(url("duplicate", world))
    copy = Opportunity.objects.get(title="Copy of The published opportunity")
    assert response["Location"] == reverse("opportunities:edit", args=[copy.pk])
    assert copy.status == Status.DRAFT
    assert copy.sessions.count() == 1
    assert copy.signups.count() == 0


def test_a_worker_records_attendance(client, worker, world):
    published = world["opportunities"][Status.PUBLISHED]
    session = published.sessions.get()
    client.force_login(worker)
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        client.force_login(worker)  # a new day, a new log-in
        response = client.post(
            url("attendance", world), {"session": session.pk, f"attended-{world['signup'].pk}": "yes"}
        )
    assert response["Location"] == url("participants", world)
    assert Attendance.objects.get(signup=world["signup"], session=session).attended
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.ATTENDED
    assert "Attendance recorded for 1 person." in client.get(response["Location"]).content.decode()


def test_recording_attendance_with_no_session_is_explained(client, worker, world):
    client.force_login(worker)
    response = client.post(url("attendance", world), {f"attended-{world['signup'].pk}": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Choose a session to record attendance for." in response.content.decode()
    assert not Attendance.objects.exists()


def test_recording_attendance_with_nobody_chosen_is_explained(client, worker, world):
    session = world["opportunities"][Status.PUBLISHED].sessions.get()
    client.force_login(worker)
    response = client.post(url("attendance", world), {"session": session.pk}, follow=True)
    assert "Choose attended or did not attend for at least one person." in response.content.decode()
    assert not Attendance.objects.exists()


def test_recording_attendance_for_a_garbled_session_is_explained(client, worker, world):
    client.force_login(worker)
    response = client.post(url("attendance", world), {"session": "not a number"}, follow=True)
    assert response.status_code == 200
    assert "Choose a session to record attendance for." in response.content.decode()


def test_a_worker_runs_a_fair_share_selection(client, worker, outsider, representative):
    opportunity = OpportunityFactory(
        lead_worker=worker, places=1, selection_method=SelectionMethod.FAIR_SHARE
    )
    signup_create(opportunity=opportunity, person=outsider)
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(worker)

    response = client.post(reverse("opportunities:selection_start", args=[opportunity.pk]))
    draw = opportunity.draws.get()
    assert response["Location"] == reverse("opportunities:selection", args=[opportunity.pk, draw.pk])
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "never involved before" in preview.content.decode()
    assert set(opportunity.signups.values_list("state", flat=True)) == {SignUp.State.APPLIED}

    with time_machine.travel(opportunity.signup_deadline + timedelta(minutes=1)):
        client.force_login(worker)  # a new day, a new log-in
        response = client.post(
            reverse("opportunities:selection", args=[opportunity.pk, draw.pk]), follow=True
        )
        assert "1 place offered." in response.content.decode()
        states = sorted(opportunity.signups.values_list("state", flat=True))
        assert states == [SignUp.State.OFFERED, SignUp.State.WAITLISTED]

        again = client.post(reverse("opportunities:selection", args=[opportunity.pk, draw.pk]), follow=True)
        assert "This selection has already been confirmed." in again.content.decode()


def test_a_selection_of_another_opportunity_is_a_404(client, worker, world):
    other = world["opportunities"][Status.CLOSED]
    client.force_login(worker)
    address = reverse("opportunities:selection", args=[other.pk, world["draw"].pk])
    assert client.get(address).status_code == 404


def test_a_worker_offers_a_place_by_hand(client, worker, outsider, representative):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=outsider)
    waiting = signup_create(opportunity=opportunity, person=representative)
    client.force_login(worker)
    address = reverse("opportunities:offer_place", args=[opportunity.pk, waiting.pk])

    response = client.post(address, follow=True)
    assert "Every place is taken." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == SignUp.State.WAITLISTED

    opportunity.places = 2
    opportunity.save()
    response = client.post(address, follow=True)
    assert "The place has been offered." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == SignUp.State.OFFERED


def test_a_sign_up_of_another_opportunity_is_a_404(client, worker, world):
    other = world["opportunities"][Status.CLOSED]
    client.force_login(worker)
    for name in ["participant_note", "cancel_signup"]:
        address = reverse(f"opportunities:{name}", args=[other.pk, world["signup"].pk])
        assert client.get(address).status_code == 404, name
    address = reverse("opportunities:offer_place", args=[other.pk, world["signup"].pk])
    assert client.get(address).status_code == 404
    assert client.post(address).status_code == 404


# --- managers and administrators -----------------------------------------------------------


@pytest.mark.parametrize("status", list(Status))
def test_a_manager_can_read_every_opportunity_but_not_manage_it(client, manager, world, status):
    client.force_login(manager)
    response = client.get(url("detail", world, status))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Participants, selection and attendance" not in page
    assert 'action="/opportunities/' not in page  # no sign-up, publish or other buttons


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.DRAFT])
@pytest.mark.parametrize("name", WORKER_GET_PAGES + ["create"])
def test_a_manager_cannot_open_the_manage_pages(client, manager, world, name, status):
    # Read-only: they may see every opportunity, so it is a 403, not a 404.
    client.force_login(manager)
    assert client.get(url(name, world, status)).status_code == 403


@pytest.mark.parametrize("name", WORKER_POST_ACTIONS + SIGNUP_ACTIONS + ["create"])
def test_a_manager_cannot_change_anything(client, manager, world, name):
    client.force_login(manager)
    assert client.post(url(name, world)).status_code == 403
    assert not SignUp.objects.filter(person=manager).exists()
    world["signup"].refresh_from_db()
    assert world["signup"].state == SignUp.State.CONFIRMED


@pytest.mark.parametrize("status", PUBLIC_STATUSES)
def test_an_administrator_reads_public_opportunities(client, administrator, world, status):
    client.force_login(administrator)
    assert client.get(url("detail", world, status)).status_code == 200


def test_an_administrator_is_not_a_manager_and_cannot_see_drafts(client, administrator, world):
    # Administrators run the Django admin; unless also given the manager or worker role, a
    # draft is as hidden from them as from anyone else.
    client.force_login(administrator)
    assert client.get(url("detail", world, Status.DRAFT)).status_code == 404


@pytest.mark.parametrize("name", WORKER_GET_PAGES + ["create"])
def test_an_administrator_cannot_open_the_manage_pages(client, administrator, world, name):
    client.force_login(administrator)
    assert client.get(url(name, world)).status_code == 403
    if name != "create":
        assert client.get(url(name, world, Status.DRAFT)).status_code == 404


@pytest.mark.parametrize("name", WORKER_POST_ACTIONS)
def test_an_administrator_cannot_change_anything(client, administrator, world, name):
    client.force_login(administrator)
    assert client.post(url(name, world)).status_code == 403
    assert client.post(url(name, world, Status.DRAFT)).status_code == 404


@pytest.mark.parametrize("name", SIGNUP_ACTIONS)
def test_an_administrator_cannot_sign_up(client, administrator, world, name):
    # Refused for not being a representative, before the opportunity is looked up.
    client.force_login(administrator)
    for status in [Status.PUBLISHED, Status.DRAFT]:
        assert client.post(url(name, world, status)).status_code == 403
    assert not SignUp.objects.filter(person=administrator).exists()


def test_a_manager_who_is_also_a_worker_can_manage(client, world):
    both = person(roles=[Role.MANAGER, Role.WORKER])
    client.force_login(both)
    assert client.get(url("participants", world)).status_code == 200
    assert client.get(url("edit", world, Status.DRAFT)).status_code == 200


# --- the participant note: special-category data -------------------------------------------


def test_the_lead_worker_reads_the_participant_note_and_it_is_logged(client, worker, representative, world):
    client.force_login(worker)
    response = client.get(url("participant_note", world))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A quiet room, please." in page
    assert "A seat near the door." in page and "A short break." in page
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (
        worker,
        representative,
        AccessLogEntry.What.SUPPORT_NOTE,
    )
    assert entry.path == url("participant_note", world)
    # Every reading is logged, not only the first.
    client.get(url("participant_note", world))
    assert AccessLogEntry.objects.count() == 2


def test_the_participants_page_links_to_the_note_for_the_lead_worker_only(
    client, worker, other_worker, world
):
    note_link = url("participant_note", world)
    client.force_login(worker)
    assert note_link in client.get(url("participants", world)).content.decode()
    client.force_login(other_worker)
    assert note_link not in client.get(url("participants", world)).content.decode()


@pytest.mark.parametrize(
    "role,status",
    [
        ("other_worker", 404),
        ("manager", 403),
        ("administrator", 403),
        ("representative", 403),
        ("outsider", 403),
    ],
)
def test_nobody_else_reads_the_participant_note(client, request, world, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("participant_note", world))
    assert response.status_code == status
    assert "A seat near the door." not in response.content.decode()
    # Nothing read; since issue 16 the refusal itself is written down.
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.DENIED).exists()


def test_the_persons_named_worker_may_also_read_the_note_and_it_is_logged(
    client, worker, other_worker, representative
):
    # Not the lead worker, but PRODUCT.md lets a worker see the support notes of their caseload.
    opportunity = OpportunityFactory(lead_worker=other_worker)
    signup = signup_create(opportunity=opportunity, person=representative)
    client.force_login(worker)
    response = client.get(reverse("opportunities:participant_note", args=[opportunity.pk, signup.pk]))
    assert response.status_code == 200
    assert AccessLogEntry.objects.get().viewer == worker


# --- what the detail page shows ------------------------------------------------------------


@pytest.fixture
def private_details(worker):
    opportunity = OpportunityFactory(lead_worker=worker, format="hybrid")
    opportunity.sessions.update(joining_link="https://meet.example.org/secret-room")
    return opportunity


def test_visitors_see_the_area_but_not_the_address_link_or_contact(client, worker, private_details):
    page = client.get(reverse("opportunities:detail", args=[private_details.pk])).content.decode()
    assert "Central Leeds" in page
    assert "1 Park Row, Leeds" not in page
    assert "meet.example.org/secret-room" not in page
    assert worker.email not in page
    assert "Log in to see the exact address and who to contact." in page
    assert "Log in to sign up" in page


def test_a_signed_in_representative_sees_the_address_link_and_contact(
    client, worker, outsider, private_details
):
    client.force_login(outsider)
    page = client.get(reverse("opportunities:detail", args=[private_details.pk])).content.decode()
    assert "1 Park Row, Leeds" in page
    assert 'href="https://meet.example.org/secret-room"' in page
    assert f"mailto:{worker.email}" in page
    assert "Log in to see the exact address" not in page


def test_a_representative_sees_nobody_else_on_the_detail_page(client, representative, outsider, worker):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=outsider, note="Olive needs step-free access.")
    signup_create(opportunity=opportunity, person=representative, note="Robin's own note")
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Olive" not in page
    assert outsider.email not in page
    assert outsider.get_full_name() not in page
    assert "step-free access." not in page
    assert "Olive's private note" not in page
    # Their own situation, without saying who is ahead of them.
    assert "you are number 1 on the waiting list" in page


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def action_urls(page: str) -> set[str]:
    """Where the page's actions lead: forms that post, and the links (styled as buttons)
    to the pages that ask for confirmation first."""
    forms = re.findall(r'<form method="post" action="([^"]+)"', page)
    buttons = re.findall(r'<a href="([^"]+)" role="button"', page)
    return set(forms) | set(buttons)


def test_a_confirmed_representative_sees_their_place_and_can_withdraw(client, representative, world):
    client.force_login(representative)
    page = client.get(url("detail", world)).content.decode()
    assert "Your place" in page and "Confirmed" in page
    assert action_urls(page) == {url("withdraw", world)}
    assert "It is never held against you." in page


def test_an_offered_representative_sees_the_time_left_to_accept_or_decline(client, representative, offered):
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[offered.opportunity_id])).content.decode()
    assert "Place offered" in page
    assert re.search(r"A place is held for you for (2 days|1 day and 23 hours), until", text(page))
    assert action_urls(page) == {
        reverse("opportunities:accept", args=[offered.opportunity_id]),
        reverse("opportunities:decline", args=[offered.opportunity_id]),
    }


def test_a_waitlisted_representative_sees_their_place_in_the_queue(client, outsider, representative, worker):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]))
    signup_create(opportunity=opportunity, person=outsider)
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "On the waiting list : you are number 2 on the waiting list" in text(page)
    assert action_urls(page) == {reverse("opportunities:withdraw", args=[opportunity.pk])}


def test_a_full_first_come_opportunity_offers_the_waiting_list(client, outsider, representative, worker):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup_create(opportunity=opportunity, person=outsider)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert re.search(r">\s*Join the waiting list\s*</button>", page)
    assert not re.search(r">\s*Sign up\s*</button>", page)
    assert action_urls(page) == {reverse("opportunities:sign_up", args=[opportunity.pk])}


def test_an_open_first_come_opportunity_offers_a_place(client, representative, worker):
    opportunity = OpportunityFactory(lead_worker=worker)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert re.search(r">\s*Sign up\s*</button>", page)
    assert "Join the waiting list" not in page


def test_a_fair_share_opportunity_asks_people_to_apply(client, representative, worker):
    opportunity = OpportunityFactory(lead_worker=worker, selection_method=SelectionMethod.FAIR_SHARE)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Apply for a place" in page
    client.post(reverse("opportunities:sign_up", args=[opportunity.pk]))
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Applied: waiting for selection" in page
    assert "Thank you for applying." in page
    assert action_urls(page) == {reverse("opportunities:withdraw", args=[opportunity.pk])}


def test_after_withdrawing_a_representative_can_sign_up_again(client, representative, world):
    client.force_login(representative)
    client.post(url("withdraw", world), {"confirm": "yes"})
    page = client.get(url("detail", world)).content.decode()
    assert "Your place" not in page
    assert action_urls(page) == {url("sign_up", world)}


def test_after_the_deadline_nobody_is_offered_a_sign_up(client, representative, worker):
    opportunity = OpportunityFactory(
        lead_worker=worker, signup_deadline=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert action_urls(page) == set()
    client.logout()
    assert (
        "Log in to sign up"
        not in client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    )


def test_a_cancelled_opportunity_says_why(client, world):
    cancelled = world["opportunities"][Status.CANCELLED]
    cancelled.cancel_reason = "The panel has been postponed."
    cancelled.save()
    page = client.get(url("detail", world, Status.CANCELLED)).content.decode()
    assert "This has been cancelled" in page and "The panel has been postponed." in page
    assert "Log in to sign up" not in page


def test_an_offer_the_worker_made_by_hand_shows_on_the_detail_page(client, worker, representative, world):
    opportunity = OpportunityFactory(lead_worker=worker, selection_method=SelectionMethod.FAIR_SHARE)
    signup = signup_create(opportunity=opportunity, person=representative)
    signup_offer_by_hand(signup=signup, by=worker, reason="Lived experience of this service")
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Accept the place" in page and "Decline the place" in page


# --- every link on the detail page works for the person who sees it --------------------------


def links_on(page: str) -> set[str]:
    return {href for href in re.findall(r'href="(/[^"#]*)', page) if not href.startswith("/static/")}


@pytest.mark.parametrize("role", [None, "representative", "worker", "manager"])
def test_every_link_on_a_published_detail_page_works(client, request, world, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    page = client.get(url("detail", world)).content.decode()
    for href in links_on(page):
        response = client.get(href)
        assert response.status_code in {200, 302}, (href, response.status_code)


@pytest.mark.parametrize("status", [Status.CLOSED, Status.COMPLETED])
def test_every_link_on_a_finished_detail_page_works(client, world, status):
    page = client.get(url("detail", world, status)).content.decode()
    for href in links_on(page):
        assert client.get(href).status_code in {200, 302}, href


@pytest.mark.parametrize(
    "role,status", [(None, Status.CANCELLED), ("worker", Status.DRAFT), ("manager", Status.DRAFT)]
)
def test_every_link_on_a_draft_or_cancelled_detail_page_works(client, request, world, role, status):
    if role:
        client.force_login(request.getfixturevalue(role))
    page = client.get(url("detail", world, status)).content.decode()
    for href in links_on(page):
        response = client.get(href)
        assert response.status_code in {200, 302}, (href, response.status_code)
