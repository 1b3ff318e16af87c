"""The worker's people pages (issue 13, items 1-3): the people list, a person's page, the
contact log and the named worker, per role, with bad input, the messages a change sends and
the queries each page runs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ContactLogEntry, NamedWorkerChange, Profile, User
from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.tests.factories import ActivityTypeFactory
from feedback.services import check_in_create
from notifications.models import Message
from opportunities.services import attendance_record, opportunity_complete, signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("worker:people")


def person_url(someone: User, name: str = "worker:person") -> str:
    return reverse(name, args=[someone.pk])


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


def finished(lead: User, **kwargs):
    end = timezone.now() - timedelta(days=3)
    return OpportunityFactory(lead_worker=lead, sessions=[(end - timedelta(hours=2), end)], **kwargs)


def took_part(opportunity, someone: User, *, attended: bool = True) -> None:
    signup = signup_create(opportunity=opportunity, person=someone)
    attendance_record(
        signup=signup, session=opportunity.sessions.get(), attended=attended, by=opportunity.lead_worker
    )


@pytest.fixture
def led(lead, representative):
    """The representative is signed up to an opportunity `lead` leads: it opens them to `lead`."""
    opportunity = OpportunityFactory(lead_worker=lead, title="Coming panel")
    signup_create(opportunity=opportunity, person=representative)
    return opportunity


def login(client, someone):
    client.force_login(someone)
    return client


# --- the people list -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("other_worker", 200),
        ("manager", 200),
        ("representative", 403),
        ("outsider", 403),
        ("administrator", 403),
    ],
)
def test_the_list_is_for_workers_and_managers(client, request, who, status):
    assert login(client, request.getfixturevalue(who)).get(PEOPLE).status_code == status


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_list_shows_what_anyone_may_see_and_nothing_more(client, representative, other_worker):
    representative.profile.phone = "07700 900123"
    representative.profile.taking_break = True
    representative.profile.save()
    page = login(client, other_worker).get(PEOPLE).content.decode()
    assert "Robin" in page
    assert "Wendy Worker" in page  # the named worker
    assert "Never" in page  # last took part
    for private in (representative.email, "07700 900123", "A seat near the door", "A short break"):
        assert private not in page
    # Staff are not on the list.
    assert "Otto Other" not in page.split("<tbody")[1]


def _names(response) -> list[str]:
    return [someone.profile.display_name for someone in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("rob", ["Robin"]),
        ("ROBIN", ["Robin"]),
        ("olive", ["Olive"]),
        ("sam jones", ["Sam"]),
        ("jones", ["Sam"]),
        ("@example.net", ["Sam"]),
        ("900 123", ["Robin"]),
        ("07700900123", ["Robin"]),
        ("+44 7700 900123", ["Robin"]),
        ("900123", ["Robin"]),
        ("nobody-at-all", []),
    ],
)
def test_it_finds_people_by_part_of_a_name_e_mail_or_phone(
    client, representative, outsider, worker, query, found
):
    representative.profile.phone = "07700 900123"
    representative.profile.save()
    # Names of our choosing, so that no made-up name matches by chance.
    User.objects.filter(pk__in=[representative.pk, outsider.pk, worker.pk]).update(
        first_name="", last_name=""
    )
    sam = person(roles=[Role.REPRESENTATIVE], display_name="Sam")
    User.objects.filter(pk=sam.pk).update(first_name="Samuel", last_name="Jones", email="sam@example.net")
    response = login(client, worker).get(PEOPLE, {"q": query})
    assert _names(response) == found


def test_people_are_listed_by_the_name_shown_whatever_its_case_and_pages_keep_that_order(
    client, representative, outsider, worker
):
    # Names of our choosing: "zoe" in lower case must not sort after "Zack" by its case, and a
    # person with no display name is listed by the e-mail address the list shows instead.
    Profile.objects.filter(user=representative).update(display_name="zoe")
    Profile.objects.filter(user=outsider).update(display_name="Zack")
    nameless = person(roles=[Role.REPRESENTATIVE], display_name="")
    User.objects.filter(pk=nameless.pk).update(email="mo@example.org")
    for n in range(30):
        person(roles=[Role.REPRESENTATIVE], display_name=f"Aaron {n:02d}")
    first = login(client, worker).get(PEOPLE)
    second = client.get(PEOPLE, {"page": 2})
    shown = [p.profile.display_name or p.email for p in first.context["page"].object_list] + [
        p.profile.display_name or p.email for p in second.context["page"].object_list
    ]
    assert shown == [f"Aaron {n:02d}" for n in range(30)] + ["mo@example.org", "Zack", "zoe"]


@pytest.mark.parametrize("query", ["07700 900777", "07700900777", "+447700900777", "900777"])
def test_it_finds_people_by_their_mobile_for_texts(client, outsider, worker, query):
    outsider.profile.mobile_number = "+447700900777"
    outsider.profile.save()
    assert _names(login(client, worker).get(PEOPLE, {"q": query})) == ["Olive"]


def test_a_search_past_its_limit_says_so_beside_the_field(client, worker):
    response = login(client, worker).get(PEOPLE, {"q": "x" * 101})
    assert response.status_code == 200
    assert "Search must be 100 characters or fewer" in response.content.decode()
    assert _names(response) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"named_worker": "everyone"}, "Choose a named worker from the list"),
        ({"interests": ["999999"]}, "Choose activities from the list"),
        ({"interests": ["knitting"]}, "Choose activities from the list"),
    ],
)
def test_a_filter_we_do_not_offer_says_so(client, representative, worker, params, message):
    response = login(client, worker).get(PEOPLE, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _names(response) == []


def test_the_named_worker_filter(client, representative, outsider, worker, other_worker):
    third = person(roles=[Role.REPRESENTATIVE], display_name="Tia", named_worker=other_worker)
    login(client, worker)
    assert _names(client.get(PEOPLE, {"named_worker": "me"})) == ["Robin"]
    assert _names(client.get(PEOPLE, {"named_worker": "any"})) == ["Robin", "Tia"]
    assert _names(client.get(PEOPLE, {"named_worker": "none"})) == ["Olive"]
    assert _names(client.get(PEOPLE, {"named_worker": ""})) == ["Olive", "Robin", "Tia"]
    assert third.profile.named_worker == other_worker


def test_the_interests_filter_lists_each_person_once(client, representative, outsider, worker):
    panels, training, other = ActivityTypeFactory(), ActivityTypeFactory(), ActivityTypeFactory()
    representative.profile.interests.set([panels, training])
    outsider.profile.interests.set([other])
    response = login(client, worker).get(PEOPLE, {"interests": [panels.pk, training.pk]})
    assert _names(response) == ["Robin"]
    assert _names(client.get(PEOPLE, {"interests": [other.pk, panels.pk]})) == ["Olive", "Robin"]


def test_the_break_filter_follows_the_return_date(client, representative, outsider, worker):
    today = timezone.localdate()
    representative.profile.taking_break = True
    representative.profile.break_until = today
    representative.profile.save()
    outsider.profile.taking_break = True
    outsider.profile.break_until = today - timedelta(days=1)  # back already
    outsider.profile.save()
    assert _names(login(client, worker).get(PEOPLE, {"on_break": "on"})) == ["Robin"]


def test_the_involvement_filters(client, representative, outsider, worker, lead):
    long_ago = person(roles=[Role.REPRESENTATIVE], display_name="Lon")
    old = finished(lead)
    took_part(old, long_ago)
    both = person(roles=[Role.REPRESENTATIVE], display_name="Bo")
    took_part(old, both)
    took_part(finished(lead), both)
    old_end = timezone.now() - timedelta(days=200)
    type(old).objects.filter(pk=old.pk).update(ends_at=old_end)
    took_part(finished(lead), representative)
    took_part(finished(lead), outsider, attended=False)  # a no-show is not taking part
    login(client, worker)
    assert _names(client.get(PEOPLE, {"never_involved": "on"})) == ["Olive"]
    assert _names(client.get(PEOPLE, {"not_recently": "on"})) == ["Lon"]
    response = client.get(PEOPLE)
    last = {
        someone.profile.display_name: someone.last_involved
        for someone in response.context["page"].object_list
    }
    assert last["Lon"] == old_end
    assert last["Olive"] is None


def test_the_new_registrants_filter(client, representative, outsider, worker):
    old = person(roles=[Role.REPRESENTATIVE], display_name="Old")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=31))
    # Robin is new but has a named worker; Old is without one but not new.
    assert _names(login(client, worker).get(PEOPLE, {"new_without_worker": "on"})) == ["Olive"]


def test_names_link_to_the_page_only_for_those_who_may_open_it(
    client, representative, outsider, worker, other_worker, lead, led, manager
):
    robin_link = f'href="{person_url(representative)}"'
    olive_link = f'href="{person_url(outsider)}"'
    for viewer, sees_robin in ((worker, True), (lead, True), (other_worker, False), (manager, False)):
        page = login(client, viewer).get(PEOPLE).content.decode()
        assert (robin_link in page) is sees_robin, viewer
        assert olive_link not in page
        # Everyone who may use the list may choose a named worker.
        assert person_url(outsider, "worker:person_named_worker") in page


def test_the_list_paginates(client, worker):
    for number in range(27):
        person(roles=[Role.REPRESENTATIVE], display_name=f"P{number:02d}")
    login(client, worker)
    first = client.get(PEOPLE)
    assert len(first.context["page"].object_list) == 25
    second = client.get(PEOPLE, {"page": 2})
    assert _names(second) == ["P25", "P26"]


def _many_people(count: int, *, lead: User, named: User) -> None:
    kinds = [ActivityTypeFactory() for _ in range(3)]
    opportunity = finished(lead)
    for number in range(count):
        someone = person(
            roles=[Role.REPRESENTATIVE],
            display_name=f"Many {number:03d}",
            named_worker=named if number % 2 else None,
        )
        someone.profile.interests.set(kinds)
        took_part(opportunity, someone) if number < 3 else signup_create(
            opportunity=OpportunityFactory(lead_worker=lead), person=someone
        )


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_the_same_queries_however_many_people(
    client, worker, lead, count, django_assert_max_num_queries
):
    _many_people(count, lead=lead, named=worker)
    login(client, lead).get(PEOPLE)
    # Measured: 10 (the request's own, the filter form's interests, the count and the page).
    with django_assert_max_num_queries(12):
        response = client.get(PEOPLE, {"q": "many", "interests": [], "named_worker": ""})
    assert len(response.context["page"].object_list) == min(count, 25)


# --- the person page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("lead", 200),
        ("other_worker", 404),
        ("manager", 403),
        ("representative", 403),
        ("outsider", 403),
        ("administrator", 403),
    ],
)
def test_the_person_page_keeps_its_rule(client, request, representative, led, who, status):
    assert login(client, request.getfixturevalue(who)).get(person_url(representative)).status_code == status


def _involvement(response) -> dict[str, list[str]]:
    return {
        title: [s.opportunity.title for s in signups] for title, signups in response.context["involvement"]
    }


def test_the_person_page_shows_their_involvement(client, representative, worker, lead, led, other_worker):
    took_part(finished(lead, title="Attended panel"), representative)
    took_part(finished(other_worker, title="Missed with Otto"), representative, attended=False)
    took_part(finished(lead, title="Missed with Lee"), representative, attended=False)
    withdrawn = OpportunityFactory(lead_worker=lead, title="Withdrawn panel")
    signup_withdraw(signup=signup_create(opportunity=withdrawn, person=representative), person=representative)
    named = _involvement(login(client, worker).get(person_url(representative)))
    assert named == {
        "Coming up, or waiting for a place": ["Coming panel"],
        "Attended": ["Attended panel"],
        "Did not attend": ["Missed with Lee", "Missed with Otto"],
        "Other past sign-ups": ["Withdrawn panel"],
    }
    # The lead worker sees the no-show on their own activity, not on another worker's.
    assert _involvement(login(client, lead).get(person_url(representative)))["Did not attend"] == [
        "Missed with Lee"
    ]


def test_the_person_page_lists_messages_by_subject_and_date_not_body(client, representative, worker):
    Message.objects.create(
        recipient=representative,
        kind="welcome",
        dedupe_key="test:hello",
        to_email=representative.email,
        subject="Hello from the team",
        body_text="Words meant for Robin alone",
        created_at=timezone.now() - timedelta(days=1),
    )
    page = login(client, worker).get(person_url(representative)).content.decode()
    assert "Hello from the team" in page
    assert "Words meant for Robin alone" not in page


def test_follow_ups_are_shown_to_the_named_worker_not_to_another_lead(
    client, representative, worker, lead, led
):
    attended = finished(other_lead := person(roles=[Role.WORKER], display_name="Ola"), title="Talk panel")
    took_part(attended, representative)
    opportunity_complete(opportunity=attended, by=other_lead)
    check_in_create(
        person=representative,
        opportunity=attended,
        how_it_went=2,
        felt_valued=2,
        went_well="Private words",
        could_be_better="",
        wants_chat=True,
    )
    named_page = login(client, worker).get(person_url(representative))
    [(follow_up, may_handle)] = named_page.context["follow_ups"]
    # The chat is for the named worker, who may open it from here.
    assert follow_up.worker == worker and may_handle
    assert reverse("feedback:follow_up", args=[follow_up.pk]) in named_page.content.decode()
    assert "Private words" not in named_page.content.decode()
    assert login(client, lead).get(person_url(representative)).context["follow_ups"] == []


def test_a_lead_worker_sees_the_follow_up_that_is_theirs(client, outsider, lead, worker):
    # Olive has no named worker, so her request for a chat goes to the activity's lead.
    attended = finished(lead, title="Olive's panel")
    took_part(attended, outsider)
    opportunity_complete(opportunity=attended, by=lead)
    check_in_create(
        person=outsider,
        opportunity=attended,
        how_it_went=4,
        felt_valued=4,
        went_well="",
        could_be_better="",
        wants_chat=True,
    )
    [(follow_up, may_handle)] = login(client, lead).get(person_url(outsider)).context["follow_ups"]
    assert follow_up.worker == lead and may_handle


# --- the contact log -----------------------------------------------------------------------


def _contact(**overrides) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "contacted_on_day": str(today.day),
        "contacted_on_month": str(today.month),
        "contacted_on_year": str(today.year),
        "channel": "phone",
        "summary": "Called about the March panel.",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("who", ["worker", "lead"])
def test_the_named_worker_and_the_lead_worker_add_a_contact_and_read_the_log(
    client, request, representative, led, who
):
    writer = request.getfixturevalue(who)
    response = login(client, writer).post(person_url(representative, "worker:person_contact_log"), _contact())
    assert response.status_code == 302
    entry = ContactLogEntry.objects.get()
    assert (entry.person, entry.written_by, entry.channel, entry.summary) == (
        representative,
        writer,
        "phone",
        "Called about the March panel.",
    )
    page = client.get(person_url(representative)).content.decode()
    assert "Called about the March panel." in page
    assert "Do not write health details or anything the person told you in confidence here" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_worker", 404), ("manager", 403), ("representative", 403), ("administrator", 403)],
)
def test_nobody_else_adds_a_contact(client, request, representative, who, status):
    response = login(client, request.getfixturevalue(who)).post(
        person_url(representative, "worker:person_contact_log"), _contact()
    )
    assert response.status_code == status
    assert not ContactLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"summary": ""}, "Write a short summary of the contact"),
        ({"summary": "   "}, "Write a short summary of the contact"),
        ({"summary": "z" * 501}, "Summary must be 500 characters or fewer"),
        (
            {"contacted_on_year": str(timezone.localdate().year + 1)},
            "The date of contact must be today or in the past",
        ),
        ({"contacted_on_day": "31", "contacted_on_month": "2"}, "Enter a real date"),
        (
            {"contacted_on_day": "", "contacted_on_month": "", "contacted_on_year": ""},
            "Enter the date of contact",
        ),
        ({"channel": "pigeon"}, "Choose how you were in contact"),
        ({"channel": ""}, "Choose how you were in contact"),
    ],
)
def test_bad_input_comes_back_beside_its_field_with_what_was_typed(
    client, representative, worker, overrides, message
):
    data = _contact(**overrides)
    response = login(client, worker).post(person_url(representative, "worker:person_contact_log"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<title>Error: " in page
    if data["summary"].strip():
        assert data["summary"] in page
    assert not ContactLogEntry.objects.exists()


def test_the_contact_log_is_newest_first(client, representative, worker):
    login(client, worker)
    older = timezone.localdate() - timedelta(days=5)
    client.post(person_url(representative, "worker:person_contact_log"), _contact(summary="First"))
    client.post(
        person_url(representative, "worker:person_contact_log"),
        _contact(
            summary="Earlier",
            contacted_on_day=str(older.day),
            contacted_on_month=str(older.month),
            contacted_on_year=str(older.year),
        ),
    )
    assert [e.summary for e in client.get(person_url(representative)).context["contact_log"]] == [
        "First",
        "Earlier",
    ]


# --- the named worker ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("worker", 200),
        ("other_worker", 200),
        ("manager", 200),
        ("representative", 403),
        ("outsider", 403),
        ("administrator", 403),
    ],
)
def test_the_named_worker_page_is_for_workers_and_managers(client, request, outsider, who, status):
    assert (
        login(client, request.getfixturevalue(who))
        .get(person_url(outsider, "worker:person_named_worker"))
        .status_code
        == status
    )


def test_the_named_worker_page_is_only_for_representatives(client, worker, other_worker):
    assert (
        login(client, worker).get(person_url(other_worker, "worker:person_named_worker")).status_code == 404
    )
    assert client.get(reverse("worker:person_named_worker", args=[999999])).status_code == 404


def test_a_worker_takes_on_a_new_registrant_and_everyone_is_told(client, outsider, other_worker):
    response = login(client, other_worker).post(
        person_url(outsider, "worker:person_named_worker"),
        {"worker": other_worker.pk, "reason": "I met them at the fair"},
    )
    assert response.status_code == 302
    assert response["Location"] == person_url(outsider)
    outsider.profile.refresh_from_db()
    assert outsider.profile.named_worker == other_worker
    change = NamedWorkerChange.objects.get()
    assert (change.by, change.previous_worker, change.new_worker) == (other_worker, None, other_worker)
    subjects = dict(
        Message.objects.filter(kind="named_worker_changed", channel="email").values_list(
            "recipient", "subject"
        )
    )
    assert subjects == {
        outsider.pk: "Your named involvement worker is now Otto Other",
        other_worker.pk: "You are now the named worker of Olive",
    }
    to_person = Message.objects.get(kind="named_worker_changed", recipient=outsider, channel="email")
    assert "I met them at the fair" not in to_person.body_text
    assert (
        "I met them at the fair"
        in Message.objects.get(kind="named_worker_changed", recipient=other_worker).body_text
    )
    assert "Otto Other" in client.get(person_url(outsider)).content.decode()


def test_a_manager_changes_the_named_worker_and_the_previous_one_is_told(
    client, representative, worker, other_worker, manager
):
    response = login(client, manager).post(
        person_url(representative, "worker:person_named_worker"), {"worker": other_worker.pk}
    )
    # A manager may not open the person's page: back to the list.
    assert response["Location"] == PEOPLE
    previous = Message.objects.get(kind="named_worker_changed", recipient=worker, channel="email")
    assert previous.subject == "You are no longer the named worker of Robin"
    assert (
        "Maya Manager has made Otto Other the named involvement worker of Robin in your place"
        in previous.body_text
    )
    assert client.get(PEOPLE, {"named_worker": "any"}).content.decode().count("Otto Other") >= 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose an involvement worker"),
        ({"worker": "999999"}, "Choose an involvement worker"),
        ({"worker": "{worker}"}, "Wendy Worker is already their named worker"),
        ({"worker": "{other}", "reason": "r" * 301}, "Reason must be 300 characters or fewer"),
    ],
)
def test_bad_choices_come_back_beside_their_field(
    client, representative, worker, other_worker, data, message
):
    data = {k: v.format(worker=worker.pk, other=other_worker.pk) for k, v in data.items()}
    response = login(client, worker).post(person_url(representative, "worker:person_named_worker"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NamedWorkerChange.objects.exists()
    assert not Message.objects.filter(kind="named_worker_changed").exists()


def test_only_workers_are_offered(client, outsider, worker, manager):
    response = login(client, worker).get(person_url(outsider, "worker:person_named_worker"))
    offered = set(response.context["form"].fields["worker"].queryset)
    assert worker in offered
    assert manager not in offered
    assert outsider not in offered


def test_a_worker_still_reads_what_they_wrote_after_handing_over(
    client, representative, worker, other_worker
):
    login(client, worker).post(
        person_url(representative, "worker:person_contact_log"), _contact(summary="My note")
    )
    client.post(person_url(representative, "worker:person_named_worker"), {"worker": other_worker.pk})
    assert client.get(person_url(representative)).status_code == 404
    page = client.get(person_url(representative, "worker:person_named_worker")).content.decode()
    assert "My note" in page
    # Another worker sees none of it there.
    assert (
        "My note"
        not in login(client, person(roles=[Role.WORKER]))
        .get(person_url(representative, "worker:person_named_worker"))
        .content.decode()
    )


# --- the person page's queries -------------------------------------------------------------


def _busy(representative: User, worker: User, lead: User, count: int) -> None:
    for number in range(count):
        took_part(finished(lead, title=f"Done {number}"), representative, attended=number % 2 == 0)
        signup_create(opportunity=OpportunityFactory(lead_worker=lead), person=representative)
        ContactLogEntry.objects.create(
            person=representative,
            contacted_on=timezone.localdate(),
            channel="phone",
            summary=f"Call {number}",
            written_by=worker,
        )


@pytest.mark.parametrize("count", [1, 12])
def test_the_person_page_runs_the_same_queries_however_much_they_did(
    client, representative, worker, lead, count, django_assert_max_num_queries
):
    _busy(representative, worker, lead, count)
    login(client, worker).get(person_url(representative))
    # Measured: 19 (the request's own, the person, their sign-ups, messages, contact log,
    # follow-ups, history of named workers and the workers to choose from; and, for acting on
    # their behalf, the opportunities open to sign up for, what was done on their behalf, the
    # calls and letters owed to them and whether the viewer leads one of their activities).
    with django_assert_max_num_queries(21):
        response = client.get(person_url(representative))
    assert len(response.context["contact_log"]) == count
