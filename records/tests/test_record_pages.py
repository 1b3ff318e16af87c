"""/me/record/ and its forms: what the person sees, the queries it runs, and bad input."""

import pytest
from django.urls import reverse

from records.models import ActivityRole, RecordStatement
from records.tests.factories import ago, took_part, trained

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, representative):
    client.force_login(representative)
    return client


def test_it_shows_activities_training_statement_and_totals(client, representative, worker):
    signup = took_part(
        representative,
        lead=worker,
        sessions=[(*ago(20, hours=2), True), (*ago(19, hours=5), False)],
        title="Ward manager interviews",
        involvement_level="co-producing",
    )
    ActivityRole.objects.create(signup=signup, role="chair", set_by=representative)
    trained(representative, name="Recruitment panel training")
    RecordStatement.objects.create(
        person=representative, skills="Interviewing\nChairing", statement="I chaired."
    )
    page = client.get(reverse("me:record")).content.decode()
    for text in (
        "Ward manager interviews",
        "Co-producing",
        "Chair",
        "Recruitment panel training",
        "Interviewing",
        "I chaired.",
        "Totals by year",
        "2 hours in all",
    ):
        assert text in page, text


def test_the_record_runs_a_fixed_number_of_queries(
    client, representative, worker, django_assert_max_num_queries
):
    for day in range(60):
        signup = took_part(
            representative, lead=worker, sessions=[(*ago(day + 2), True), (*ago(day + 1), day % 2 == 0)]
        )
        if day % 3 == 0:
            ActivityRole.objects.create(signup=signup, role="panel_member", set_by=representative)
    for number in range(5):
        trained(representative, name=f"Course {number}")
    client.get(reverse("me:record"))
    with django_assert_max_num_queries(12):  # measured: 12, at 6 activities or 60
        response = client.get(reverse("me:record"))
    assert len(response.context["rows"]) == 60
    assert response.content.decode().count("Panel member") == 20


def test_the_person_sets_their_role(client, representative, worker):
    signup = took_part(representative, lead=worker, sessions=[(*ago(3), True)])
    response = client.post(
        reverse("me:record_role", args=[signup.pk]), {"role": "other", "other_role": "Mystery shopper"}
    )
    assert response.status_code == 302
    assert ActivityRole.objects.get(signup=signup).label == "Mystery shopper"
    client.post(reverse("me:record_role", args=[signup.pk]), {"role": "trainer", "other_role": "ignored"})
    role = ActivityRole.objects.get(signup=signup)
    assert (role.role, role.other_role) == ("trainer", "")


def test_other_without_a_role_says_so_beside_the_field(client, representative, worker):
    signup = took_part(representative, lead=worker, sessions=[(*ago(3), True)])
    response = client.post(reverse("me:record_role", args=[signup.pk]), {"role": "other", "other_role": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"other_role": ["Enter your role"]}
    assert "Error: " in response.content.decode()
    assert not ActivityRole.objects.exists()


def test_a_role_that_is_not_a_choice_is_refused(client, representative, worker):
    signup = took_part(representative, lead=worker, sessions=[(*ago(3), True)])
    response = client.post(reverse("me:record_role", args=[signup.pk]), {"role": "king"})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors


def test_no_role_on_an_activity_never_attended_or_someone_elses(client, representative, outsider, worker):
    missed = took_part(representative, lead=worker, sessions=[(*ago(3), False)])
    theirs = took_part(outsider, lead=worker, sessions=[(*ago(3), True)])
    for signup in (missed, theirs):
        assert client.get(reverse("me:record_role", args=[signup.pk])).status_code == 404
        assert client.post(reverse("me:record_role", args=[signup.pk]), {"role": "chair"}).status_code == 404
    assert not ActivityRole.objects.exists()


def test_the_statement_is_saved_and_too_long_keeps_what_was_typed(client, representative):
    assert (
        client.post(reverse("me:record_statement"), {"skills": "Listening", "statement": "Mine."}).status_code
        == 302
    )
    assert RecordStatement.objects.get(person=representative).skills_list == ["Listening"]
    long = "x" * 1600
    response = client.post(reverse("me:record_statement"), {"skills": "Listening", "statement": long})
    assert response.status_code == 200
    assert "statement" in response.context["form"].errors
    assert long in response.content.decode()
    assert RecordStatement.objects.get(person=representative).statement == "Mine."


def test_the_named_worker_reads_the_record_and_sets_a_role_for_them(representative, worker, other_worker):
    from django.test import Client

    signup = took_part(
        representative, lead=other_worker, sessions=[(*ago(3, hours=2), True)], title="Leaflet review"
    )
    named = Client()
    named.force_login(worker)
    person_page = named.get(reverse("worker:person", args=[representative.pk])).content.decode()
    assert reverse("worker:person_record", args=[representative.pk]) in person_page
    page = named.get(reverse("worker:person_record", args=[representative.pk])).content.decode()
    assert "Leaflet review" in page and "Not given" in page
    url = reverse("worker:person_record_role", args=[representative.pk, signup.pk])
    response = named.post(url, {"role": "other", "other_role": ""})
    assert response.status_code == 200 and response.context["form"].errors == {
        "other_role": ["Enter your role"]
    }
    assert named.post(url, {"role": "co_facilitator"}).status_code == 302
    role = ActivityRole.objects.get(signup=signup)
    assert (role.role, role.set_by) == ("co_facilitator", worker)
    # The lead worker of that activity is not their named worker: no record, no link.
    lead = Client()
    lead.force_login(other_worker)
    assert lead.get(reverse("worker:person_record", args=[representative.pk])).status_code == 404
    assert lead.post(url, {"role": "chair"}).status_code == 404
    assert ActivityRole.objects.get(signup=signup).role == "co_facilitator"
