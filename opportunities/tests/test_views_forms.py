"""The worker's forms and the browse filters: what is saved, and what a person is told when
their input is wrong (by the field, with what they typed kept, never a 500)."""

import html
import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory, person
from catalogue.models import InvolvementLevel, Rate, RateCard, RateUnit
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Format, Opportunity, SignUp
from opportunities.services import signup_create, signup_withdraw
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db


# --- helpers -------------------------------------------------------------------------------


def days_ahead(days: int):
    return timezone.localdate() + timedelta(days=days)


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """An aware datetime `days` from today at a round local time, as the form would save it."""
    return timezone.make_aware(datetime.combine(days_ahead(days), time(hour, minute)))


def date_fields(name: str, day) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def session_fields(index: int, day, start: str = "10:00", end: str = "12:00", **extra) -> dict:
    data = {
        **date_fields(f"sessions-{index}-date", day),
        f"sessions-{index}-start_time": start,
        f"sessions-{index}-end_time": end,
        f"sessions-{index}-area": "Central Leeds",
        f"sessions-{index}-location": "",
        f"sessions-{index}-joining_link": "",
    }
    data.update({f"sessions-{index}-{key}": value for key, value in extra.items()})
    return data


def management(total: int, initial: int = 0) -> dict:
    return {
        "sessions-TOTAL_FORMS": str(total),
        "sessions-INITIAL_FORMS": str(initial),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }


def standard_card(*, amount: str = "11.50", since_days: int = 30) -> RateCard:
    """A rate card paying `amount` an hour from `since_days` ago, preparation included."""
    card, _ = RateCard.objects.get_or_create(name="Test standard")
    Rate.objects.get_or_create(
        card=card,
        effective_from=timezone.localdate() - timedelta(days=since_days),
        defaults={"unit": RateUnit.HOUR, "amount": Decimal(amount)},
    )
    return card


def opportunity_fields(*, lead_worker, activity_type=None, team=None, rate_card=None, **overrides) -> dict:
    data = {
        "title": "Interview panel for a ward manager",
        "summary": "Help us choose a new ward manager.",
        "description": "You will sit on the panel with two members of staff.",
        "activity_type": str((activity_type or ActivityTypeFactory()).pk),
        "involvement_level": InvolvementLevel.CONSULTING,
        "team": str((team or TeamFactory()).pk),
        "format": Format.IN_PERSON,
        "accessibility": "Step-free access. Breaks every hour.",
        "is_paid": "on",
        "rate_card": str((rate_card or standard_card()).pk),
        "payment": "Travel expenses at cost",
        "places": "3",
        "selection_method": "first_come",
        "lead_worker": str(lead_worker.pk),
        **date_fields("signup_deadline_date", days_ahead(10)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def new_opportunity_post(worker, **overrides) -> dict:
    """A complete, valid post for /opportunities/new/ with one session 20 days ahead."""
    return {
        **opportunity_fields(lead_worker=worker),
        **management(1),
        **session_fields(0, days_ahead(20)),
        **overrides,
    }


def error_by(page: str, field_id: str) -> str:
    """The text of the NHS.UK error message shown with one field ('' when there is none)."""
    start = page.find(f'id="{field_id}-error"')
    if start == -1:
        return ""
    end = page.find("</span>\n", start)
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:end].split(">", 1)[1])).strip()


def titles_on(response) -> list[str]:
    return [opportunity.title for opportunity in response.context["page"].object_list]


# --- creating an opportunity ---------------------------------------------------------------


def test_it_creates_a_draft_with_its_sessions_and_shows_it(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(
        worker,
        **management(2),
        **session_fields(0, days_ahead(20), "10:00", "12:30", location="1 Park Row, Leeds"),
        **session_fields(1, days_ahead(27), "2pm", "4:15pm", joining_link="https://meet.example.org/panel"),
    )
    response = client.post(reverse("opportunities:create"), data)

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.title == "Interview panel for a ward manager"
    assert opportunity.lead_worker == worker and opportunity.created_by == worker
    sessions = list(opportunity.sessions.order_by("starts_at"))
    assert [(s.starts_at, s.ends_at) for s in sessions] == [
        (local(20, 10), local(20, 12, 30)),
        (local(27, 14), local(27, 16, 15)),
    ]
    assert sessions[0].location == "1 Park Row, Leeds"
    assert sessions[1].joining_link == "https://meet.example.org/panel"
    assert (opportunity.starts_at, opportunity.ends_at) == (local(20, 10), local(27, 16, 15))
    # People can sign up until the end of the deadline day.
    assert timezone.localtime(opportunity.signup_deadline).date() == days_ahead(10)
    page = client.get(response["Location"]).content.decode()
    assert "The opportunity has been saved." in page
    assert "Interview panel for a ward manager" in page


TYPED = "Typed before the mistake, and kept"


@pytest.mark.parametrize(
    "overrides,field_id,message,kept",
    [
        pytest.param(
            {"sessions-0-end_time": "9am"},
            "id_sessions-0-end_time",
            "The end time must be after the start time",
            'value="9am"',
            id="end-before-start",
        ),
        pytest.param(
            {"places": "0"}, "id_places", "There must be at least 1 place", 'value="0"', id="zero-places"
        ),
        pytest.param(
            {"places": "lots"},
            "id_places",
            "Enter the number of places as a whole number",
            'value="lots"',
            id="places-not-a-number",
        ),
        pytest.param(
            {"sessions-0-date_day": "1", "sessions-0-date_month": "1", "sessions-0-date_year": "2020"},
            "id_sessions-0-date",
            "The date must be today or in the future",
            'value="2020"',
            id="past-session-date",
        ),
        pytest.param(
            date_fields("signup_deadline_date", timezone.localdate() - timedelta(days=1)),
            "id_signup_deadline_date",
            "The sign-up deadline must be today or in the future",
            None,
            id="past-deadline",
        ),
        pytest.param({"title": ""}, "id_title", "Enter a title", None, id="missing-title"),
        pytest.param(
            {"rate_card": ""},
            "id_rate_card",
            "Choose a rate card: it sets the fee people are paid",
            None,
            id="paid-without-a-rate-card",
        ),
        pytest.param(
            {"rate_card": "999999"},
            "id_rate_card",
            "Select a valid choice. That choice is not one of the available choices.",
            None,
            id="no-such-rate-card",
        ),
        pytest.param(
            {"sessions-0-start_time": "half two"},
            "id_sessions-0-start_time",
            "Enter a valid time",
            'value="half two"',
            id="unparseable-time",
        ),
        pytest.param(
            {"sessions-0-date_day": "31", "sessions-0-date_month": "2"},
            "id_sessions-0-date",
            "Enter a real date",
            'value="31"',
            id="no-such-date",
        ),
        pytest.param(
            {"signup_deadline_date_month": "13"},
            "id_signup_deadline_date",
            "Enter a real date",
            'value="13"',
            id="no-such-deadline-month",
        ),
        pytest.param(
            {"sessions-0-joining_link": "not a link at all"},
            "id_sessions-0-joining_link",
            "Enter a valid URL",
            'value="not a link at all"',
            id="bad-joining-link",
        ),
    ],
)
def test_it_explains_bad_input_by_the_field_and_keeps_it(client, worker, overrides, field_id, message, kept):
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:create"), new_opportunity_post(worker, summary=TYPED, **overrides)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in error_by(page, field_id)
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert TYPED in page
    if kept:
        assert kept in page
    assert not Opportunity.objects.exists()


def test_it_asks_for_at_least_one_session(client, worker):
    client.force_login(worker)
    empty_session = {key: "" for key in session_fields(0, days_ahead(20))}
    response = client.post(
        reverse("opportunities:create"), new_opportunity_post(worker, summary=TYPED, **empty_session)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem with the sessions" in page
    assert 'href="#sessions-error">Add at least one session' in page
    assert 'id="sessions-error"' in page
    assert "<title>Error: " in page
    assert TYPED in page
    assert not Opportunity.objects.exists()


def test_it_numbers_the_session_with_the_problem_in_the_summary(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(
        worker, **management(2), **session_fields(1, days_ahead(21), "15:00", "14:00")
    )
    page = client.post(reverse("opportunities:create"), data).content.decode()
    assert "Session 2: The end time must be after the start time" in page
    assert 'href="#id_sessions-1-end_time"' in page
    assert not Opportunity.objects.exists()


def test_it_refuses_a_deadline_after_the_first_session_and_keeps_the_input(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, summary=TYPED, **date_fields("signup_deadline_date", days_ahead(25)))
    response = client.post(reverse("opportunities:create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The sign-up deadline must be before the first session" in page
    assert "<title>Error: " in page
    assert TYPED in page
    assert f'value="{days_ahead(25).day}"' in page
    assert not Opportunity.objects.exists()


def test_it_shows_a_deadline_after_the_first_session_by_the_deadline_field(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, **date_fields("signup_deadline_date", days_ahead(25)))
    page = client.post(reverse("opportunities:create"), data).content.decode()
    assert "before the first session" in error_by(page, "id_signup_deadline_date")
    assert 'href="#id_signup_deadline_date_day"' in page


def test_it_explains_a_negative_number_of_places_plainly(client, worker):
    client.force_login(worker)
    page = client.post(
        reverse("opportunities:create"), new_opportunity_post(worker, places="-1")
    ).content.decode()
    assert "There must be at least 1 place" in error_by(page, "id_places")
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    "typed,saved",
    [
        ("14:30", time(14, 30)),
        ("2:30pm", time(14, 30)),
        ("2 pm", time(14)),
        ("14.30", time(14, 30)),
        ("0930", time(9, 30)),
    ],
)
def test_it_understands_times_as_people_write_them(client, worker, typed, saved):
    client.force_login(worker)
    data = new_opportunity_post(worker, **session_fields(0, days_ahead(20), typed, "11pm"))
    assert client.post(reverse("opportunities:create"), data).status_code == 302
    assert timezone.localtime(Opportunity.objects.get().starts_at).time() == saved


def test_it_understands_a_time_written_with_a_dot_and_pm(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, **session_fields(0, days_ahead(20), "2.30pm", "4.15pm"))
    assert client.post(reverse("opportunities:create"), data).status_code == 302
    assert timezone.localtime(Opportunity.objects.get().starts_at).time() == time(14, 30)


def test_only_workers_may_post_an_opportunity(client, manager):
    client.force_login(manager)
    response = client.post(reverse("opportunities:create"), new_opportunity_post(manager))
    assert response.status_code == 403
    assert not Opportunity.objects.exists()


# --- "Add another session" without JavaScript ------------------------------------------------


def test_add_another_session_returns_the_form_with_one_more_session_and_saves_nothing(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(
        worker, summary=TYPED, add_session="1", **session_fields(0, days_ahead(20), "2pm")
    )
    response = client.post(reverse("opportunities:create"), data)

    assert response.status_code == 200
    assert not Opportunity.objects.exists()
    formset = response.context["formset"]
    assert formset.total_form_count() == 2
    page = response.content.decode()
    assert 'name="sessions-TOTAL_FORMS" value="2"' in page
    assert "Session 2" in page
    assert 'name="sessions-1-start_time"' in page
    # Everything typed so far is kept, in the opportunity and in the first session.
    assert TYPED in page
    assert 'name="sessions-0-start_time" value="2pm"' in page
    assert f'name="sessions-0-date_day" value="{days_ahead(20).day}"' in page
    assert "There is a problem" not in page
    assert "<title>Error: " not in page


def test_after_adding_a_session_both_are_saved(client, worker):
    client.force_login(worker)
    first = client.post(reverse("opportunities:create"), new_opportunity_post(worker, add_session="1"))
    assert first.status_code == 200
    data = new_opportunity_post(
        worker, **management(2), **session_fields(1, days_ahead(22), "13:00", "15:00")
    )
    response = client.post(reverse("opportunities:create"), data)
    assert response.status_code == 302
    assert Opportunity.objects.get().sessions.count() == 2


def test_add_another_session_on_a_half_filled_form_shows_no_errors_yet(client, worker):
    client.force_login(worker)
    data = new_opportunity_post(worker, title="", description="", add_session="1")
    response = client.post(reverse("opportunities:create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["formset"].total_form_count() == 2
    assert "nhsuk-error-message" not in page
    assert "<title>Error: " not in page


# --- editing -------------------------------------------------------------------------------


@pytest.fixture
def two_session_opportunity(worker):
    return OpportunityFactory(
        lead_worker=worker,
        status=Opportunity.Status.DRAFT,
        sessions=[(local(20, 10), local(20, 12)), (local(27, 14), local(27, 16))],
    )


def edit_post(opportunity, **overrides) -> dict:
    """What the edit page posts back when nothing but `overrides` is changed."""
    data = {
        **opportunity_fields(
            lead_worker=opportunity.lead_worker,
            activity_type=opportunity.activity_type,
            team=opportunity.team,
            title=opportunity.title,
            summary=opportunity.summary,
            description=opportunity.description,
            accessibility=opportunity.accessibility,
            payment=opportunity.payment,
            places=str(opportunity.places),
            **date_fields("signup_deadline_date", timezone.localtime(opportunity.signup_deadline).date()),
        ),
        **management(3, initial=2),
        **session_fields(0, days_ahead(20), "10:00", "12:00"),
        **session_fields(1, days_ahead(27), "14:00", "16:00"),
        **{key: "" for key in session_fields(2, days_ahead(30))},
    }
    data.update(overrides)
    return data


def test_the_edit_page_shows_the_sessions_and_the_deadline(client, worker, two_session_opportunity):
    client.force_login(worker)
    response = client.get(reverse("opportunities:edit", args=[two_session_opportunity.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="sessions-INITIAL_FORMS" value="2"' in page
    assert 'name="sessions-0-start_time" value="10:00"' in page
    assert 'name="sessions-1-start_time" value="14:00"' in page
    assert f'name="sessions-1-date_day" value="{days_ahead(27).day}"' in page
    deadline = timezone.localtime(two_session_opportunity.signup_deadline).date()
    assert f'name="signup_deadline_date_day" value="{deadline.day}"' in page


def test_editing_the_title_keeps_the_sessions(client, worker, two_session_opportunity):
    client.force_login(worker)
    url = reverse("opportunities:edit", args=[two_session_opportunity.pk])
    response = client.post(url, edit_post(two_session_opportunity, title="A better title"))

    assert response.status_code == 302
    two_session_opportunity.refresh_from_db()
    assert two_session_opportunity.title == "A better title"
    assert two_session_opportunity.status == Opportunity.Status.DRAFT
    assert [(s.starts_at, s.ends_at) for s in two_session_opportunity.sessions.order_by("starts_at")] == [
        (local(20, 10), local(20, 12)),
        (local(27, 14), local(27, 16)),
    ]


def test_editing_can_remove_one_session_and_move_another(client, worker, two_session_opportunity):
    client.force_login(worker)
    url = reverse("opportunities:edit", args=[two_session_opportunity.pk])
    data = edit_post(two_session_opportunity, **{"sessions-0-DELETE": "on", "sessions-1-start_time": "13:00"})
    assert client.post(url, data).status_code == 302
    assert [(s.starts_at, s.ends_at) for s in two_session_opportunity.sessions.all()] == [
        (local(27, 13), local(27, 16))
    ]
    two_session_opportunity.refresh_from_db()
    assert two_session_opportunity.starts_at == local(27, 13)


def test_editing_keeps_the_places_already_taken(client, worker, representative, outsider):
    opportunity = OpportunityFactory(
        lead_worker=worker,
        places=3,
        sessions=[(local(20, 10), local(20, 12)), (local(27, 14), local(27, 16))],
    )
    signup_create(opportunity=opportunity, person=representative)
    signup_create(opportunity=opportunity, person=outsider)
    client.force_login(worker)
    url = reverse("opportunities:edit", args=[opportunity.pk])

    response = client.post(url, edit_post(opportunity, places="1"))
    assert response.status_code == 200
    assert "2 places are already taken: there must be at least that many." in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.places == 3

    assert client.post(url, edit_post(opportunity, places="4")).status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.places, opportunity.places_taken, opportunity.status) == (
        4,
        2,
        Opportunity.Status.PUBLISHED,
    )


# --- cancelling an opportunity -------------------------------------------------------------


def test_cancelling_without_a_reason_says_so_by_the_field_and_cancels_nothing(client, worker, representative):
    opportunity = OpportunityFactory(lead_worker=worker)
    signup_create(opportunity=opportunity, person=representative)
    client.force_login(worker)
    response = client.post(reverse("opportunities:cancel", args=[opportunity.pk]), {"reason": "   "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a reason" in error_by(page, "id_reason")
    assert "There is a problem" in page
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    assert not Message.objects.filter(kind=Kind.OPPORTUNITY_CANCELLED).exists()


def test_cancelling_with_a_reason_tells_everyone_signed_up(client, worker):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    confirmed, waiting, gone = (person(roles=[Role.REPRESENTATIVE]) for _ in range(3))
    signup_create(opportunity=opportunity, person=confirmed)
    signup_create(opportunity=opportunity, person=waiting)
    signup_withdraw(signup=signup_create(opportunity=opportunity, person=gone), person=gone)
    client.force_login(worker)

    response = client.post(
        reverse("opportunities:cancel", args=[opportunity.pk]), {"reason": "The interviews are postponed."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:detail", args=[opportunity.pk])
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CANCELLED
    assert opportunity.cancel_reason == "The interviews are postponed."
    states = dict(opportunity.signups.values_list("person", "state"))
    assert states == {confirmed.pk: "cancelled", waiting.pk: "cancelled", gone.pk: "withdrawn"}
    told = Message.objects.filter(kind=Kind.OPPORTUNITY_CANCELLED)
    assert set(told.values_list("recipient", flat=True)) == {confirmed.pk, waiting.pk}
    page = client.get(response["Location"]).content.decode()
    assert "Everyone who signed up has been told why." in page
    assert "This has been cancelled" in page and "The interviews are postponed." in page


# --- cancelling one person's place ---------------------------------------------------------


def test_cancelling_a_place_needs_a_reason(client, worker, representative):
    opportunity = OpportunityFactory(lead_worker=worker)
    signup = signup_create(opportunity=opportunity, person=representative)
    client.force_login(worker)
    url = reverse("opportunities:cancel_signup", args=[opportunity.pk, signup.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Enter a reason" in error_by(response.content.decode(), "id_reason")
    signup.refresh_from_db()
    assert signup.state == SignUp.State.CONFIRMED


def test_cancelling_a_place_records_the_reason_and_offers_it_to_the_next_person(
    client, worker, representative, outsider
):
    opportunity = OpportunityFactory(lead_worker=worker, places=1)
    signup = signup_create(opportunity=opportunity, person=representative)
    waiting = signup_create(opportunity=opportunity, person=outsider)
    client.force_login(worker)

    response = client.post(
        reverse("opportunities:cancel_signup", args=[opportunity.pk, signup.pk]),
        {"reason": "The panel needs someone who has not used this ward."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:participants", args=[opportunity.pk])
    signup.refresh_from_db()
    waiting.refresh_from_db()
    assert signup.state == SignUp.State.CANCELLED
    assert signup.events.last().reason == "The panel needs someone who has not used this ward."
    assert signup.events.last().actor == worker
    assert waiting.state == SignUp.State.OFFERED
    assert (
        "The place has been cancelled and the reason recorded."
        in client.get(response["Location"]).content.decode()
    )


def test_cancelling_a_place_already_withdrawn_explains_why_not(client, worker, representative):
    opportunity = OpportunityFactory(lead_worker=worker)
    signup = signup_withdraw(
        signup=signup_create(opportunity=opportunity, person=representative), person=representative
    )
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:cancel_signup", args=[opportunity.pk, signup.pk]), {"reason": "Tidying up."}
    )
    assert response.status_code == 200
    assert "This sign-up is withdrawn, so it cannot be changed that way." in response.content.decode()
    signup.refresh_from_db()
    assert signup.state == SignUp.State.WITHDRAWN
    # Withdrawing gave no reason, and the history makes none up.
    assert list(signup.events.values_list("to_state", "reason")) == [
        (SignUp.State.CONFIRMED, ""),
        (SignUp.State.WITHDRAWN, ""),
    ]


# --- browse filters ------------------------------------------------------------------------


@pytest.fixture
def catalogue(worker, outsider):
    """Two published opportunities that differ in every filterable way."""
    alpha = OpportunityFactory(
        title="Alpha",
        involvement_level=InvolvementLevel.CONSULTING,
        format=Format.IN_PERSON,
        is_paid=True,
        places=3,
        lead_worker=worker,
        sessions=[(local(10, 10), local(10, 12))],
    )
    beta = OpportunityFactory(
        title="Beta",
        involvement_level=InvolvementLevel.CO_PRODUCING,
        format=Format.ONLINE,
        is_paid=False,
        payment="",
        places=1,
        signup_deadline=timezone.now() + timedelta(days=20),
        lead_worker=worker,
        sessions=[(local(40, 10), local(40, 12))],
    )
    signup_create(opportunity=beta, person=outsider)  # Beta is now full.
    return {"alpha": alpha, "beta": beta}


FILTERS = [
    pytest.param(lambda c: {}, ["Alpha", "Beta"], id="no-filter"),
    pytest.param(lambda c: {"activity_type": c["alpha"].activity_type_id}, ["Alpha"], id="activity-type"),
    pytest.param(lambda c: {"activity_type": c["beta"].activity_type_id}, ["Beta"], id="activity-type-2"),
    pytest.param(lambda c: {"involvement_level": "co-producing"}, ["Beta"], id="level"),
    pytest.param(lambda c: {"involvement_level": "informing"}, [], id="level-none"),
    pytest.param(lambda c: {"format": "in_person"}, ["Alpha"], id="format"),
    pytest.param(lambda c: {"format": "online"}, ["Beta"], id="format-2"),
    pytest.param(lambda c: {"team": c["beta"].team_id}, ["Beta"], id="team"),
    pytest.param(lambda c: date_fields("starts_from", days_ahead(30)), ["Beta"], id="starts-from"),
    pytest.param(
        lambda c: date_fields("starts_from", days_ahead(10)), ["Alpha", "Beta"], id="starts-from-same-day"
    ),
    pytest.param(lambda c: date_fields("starts_to", days_ahead(30)), ["Alpha"], id="starts-to"),
    pytest.param(lambda c: date_fields("starts_to", days_ahead(10)), ["Alpha"], id="starts-to-same-day"),
    pytest.param(
        lambda c: {**date_fields("starts_from", days_ahead(11)), **date_fields("starts_to", days_ahead(39))},
        [],
        id="between-nothing",
    ),
    pytest.param(lambda c: {"paid": "yes"}, ["Alpha"], id="paid"),
    pytest.param(lambda c: {"paid": "no"}, ["Beta"], id="unpaid"),
    pytest.param(lambda c: {"places_left": "on"}, ["Alpha"], id="places-left"),
    pytest.param(lambda c: {"q": "Alpha"}, ["Alpha"], id="search"),
    pytest.param(
        lambda c: {"format": "online", "paid": "no", "involvement_level": "co-producing"},
        ["Beta"],
        id="combined",
    ),
    pytest.param(lambda c: {"format": "online", "paid": "yes"}, [], id="combined-none"),
]


@pytest.mark.parametrize("params,expected", FILTERS)
def test_each_filter_narrows_the_results(client, catalogue, params, expected):
    response = client.get(reverse("opportunities:browse"), params(catalogue))
    assert response.status_code == 200
    assert titles_on(response) == expected
    page = response.content.decode()
    count = len(expected)
    assert f"{count} opportunit{'y' if count == 1 else 'ies'}" in page
    if not expected:
        assert "No opportunities match. Try fewer filters." in page


def test_browse_lists_only_published_opportunities_still_ahead(client, worker):
    OpportunityFactory(title="Open one", lead_worker=worker)
    for status in ["draft", "closed", "completed", "cancelled"]:
        OpportunityFactory(title=f"A {status} one", status=status, lead_worker=worker)
    OpportunityFactory(
        title="Already over",
        lead_worker=worker,
        signup_deadline=timezone.now() - timedelta(days=3),
        sessions=[
            (timezone.now() - timedelta(days=2), timezone.now() - timedelta(days=2) + timedelta(hours=2))
        ],
    )
    assert titles_on(client.get(reverse("opportunities:browse"))) == ["Open one"]


def test_search_puts_a_title_match_above_a_description_only_match(client, worker):
    # The description-only match starts sooner, so only the ranking can put the title first.
    OpportunityFactory(
        title="Ward manager interviews",
        description="Help staff choose who runs the crisis team.",
        lead_worker=worker,
        sessions=[(local(5, 10), local(5, 12))],
        signup_deadline=timezone.now() + timedelta(days=2),
    )
    OpportunityFactory(
        title="Crisis line training",
        description="Help us write the training.",
        lead_worker=worker,
        sessions=[(local(30, 10), local(30, 12))],
    )
    OpportunityFactory(title="Something else", description="Nothing to see.", lead_worker=worker)

    response = client.get(reverse("opportunities:browse"), {"q": "crisis"})
    assert titles_on(response) == ["Crisis line training", "Ward manager interviews"]
    assert 'value="crisis"' in response.content.decode()


def test_search_understands_phrases_and_exclusions(client, worker):
    OpportunityFactory(title="Crisis line training", lead_worker=worker)
    OpportunityFactory(title="Crisis team interviews", lead_worker=worker)
    assert titles_on(client.get(reverse("opportunities:browse"), {"q": "crisis -training"})) == [
        "Crisis team interviews"
    ]
    # Search syntax a person might type by accident must not break the page.
    for q in ['"unclosed quote', "!!! & |", "OR", "   "]:
        assert client.get(reverse("opportunities:browse"), {"q": q}).status_code == 200, q


def test_matching_my_interests_shows_only_those_types(client, catalogue, representative):
    representative.profile.interests.add(catalogue["beta"].activity_type)
    client.force_login(representative)
    response = client.get(reverse("opportunities:browse"), {"mine": "on"})
    assert titles_on(response) == ["Beta"]
    assert 'name="mine"' in response.content.decode()
    assert titles_on(client.get(reverse("opportunities:browse"))) == ["Alpha", "Beta"]


def test_visitors_are_not_offered_the_interests_filter(client, catalogue):
    response = client.get(reverse("opportunities:browse"), {"mine": "on"})
    assert response.status_code == 200
    assert 'name="mine"' not in response.content.decode()
    assert titles_on(response) == ["Alpha", "Beta"]


def test_matching_interests_without_a_profile_is_not_a_500(client, catalogue):
    no_profile = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(no_profile)
    response = client.get(reverse("opportunities:browse"), {"mine": "on"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params,field_id,message,kept",
    [
        pytest.param(
            {"starts_from_day": "40", "starts_from_month": "1", "starts_from_year": "2027"},
            "id_starts_from",
            "Enter a real date",
            'value="40"',
            id="day-40",
        ),
        pytest.param(
            {"starts_to_day": "1", "starts_to_month": "", "starts_to_year": "2027"},
            "id_starts_to",
            "must include a month",
            'name="starts_to_year" value="2027"',
            id="missing-month",
        ),
        pytest.param(
            {"starts_from_day": "1", "starts_from_month": "1", "starts_from_year": "27"},
            "id_starts_from",
            "Enter the year as 4 numbers",
            'value="27"',
            id="two-digit-year",
        ),
        pytest.param(
            {"activity_type": "999999"}, "id_activity_type", "Select a valid choice", None, id="type"
        ),
        pytest.param({"format": "by pigeon"}, "id_format", "Select a valid choice", None, id="format"),
    ],
)
def test_invalid_filter_input_is_explained_not_a_500(client, catalogue, params, field_id, message, kept):
    response = client.get(reverse("opportunities:browse"), {"q": "panel", **params})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error: " in page
    assert message in error_by(page, field_id)
    assert 'value="panel"' in page
    if kept:
        assert kept in page


def test_filter_values_are_kept_in_the_form(client, catalogue):
    params = {
        "q": "panel",
        "activity_type": catalogue["alpha"].activity_type_id,
        "involvement_level": "consulting",
        "format": "in_person",
        "team": catalogue["alpha"].team_id,
        "paid": "yes",
        "places_left": "on",
        **date_fields("starts_from", days_ahead(1)),
        **date_fields("starts_to", days_ahead(60)),
    }
    response = client.get(reverse("opportunities:browse"), params)
    page = response.content.decode()
    assert titles_on(response) == ["Alpha"]
    assert 'name="q" value="panel"' in page
    assert re.search(rf'<option value="{catalogue["alpha"].activity_type_id}" selected>', page)
    assert re.search(rf'<option value="{catalogue["alpha"].team_id}" selected>', page)
    assert re.search(r'<option value="yes" selected>', page)
    assert re.search(r'name="involvement_level"[^>]*>.*?<option value="consulting" selected>', page, re.S)
    assert re.search(r'name="format"[^>]*>.*?<option value="in_person" selected>', page, re.S)
    assert re.search(r'name="places_left"[^>]*checked', page)
    assert f'name="starts_to_day" value="{days_ahead(60).day}"' in page


def test_pagination_keeps_the_filters_in_the_page_links(client, worker):
    for number in range(25):
        OpportunityFactory(title=f"Crisis panel {number:02}", lead_worker=worker, format=Format.ONLINE)
    OpportunityFactory(title="Not matching", lead_worker=worker, format=Format.IN_PERSON)
    params = {"q": "crisis", "format": "online"}

    first = client.get(reverse("opportunities:browse"), params)
    assert len(titles_on(first)) == 20
    assert "25 opportunities" in first.content.decode()
    links = re.findall(r'href="(\?page=2[^"]*)"', first.content.decode())
    assert links, "no link to page 2"
    link = html.unescape(links[0])
    assert "q=crisis" in link and "format=online" in link
    assert link.count("page=") == 1

    second = client.get(reverse("opportunities:browse") + link)
    assert len(titles_on(second)) == 5
    assert all(title.startswith("Crisis panel") for title in titles_on(second))
    previous = html.unescape(re.findall(r'href="(\?page=1[^"]*)"', second.content.decode())[0])
    assert "q=crisis" in previous and "format=online" in previous and previous.count("page=") == 1


@pytest.mark.parametrize("page", ["0", "-1", "999", "two"])
def test_an_odd_page_number_still_shows_a_page(client, catalogue, page):
    response = client.get(reverse("opportunities:browse"), {"page": page})
    assert response.status_code == 200
    assert titles_on(response) == ["Alpha", "Beta"]


# --- the fee: rate cards (issue 12) ----------------------------------------------------------


def create_and_publish(client, worker, **overrides) -> tuple[Opportunity, str]:
    """Post a new opportunity, publish it from its page, and return it with the page shown."""
    client.force_login(worker)
    data = {
        key: value for key, value in new_opportunity_post(worker, **overrides).items() if value is not None
    }
    client.post(reverse("opportunities:create"), data)
    opportunity = Opportunity.objects.get()
    response = client.post(reverse("opportunities:publish", args=[opportunity.pk]), follow=True)
    opportunity.refresh_from_db()
    return opportunity, response.content.decode()


def test_the_form_offers_each_active_rate_card_with_its_rate_today(client, worker):
    standard_card(amount="11.50")
    # A rise from next week is not today's rate.
    Rate.objects.create(
        card=RateCard.objects.get(name="Test standard"),
        effective_from=days_ahead(7),
        unit=RateUnit.HOUR,
        amount=Decimal("12.65"),
    )
    RateCard.objects.create(name="Retired card", is_active=False)
    client.force_login(worker)
    page = html.unescape(client.get(reverse("opportunities:create")).content.decode())
    assert "Test standard: £11.50 an hour, preparation included" in page
    assert "Short activity: £20.00 for each block of up to 3 hours, preparation included" in page
    assert "12.65" not in page
    assert "Retired card" not in page


def test_publishing_copies_the_rate_in_force_and_a_later_rate_changes_nothing(client, worker):
    card = standard_card(amount="11.50", since_days=30)
    Rate.objects.create(card=card, effective_from=days_ahead(3), unit=RateUnit.HOUR, amount=Decimal("12.65"))

    opportunity, _ = create_and_publish(client, worker, rate_card=str(card.pk))

    assert opportunity.status == Opportunity.Status.PUBLISHED
    assert opportunity.rate_card == card
    assert (opportunity.fee_rate_name, opportunity.fee_unit) == ("Test standard", RateUnit.HOUR)
    assert opportunity.fee_amount == Decimal("11.50")
    assert opportunity.fee_rate_from == timezone.localdate() - timedelta(days=30)

    # The card pays more from today: what was promised stays as it was.
    Rate.objects.create(
        card=card, effective_from=timezone.localdate(), unit=RateUnit.HOUR, amount=Decimal("20")
    )
    page = html.unescape(client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode())
    assert "£11.50 an hour, preparation included" in page
    assert "£20.00" not in page
    browse = html.unescape(client.get(reverse("opportunities:browse")).content.decode())
    assert "£11.50 an hour, preparation included" in browse

    # Nor can the card be changed by editing: the field is shown fixed, and a forged post is ignored.
    edit_url = reverse("opportunities:edit", args=[opportunity.pk])
    form_page = html.unescape(client.get(edit_url).content.decode())
    assert "The rate was fixed when this was published: £11.50 an hour, preparation included." in form_page
    other = RateCard.objects.get(name="Short activity")
    data = {
        **opportunity_fields(lead_worker=worker, rate_card=other, activity_type=opportunity.activity_type),
        "team": str(opportunity.team_id),
        **management(1, initial=1),
        **session_fields(0, days_ahead(20), id=str(opportunity.sessions.get().pk)),
    }
    response = client.post(edit_url, data)
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.rate_card == card
    assert opportunity.fee_amount == Decimal("11.50")


def test_publishing_with_a_card_that_has_no_rate_in_force_says_so(client, worker):
    card = RateCard.objects.create(name="Next year's card")
    Rate.objects.create(card=card, effective_from=days_ahead(60), unit=RateUnit.HOUR, amount=Decimal("13"))

    opportunity, page = create_and_publish(client, worker, rate_card=str(card.pk))

    assert opportunity.status == Opportunity.Status.DRAFT
    assert opportunity.fee_amount is None
    assert "The rate card “Next year's card” has no rate in force today" in html.unescape(page)


def test_an_unpaid_opportunity_keeps_no_card_and_says_it_is_unpaid(client, worker):
    opportunity, _ = create_and_publish(client, worker, is_paid=None, payment="")

    assert not opportunity.is_paid
    assert opportunity.rate_card is None and opportunity.fee_amount is None
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert "Unpaid: there is no fee for this activity" in page
    browse = client.get(reverse("opportunities:browse")).content.decode()
    assert "Unpaid: there is no fee for this activity" in browse


def test_a_draft_shows_its_cards_rate_today_and_the_extras(client, worker):
    card = standard_card(amount="15.00")
    draft = OpportunityFactory(
        lead_worker=worker, status=Opportunity.Status.DRAFT, rate_card=card, payment="Lunch provided"
    )
    client.force_login(worker)
    page = html.unescape(client.get(reverse("opportunities:detail", args=[draft.pk])).content.decode())
    assert "£15.00 an hour, preparation included" in page
    assert "Also: Lunch provided" in page


def test_a_duplicate_promises_the_rate_in_force_when_it_is_published(client, worker):
    card = standard_card(amount="11.50")
    opportunity, _ = create_and_publish(client, worker, rate_card=str(card.pk))
    Rate.objects.create(
        card=card, effective_from=timezone.localdate(), unit=RateUnit.HOUR, amount=Decimal("14")
    )

    client.post(reverse("opportunities:duplicate", args=[opportunity.pk]))

    copy = Opportunity.objects.exclude(pk=opportunity.pk).get()
    assert copy.rate_card == card
    assert copy.fee_amount is None and copy.fee_rate_name == ""


def test_the_service_keeps_the_card_and_the_promised_fee_whatever_an_edit_brings(client, worker):
    """Past the form: an edit of a published opportunity cannot change its card or its fee."""
    from opportunities.services import opportunity_save
    from opportunities.services.sessions import SessionData

    card = standard_card(amount="11.50")
    opportunity, _ = create_and_publish(client, worker, rate_card=str(card.pk))
    edited = Opportunity.objects.get(pk=opportunity.pk)
    edited.rate_card = RateCard.objects.get(name="Short activity")
    edited.fee_amount = Decimal("99.00")
    session = opportunity.sessions.get()
    opportunity_save(
        opportunity=edited,
        sessions=[
            SessionData(
                id=session.pk, starts_at=session.starts_at, ends_at=session.ends_at, area=session.area
            )
        ],
        by=worker,
    )
    opportunity.refresh_from_db()
    assert opportunity.rate_card == card and opportunity.fee_amount == Decimal("11.50")
