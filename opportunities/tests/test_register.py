"""Access needs for the day (issue 13, item 6): hybrid sign-ups ask in person or online, and
the lead worker's printable register for a session lists who is coming, how they join and
the access needs they shared (never the private support note), each opening access-logged."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import person
from opportunities.models import Format, SignUp
from opportunities.services import (
    OpportunityError,
    attendance_record,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

NEEDS = "Step-free access and a hearing loop."
PRIVATE = "Private words about my health."
WHAT_HELPS = "Call my sister if I am upset."


def rep(name: str, **profile):
    fields = {"support_needs": PRIVATE, "what_helps_me": WHAT_HELPS, **profile}
    return person(roles=[Role.REPRESENTATIVE], display_name=name, **fields)


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


@pytest.fixture
def hybrid(lead):
    """Three places, hybrid: Ann in person (shares needs), Ben online (shares none), Cat in
    person; Dee waiting; Eve withdrew."""
    opportunity = OpportunityFactory(lead_worker=lead, places=3, format=Format.HYBRID, title="Ward panel")
    people = {
        "Ann": rep("Ann", access_needs_shared=NEEDS),
        "Ben": rep("Ben"),
        "Cat": rep("Cat", access_needs_shared="Large print."),
        "Dee": rep("Dee", access_needs_shared="Dee's needs."),
        "Eve": rep("Eve", access_needs_shared="Eve's needs."),
    }
    signup_create(opportunity=opportunity, person=people["Eve"], attendance_mode="online")
    signup_withdraw(signup=opportunity.signups.get(person=people["Eve"]), person=people["Eve"])
    signup_create(opportunity=opportunity, person=people["Ann"], attendance_mode="in_person")
    signup_create(opportunity=opportunity, person=people["Ben"], attendance_mode="online")
    signup_create(opportunity=opportunity, person=people["Cat"], attendance_mode="in_person")
    signup_create(opportunity=opportunity, person=people["Dee"], attendance_mode="online")
    assert opportunity.signups.get(person=people["Dee"]).state == SignUp.State.WAITLISTED
    return opportunity, people


def register_url(opportunity, session=None) -> str:
    session = session or opportunity.sessions.first()
    return reverse("opportunities:register", args=[opportunity.pk, session.pk])


def test_the_register_lists_who_is_coming_how_they_join_and_only_their_shared_needs(client, lead, hybrid):
    opportunity, _ = hybrid
    client.force_login(lead)
    response = client.get(register_url(opportunity))
    assert response.status_code == 200
    rows = [(row.name, row.joins, row.access_needs) for row in response.context["page"].rows]
    assert rows == [
        ("Ann", "In person", NEEDS),
        ("Ben", "Online", ""),
        ("Cat", "In person", "Large print."),
    ]
    page = response.content.decode()
    assert "3 people coming: 2 in person, 1 online." in page
    assert "Step-free access and a hearing loop." in page
    assert "None shared" in page
    for never in ("Private words", "Call my sister", "Dee", "Eve"):
        assert never not in page
    # Nothing on the page needs JavaScript: no script of its own, no inline script.
    assert page.count("<script") == 1  # the site's one module, which the page does not need


def test_each_opening_is_logged_for_each_person_whose_needs_it_shows(client, lead, hybrid):
    opportunity, people = hybrid
    client.force_login(lead)
    client.get(register_url(opportunity))
    client.get(register_url(opportunity))
    entries = AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS)
    assert sorted(entry.subject.profile.display_name for entry in entries) == ["Ann", "Ann", "Cat", "Cat"]
    assert {entry.viewer for entry in entries} == {lead}
    assert {entry.path for entry in entries} == {register_url(opportunity)}
    # Each printable register is an export too, of nobody's needs in particular (issue 16).
    exports = AccessLogEntry.objects.filter(what=AccessLogEntry.What.EXPORT)
    assert [(e.viewer, e.subject) for e in exports] == [(lead, None), (lead, None)]
    assert "Ann" not in exports[0].detail and NEEDS not in exports[0].detail


def test_a_person_who_has_not_said_is_marked_so_and_a_single_format_says_how(client, lead):
    opportunity = OpportunityFactory(lead_worker=lead, places=3, format=Format.HYBRID)
    # Signed up before the question existed, or by a path that does not ask.
    signup_create(opportunity=opportunity, person=rep("Ann"))
    online = OpportunityFactory(lead_worker=lead, places=3, format=Format.ONLINE)
    # The answer is only kept for a hybrid activity.
    signup = signup_create(opportunity=online, person=rep("Ben"), attendance_mode="in_person")
    assert signup.attendance_mode == ""
    client.force_login(lead)
    (row,) = client.get(register_url(opportunity)).context["page"].rows
    assert row.joins == "Not said"
    (row,) = client.get(register_url(online)).context["page"].rows
    assert row.joins == "Online"
    in_person = OpportunityFactory(lead_worker=lead, places=3, format=Format.IN_PERSON)
    signup_create(opportunity=in_person, person=rep("Cy"))
    (row,) = client.get(register_url(in_person)).context["page"].rows
    assert row.joins == "In person"


def test_people_who_took_part_long_ago_are_listed_without_their_needs_and_not_logged(client, lead, settings):
    end = timezone.now() - timedelta(days=settings.LEAD_ACCESS_DAYS_AFTER + 5)
    opportunity = OpportunityFactory(lead_worker=lead, places=3, sessions=[(end - timedelta(hours=2), end)])
    signup = signup_create(opportunity=opportunity, person=rep("Ann", access_needs_shared=NEEDS))
    attendance_record(signup=signup, session=opportunity.sessions.get(), attended=True, by=lead)
    client.force_login(lead)
    response = client.get(register_url(opportunity))
    (row,) = response.context["page"].rows
    assert (row.name, row.access_needs) == ("Ann", "")
    assert NEEDS not in response.content.decode()
    assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", "login"),
        ("representative", 403),
        ("outsider", 403),
        ("other_worker", 403),
        ("lead", 200),
        ("worker", 403),  # the representative's named worker, but not the lead
        ("manager", 403),
        ("administrator", 403),
    ],
)
def test_only_the_lead_worker_may_open_the_register(client, request, lead, representative, who, status):
    opportunity = OpportunityFactory(lead_worker=lead, places=3)
    signup_create(opportunity=opportunity, person=representative)
    representative.profile.access_needs_shared = NEEDS
    representative.profile.save()
    if who != "visitor":
        client.force_login(lead if who == "lead" else request.getfixturevalue(who))
    response = client.get(register_url(opportunity))
    if status == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == status
    if status != 200:
        assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS).exists()
    # Pages that only show something take no POST.
    assert client.post(register_url(opportunity)).status_code in ({"login": 302}.get(status, 405),)


def test_a_session_of_another_opportunity_is_not_found(client, lead):
    mine = OpportunityFactory(lead_worker=lead)
    other = OpportunityFactory(lead_worker=lead)
    client.force_login(lead)
    response = client.get(reverse("opportunities:register", args=[mine.pk, other.sessions.get().pk]))
    assert response.status_code == 404
    assert client.get(reverse("opportunities:register", args=[mine.pk, 999999])).status_code == 404


def test_the_participants_page_links_each_session_s_register_for_the_lead_only(client, lead, worker, hybrid):
    opportunity, _ = hybrid
    client.force_login(lead)
    page = client.get(reverse("opportunities:participants", args=[opportunity.pk])).content.decode()
    assert register_url(opportunity) in page
    client.force_login(worker)
    page = client.get(reverse("opportunities:participants", args=[opportunity.pk])).content.decode()
    assert register_url(opportunity) not in page


@pytest.mark.parametrize("rows", [3, 30], ids=["few", "many"])
def test_the_register_runs_a_fixed_number_of_queries(client, lead, rows, django_assert_max_num_queries):
    opportunity = OpportunityFactory(lead_worker=lead, places=rows, format=Format.HYBRID)
    for number in range(rows):
        signup_create(
            opportunity=opportunity,
            person=rep(f"P{number}", access_needs_shared=f"Needs {number}"),
            attendance_mode="online" if number % 2 else "in_person",
        )
    client.force_login(lead)
    url = register_url(opportunity)
    client.get(url)
    with django_assert_max_num_queries(13):  # measured: 11
        response = client.get(url)
    assert len(response.context["page"].rows) == rows
    assert AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS).count() == 2 * rows


# --- the hybrid question at sign-up ------------------------------------------------------------


def test_a_hybrid_sign_up_asks_in_person_or_online_and_keeps_the_answer(client, lead, representative):
    opportunity = OpportunityFactory(lead_worker=lead, format=Format.HYBRID)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert 'name="attendance_mode"' in page
    response = client.post(
        reverse("opportunities:sign_up", args=[opportunity.pk]), {"note": "", "attendance_mode": "online"}
    )
    assert response.status_code == 302
    assert opportunity.signups.get(person=representative).attendance_mode == "online"


@pytest.mark.parametrize("answer", ["", "by carrier pigeon"])
def test_a_hybrid_sign_up_without_a_good_answer_comes_back_with_the_message_and_the_note(
    client, lead, representative, answer
):
    opportunity = OpportunityFactory(lead_worker=lead, format=Format.HYBRID)
    client.force_login(representative)
    response = client.post(
        reverse("opportunities:sign_up", args=[opportunity.pk]),
        {"note": "A quiet room, please.", "attendance_mode": answer},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["attendance_mode"]
    assert error.startswith("Choose in person or online") or error.startswith("Select a valid choice")
    page = response.content.decode()
    assert "A quiet room, please." in page
    assert "Error: " in page
    assert not opportunity.signups.exists()


def test_a_sign_up_that_is_not_hybrid_does_not_ask(client, lead, representative):
    opportunity = OpportunityFactory(lead_worker=lead, format=Format.IN_PERSON)
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert 'name="attendance_mode"' not in page
    response = client.post(reverse("opportunities:sign_up", args=[opportunity.pk]), {"note": ""})
    assert response.status_code == 302
    assert opportunity.signups.get(person=representative).attendance_mode == ""


def test_the_service_refuses_an_answer_that_is_not_one_of_the_two(lead, representative):
    opportunity = OpportunityFactory(lead_worker=lead, format=Format.HYBRID)
    with pytest.raises(OpportunityError, match="Choose in person or online"):
        signup_create(opportunity=opportunity, person=representative, attendance_mode="sideways")
    assert not opportunity.signups.exists()
