"""Calendar files: what a visitor, a signed-in person and a calendar app each get."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.selectors import profile_for_user
from accounts.services import calendar_token_get_or_create
from opportunities.models import Opportunity, SignUp
from opportunities.tests.calendar_factories import OpportunityFactory, SessionFactory, SignUpFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ADDRESS = "Room 4, Trust Headquarters, 1 Example Street, Leeds LS1 1AA"
JOINING_LINK = "https://meet.example.org/j/123456"
Status = Opportunity.Status
State = SignUp.State


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_uid(response) -> dict:
    return {str(event["UID"]): event for event in parse(response).walk("VEVENT")}


def visible_text(calendar: Calendar) -> str:
    """Everything a calendar app would show of the events, unescaped and unfolded."""
    return "\n".join(
        str(event.get(name, "")) for event in calendar.walk("VEVENT") for name in ("LOCATION", "DESCRIPTION")
    )


def ics_url(opportunity) -> str:
    return reverse("opportunities:opportunity_ics", args=[opportunity.pk])


def feed_url(token: str) -> str:
    return reverse("calendar_feed", kwargs={"token": token})


@pytest.fixture
def in_person_and_online():
    """One opportunity, a session in British Summer Time and one in winter, with both an
    exact address and a joining link."""
    year = timezone.now().year + 1
    opportunity = OpportunityFactory(title="Interview panel: ward manager")
    summer = SessionFactory(
        opportunity=opportunity,
        starts_at=datetime(year, 7, 1, 13, 0, tzinfo=LONDON),
        ends_at=datetime(year, 7, 1, 15, 30, tzinfo=LONDON),
        area="Central Leeds",
        location=ADDRESS,
        joining_link=JOINING_LINK,
    )
    winter = SessionFactory(
        opportunity=opportunity,
        starts_at=datetime(year, 1, 20, 10, 0, tzinfo=LONDON),
        ends_at=datetime(year, 1, 20, 12, 0, tzinfo=LONDON),
        area="Online",
        location="",
        joining_link=JOINING_LINK,
    )
    return opportunity, summer, winter


# --- one opportunity ------------------------------------------------------------------------


def test_it_gives_one_event_per_session_at_the_right_time_in_utc(client, in_person_and_online):
    opportunity, summer, winter = in_person_and_online
    response = client.get(ics_url(opportunity))
    events = events_by_uid(response)

    assert set(events) == {f"session-{summer.pk}@involvement-hub", f"session-{winter.pk}@involvement-hub"}
    july = events[f"session-{summer.pk}@involvement-hub"]
    # 1pm in London in July is noon UTC; in January London is on UTC.
    assert july.decoded("DTSTART") == datetime(summer.starts_at.year, 7, 1, 12, 0, tzinfo=UTC)
    assert july.decoded("DTEND") == datetime(summer.starts_at.year, 7, 1, 14, 30, tzinfo=UTC)
    january = events[f"session-{winter.pk}@involvement-hub"]
    assert january.decoded("DTSTART") == datetime(winter.starts_at.year, 1, 20, 10, 0, tzinfo=UTC)
    assert str(july["SUMMARY"]) == "Interview panel: ward manager"
    assert opportunity.summary in str(july["DESCRIPTION"])
    assert f"{settings.SITE_URL}/opportunities/{opportunity.pk}/" in str(july["DESCRIPTION"])
    assert response["Content-Disposition"] == 'attachment; filename="interview-panel-ward-manager.ics"'


def test_it_names_the_calendar_and_publishes_it(client, in_person_and_online):
    opportunity, *_ = in_person_and_online
    calendar = parse(client.get(ics_url(opportunity)))
    assert str(calendar["PRODID"]) == "-//Involvement Hub//EN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Involvement Hub"


def test_it_keeps_the_same_uid_for_a_session_so_apps_update_not_duplicate(client, in_person_and_online):
    opportunity, *_ = in_person_and_online
    first = set(events_by_uid(client.get(ics_url(opportunity))))
    assert set(events_by_uid(client.get(ics_url(opportunity)))) == first


def test_it_shows_visitors_the_area_but_not_the_address_or_joining_link(client, in_person_and_online):
    opportunity, summer, winter = in_person_and_online
    response = client.get(ics_url(opportunity))
    events = events_by_uid(response)
    text = visible_text(parse(response))

    assert str(events[f"session-{summer.pk}@involvement-hub"]["LOCATION"]) == "Central Leeds"
    assert str(events[f"session-{winter.pk}@involvement-hub"]["LOCATION"]) == "Online"
    assert "Example Street" not in text
    assert "meet.example.org" not in text
    assert b"meet.example.org" not in response.content


@pytest.mark.parametrize("role", ["representative", "worker", "manager", "outsider"])
def test_it_shows_a_signed_in_person_the_address_and_joining_link(
    client, request, role, in_person_and_online
):
    opportunity, summer, winter = in_person_and_online
    client.force_login(request.getfixturevalue(role))
    events = events_by_uid(client.get(ics_url(opportunity)))

    summer_location = str(events[f"session-{summer.pk}@involvement-hub"]["LOCATION"])
    assert ADDRESS in summer_location
    assert JOINING_LINK in summer_location
    winter_event = events[f"session-{winter.pk}@involvement-hub"]
    assert str(winter_event["LOCATION"]) == JOINING_LINK
    assert JOINING_LINK in str(winter_event["DESCRIPTION"])


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CANCELLED])
@pytest.mark.parametrize("role", [None, "representative", "worker"])
def test_it_hides_drafts_and_cancelled_opportunities(client, request, status, role):
    session = SessionFactory(opportunity__status=status)
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(ics_url(session.opportunity)).status_code == 404


@pytest.mark.parametrize("status", [Status.CLOSED, Status.COMPLETED])
def test_it_still_offers_closed_and_completed_opportunities(client, status):
    session = SessionFactory(opportunity__status=status)
    assert len(events_by_uid(client.get(ics_url(session.opportunity)))) == 1


def test_it_says_not_found_for_an_opportunity_that_does_not_exist(client):
    assert client.get(reverse("opportunities:opportunity_ics", args=[999999])).status_code == 404


# --- my calendar ----------------------------------------------------------------------------


def test_my_calendar_has_only_my_sessions_with_a_place_on_live_activities(client, representative, outsider):
    mine = SessionFactory(opportunity__title="Mine")
    SignUpFactory(opportunity=mine.opportunity, person=representative, state=State.CONFIRMED)
    for state in [State.WAITLISTED, State.WITHDRAWN, State.APPLIED, State.OFFERED, State.DECLINED]:
        other = SessionFactory(opportunity__title=f"Not mine: {state}")
        SignUpFactory(opportunity=other.opportunity, person=representative, state=state)
    someone_elses = SessionFactory(opportunity__title="Someone else's")
    SignUpFactory(opportunity=someone_elses.opportunity, person=outsider, state=State.CONFIRMED)
    cancelled = SessionFactory(opportunity__title="Cancelled", opportunity__status=Status.CANCELLED)
    SignUpFactory(opportunity=cancelled.opportunity, person=representative, state=State.CONFIRMED)

    client.force_login(representative)
    response = client.get(reverse("me:calendar_ics"))

    events = events_by_uid(response)
    assert set(events) == {f"session-{mine.pk}@involvement-hub"}
    # It is the person's own place, so the exact address is there.
    assert ADDRESS in str(events[f"session-{mine.pk}@involvement-hub"]["LOCATION"])
    assert response["Content-Disposition"] == 'attachment; filename="involvement-hub.ics"'


def test_my_calendar_keeps_the_last_90_days_and_drops_older_sessions(client, representative):
    now = timezone.now()
    opportunity = OpportunityFactory()
    recent = SessionFactory(opportunity=opportunity, starts_at=now - timedelta(days=10))
    old = SessionFactory(opportunity=opportunity, starts_at=now - timedelta(days=100))
    upcoming = SessionFactory(opportunity=opportunity, starts_at=now + timedelta(days=10))
    SignUpFactory(opportunity=opportunity, person=representative)

    client.force_login(representative)
    uids = set(events_by_uid(client.get(reverse("me:calendar_ics"))))

    assert f"session-{recent.pk}@involvement-hub" in uids
    assert f"session-{upcoming.pk}@involvement-hub" in uids
    assert f"session-{old.pk}@involvement-hub" not in uids


def test_my_calendar_keeps_later_sessions_once_attendance_is_recorded_for_the_first(client, representative):
    # Attendance is recorded session by session: after the first, the sign-up is "attended"
    # and the person still has to turn up to the rest. Closing sign-ups changes nothing.
    now = timezone.now()
    opportunity = OpportunityFactory(status=Status.CLOSED)
    SessionFactory(opportunity=opportunity, starts_at=now - timedelta(days=7))
    later = SessionFactory(opportunity=opportunity, starts_at=now + timedelta(days=7))
    SignUpFactory(opportunity=opportunity, person=representative, state=State.ATTENDED)

    client.force_login(representative)
    uids = set(events_by_uid(client.get(reverse("me:calendar_ics"))))

    assert len(uids) == 2
    assert f"session-{later.pk}@involvement-hub" in uids


def test_my_calendar_is_empty_but_valid_for_someone_with_no_places(client, manager):
    client.force_login(manager)
    calendar = parse(client.get(reverse("me:calendar_ics")))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Involvement Hub"


def test_my_calendar_does_not_grow_in_queries_with_sessions(
    client, representative, django_assert_max_num_queries
):
    start = timezone.now() + timedelta(days=1)
    for day in range(30):
        session = SessionFactory(starts_at=start + timedelta(days=day))
        SignUpFactory(opportunity=session.opportunity, person=representative)
    client.force_login(representative)
    client.get(reverse("me:home"))  # the once-per-log-in onboarding check, out of the count

    # The session, the user, their roles (how long they may stay idle depends on them: staff
    # 15 minutes, representatives 60, issue 16), the sessions; then three to save the session,
    # which is saved on every request for the idle time-out.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("me:calendar_ics"))
    assert len(events_by_uid(response)) == 30


def test_the_feed_does_not_grow_in_queries_with_sessions(
    client, representative, django_assert_max_num_queries
):
    for day in range(30):
        session = SessionFactory(starts_at=timezone.now() + timedelta(days=day + 1))
        SignUpFactory(opportunity=session.opportunity, person=representative)
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))

    # The profile by its token, then the sessions: no log-in, no session.
    with django_assert_max_num_queries(2):
        response = client.get(feed_url(token))
    assert len(events_by_uid(response)) == 30


@pytest.mark.parametrize("url_name", ["me:calendar_ics", "me:calendar"])
def test_it_sends_anonymous_visitors_to_log_in(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


# --- the private feed -----------------------------------------------------------------------


def test_the_feed_works_without_logging_in(client, representative):
    session = SessionFactory()
    SignUpFactory(opportunity=session.opportunity, person=representative)
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))

    response = client.get(feed_url(token))

    events = events_by_uid(response)
    assert set(events) == {f"session-{session.pk}@involvement-hub"}
    assert ADDRESS in str(events[f"session-{session.pk}@involvement-hub"]["LOCATION"])
    assert response["Cache-Control"] == "no-store, private"  # issue 9: personal data is never cached
    assert response["X-Robots-Tag"] == "noindex"


def test_the_feed_drops_an_opportunity_once_it_is_cancelled(client, representative):
    session = SessionFactory()
    SignUpFactory(opportunity=session.opportunity, person=representative)
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))
    assert len(events_by_uid(client.get(feed_url(token)))) == 1

    Opportunity.objects.filter(pk=session.opportunity.pk).update(status=Status.CANCELLED)

    assert events_by_uid(client.get(feed_url(token))) == {}


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 43])
def test_the_feed_says_not_found_for_an_unknown_address(client, representative, token):
    calendar_token_get_or_create(profile=profile_for_user(user=representative))
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_stops_for_a_deactivated_account(client, representative):
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))
    representative.is_active = False
    representative.save(update_fields=["is_active"])
    assert client.get(feed_url(token)).status_code == 404


# --- the calendar page and resetting the address --------------------------------------------


@pytest.mark.parametrize("role", ["representative", "worker", "manager", "administrator", "outsider"])
def test_every_signed_in_person_has_their_own_calendar_page(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(reverse("me:calendar"))

    assert response.status_code == 200
    token = profile_for_user(user=user).calendar_token
    page = response.content.decode()
    assert f'value="{settings.SITE_URL}/calendar/{token}.ics"' in page
    assert '<label class="nhsuk-label" for="calendar-feed-url">Your private calendar address</label>' in page
    assert f'href="{reverse("me:calendar_ics")}"' in page
    assert "Reset my private calendar address" in page
    assert client.get(reverse("me:calendar_ics")).status_code == 200


def test_each_person_gets_a_different_address(client, representative, outsider):
    tokens = set()
    for user in (representative, outsider):
        client.force_login(user)
        client.get(reverse("me:calendar"))
        tokens.add(profile_for_user(user=user).calendar_token)
    assert len(tokens) == 2


def test_looking_at_the_page_does_not_change_the_address(client, representative):
    client.force_login(representative)
    client.get(reverse("me:calendar"))
    token = profile_for_user(user=representative).calendar_token

    client.get(reverse("me:calendar"))

    assert profile_for_user(user=representative).calendar_token == token
    assert client.get(feed_url(token)).status_code == 200


def test_resetting_the_address_stops_the_old_one(client, representative):
    session = SessionFactory()
    SignUpFactory(opportunity=session.opportunity, person=representative)
    client.force_login(representative)
    client.get(reverse("me:calendar"))
    old = profile_for_user(user=representative).calendar_token

    response = client.post(reverse("me:calendar"), follow=True)

    assert response.redirect_chain == [(reverse("me:calendar"), 302)]
    assert (
        "Your private calendar address has been changed. The old one no longer works."
        in response.content.decode()
    )
    new = profile_for_user(user=representative).calendar_token
    assert new != old
    assert new in response.content.decode()
    client.logout()
    assert client.get(feed_url(old)).status_code == 404
    assert len(events_by_uid(client.get(feed_url(new)))) == 1


def test_resetting_needs_the_csrf_token(representative):
    client = Client(enforce_csrf_checks=True)
    client.force_login(representative)
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))

    assert client.post(reverse("me:calendar")).status_code == 403
    assert profile_for_user(user=representative).calendar_token == token


def test_anonymous_visitors_cannot_reset_anything(client, representative):
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))

    response = client.post(reverse("me:calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert profile_for_user(user=representative).calendar_token == token
