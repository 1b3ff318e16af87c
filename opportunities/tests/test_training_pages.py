"""Training on the pages (issue 14): the opportunity page says why a person cannot sign up
and the next date to take the course, instead of the button; the form offers both courses;
workers record training on the person page and for everyone who attended, and see who is
eligible where they offer places. Lists keep a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import Course
from opportunities.models import Opportunity
from opportunities.services import attendance_record, signup_create, training_record
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_views_forms import (
    date_fields,
    days_ahead,
    error_by,
    new_opportunity_post,
)
from opportunities.tests.test_views_queries import representatives, sessions
from opportunities.training import TrainingCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return Course.objects.create(
        name="Recruitment panel training", description="How interviews work.", valid_for_months=24
    )


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the opportunity page -------------------------------------------------------------------


def test_a_person_without_the_training_sees_why_and_the_next_date_instead_of_the_button(
    client, course, representative
):
    panel = OpportunityFactory(required_course=course, title="Ward manager panel")
    later = OpportunityFactory(trains_for=course, title="Panel training, March")
    sooner = OpportunityFactory(
        trains_for=course, title="Panel training, soon", sessions=sessions(1, start_in_days=7)
    )
    OpportunityFactory(
        trains_for=course, status=Opportunity.Status.DRAFT, sessions=sessions(1, start_in_days=6)
    )
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "Training needed first" in page
    assert "You need to complete Recruitment panel training" in page
    assert reverse("opportunities:detail", args=[sooner.pk]) in page
    assert reverse("opportunities:detail", args=[later.pk]) not in page
    assert reverse("opportunities:sign_up", args=[panel.pk]) not in page

    training_record(
        person=representative, course=course, completed_on=timezone.localdate(), by=representative
    )
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "Training needed first" not in page
    assert reverse("opportunities:sign_up", args=[panel.pk]) in page


def test_the_page_says_when_the_training_runs_out_before_the_activity(client, course, representative, worker):
    panel = OpportunityFactory(required_course=course, sessions=sessions(1, start_in_days=30))
    TrainingCompletion.objects.create(
        person=representative,
        course=course,
        completed_on=days_ahead(-700),
        expires_on=days_ahead(10),
        recorded_by=worker,
    )
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "runs out on" in page and "before this activity" in page
    assert "There is no date for the course yet" in page


def test_a_sign_up_posted_anyway_is_refused_with_the_reason(client, course, representative):
    panel = OpportunityFactory(required_course=course)
    client.force_login(representative)
    response = client.post(reverse("opportunities:sign_up", args=[panel.pk]), {"note": ""})
    assert response.status_code == 302
    assert any("You need to complete Recruitment panel training" in text for text in said(response))
    assert not panel.signups.exists()


def test_everyone_sees_the_training_an_activity_needs(client, course):
    panel = OpportunityFactory(required_course=course)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "Training needed" in page and "Recruitment panel training" in page
    cards = client.get(reverse("opportunities:browse")).content.decode()
    assert "Training needed" in cards


# --- the opportunity form -------------------------------------------------------------------


def test_the_form_saves_the_course_needed_and_the_course_it_trains_for(client, worker, course):
    other = Course.objects.create(name="Chairing skills", valid_for_months=12)
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:create"),
        new_opportunity_post(worker, required_course=str(course.pk), trains_for=str(other.pk)),
    )
    assert response.status_code == 302
    saved = Opportunity.objects.get()
    assert (saved.required_course, saved.trains_for) == (course, other)


def test_the_form_refuses_the_same_course_for_both_by_the_field(client, worker, course):
    client.force_login(worker)
    response = client.post(
        reverse("opportunities:create"),
        new_opportunity_post(worker, required_course=str(course.pk), trains_for=str(course.pk)),
    )
    assert response.status_code == 200
    assert "cannot need the course it trains people for" in error_by(
        response.content.decode(), "id_trains_for"
    )
    assert not Opportunity.objects.exists()


def test_a_retired_course_is_not_offered(client, worker, course):
    Course.objects.create(name="Old course", is_active=False)
    client.force_login(worker)
    page = client.get(reverse("opportunities:create")).content.decode()
    assert "Recruitment panel training" in page and "Old course" not in page


# --- the person page ------------------------------------------------------------------------


def test_the_named_worker_records_a_course_on_the_person_page_once(client, worker, representative, course):
    client.force_login(worker)
    url = reverse("worker:person_training", args=[representative.pk])
    data = {"course": str(course.pk), **date_fields("completed_on", days_ahead(-3))}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("#training")
    completion = TrainingCompletion.objects.get()
    assert (completion.person, completion.recorded_by) == (representative, worker)
    assert completion.completed_on == days_ahead(-3)

    again = client.post(url, data)
    assert any("already recorded" in text for text in said(again))
    assert TrainingCompletion.objects.count() == 1
    page = client.get(reverse("worker:person", args=[representative.pk])).content.decode()
    assert "Recruitment panel training" in page and "Record the training" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"course": ""}, "id_course", "Choose the course they completed"),
        ({"course": "999999"}, "id_course", "Choose a course from the list"),
        ({"completed_on_day": ""}, "id_completed_on", "Date completed must include a day"),
        (date_fields("completed_on", days_ahead(2)), "id_completed_on", "must be today or in the past"),
    ],
)
def test_bad_input_on_the_person_page_is_said_by_the_field(
    client, worker, representative, course, changes, field, message
):
    client.force_login(worker)
    data = {"course": str(course.pk), **date_fields("completed_on", days_ahead(-3)), **changes}
    response = client.post(reverse("worker:person_training", args=[representative.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in error_by(page, field)
    assert "There is a problem" in page
    assert not TrainingCompletion.objects.exists()


def test_a_worker_who_may_not_see_the_person_cannot_record_their_training(
    client, other_worker, representative, course
):
    client.force_login(other_worker)
    data = {"course": str(course.pk), **date_fields("completed_on", days_ahead(-3))}
    response = client.post(reverse("worker:person_training", args=[representative.pk]), data)
    assert response.status_code == 404
    assert not TrainingCompletion.objects.exists()


# --- the participants, offer and selection pages -------------------------------------------


def test_everyone_who_attended_is_recorded_from_the_participants_page(client, worker, course):
    start = timezone.now() - timedelta(days=1)
    training = OpportunityFactory(
        trains_for=course, lead_worker=worker, sessions=[(start, start + timedelta(hours=2))]
    )
    people = representatives(2)
    for someone in people:
        signup = signup_create(opportunity=training, person=someone)
        attendance_record(signup=signup, session=training.sessions.get(), attended=True, by=worker)
    client.force_login(worker)
    page = client.get(reverse("opportunities:participants", args=[training.pk])).content.decode()
    assert "Record training for everyone who attended" in page
    url = reverse("opportunities:record_training", args=[training.pk])
    assert "Training recorded for 2 people." in said(client.post(url))
    assert "Training recorded for 0 people. 2 people had it recorded already." in said(client.post(url))
    assert TrainingCompletion.objects.count() == 2


def test_workers_see_who_has_the_training_where_they_offer_places(client, worker, course):
    panel = OpportunityFactory(required_course=course, lead_worker=worker, places=1)
    trained, untrained = representatives(2)
    for someone in (trained, untrained):
        training_record(person=someone, course=course, completed_on=timezone.localdate(), by=worker)
        signup_create(opportunity=panel, person=someone)
    TrainingCompletion.objects.filter(person=untrained).delete()
    client.force_login(worker)
    page = client.get(reverse("opportunities:participants", args=[panel.pk])).content.decode()
    assert page.count("<strong>Training needed</strong>") == 1
    waiting = panel.signups.get(person=untrained)
    offer_page = client.get(
        reverse("opportunities:offer_place", args=[panel.pk, waiting.pk])
    ).content.decode()
    assert "does not have the training this needs" in offer_page


def test_the_selection_page_marks_who_needs_training(client, worker, course):
    panel = OpportunityFactory(
        required_course=course, lead_worker=worker, places=1, selection_method="fair_share"
    )
    trained, untrained = representatives(2)
    for someone in (trained, untrained):
        training_record(person=someone, course=course, completed_on=timezone.localdate(), by=worker)
        signup_create(opportunity=panel, person=someone)
    TrainingCompletion.objects.filter(person=untrained).delete()
    with time_machine.travel(panel.signup_deadline + timedelta(minutes=1)):
        client.force_login(worker)  # inside: the session would have lapsed since
        response = client.post(reverse("opportunities:selection_start", args=[panel.pk]))
        page = client.get(response["Location"]).content.decode()
    assert page.count("Training needed: Recruitment panel training") == 1


# --- fixed queries --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [5, 40], ids=["few", "many"])
def test_the_participants_page_with_a_course_runs_a_fixed_number_of_queries(
    client, worker, course, rows, django_assert_max_num_queries
):
    panel = OpportunityFactory(required_course=course, trains_for=None, lead_worker=worker, places=rows)
    for someone in representatives(rows):
        training_record(person=someone, course=course, completed_on=timezone.localdate(), by=worker)
        signup_create(opportunity=panel, person=someone)
    client.force_login(worker)
    client.get(reverse("opportunities:participants", args=[panel.pk]))
    with django_assert_max_num_queries(16):  # measured: 14
        response = client.get(reverse("opportunities:participants", args=[panel.pk]))
    assert all(row.trained for row in response.context["page"].rows)


@pytest.mark.parametrize("rows", [5, 40], ids=["few", "many"])
def test_browse_with_courses_needed_runs_a_fixed_number_of_queries(
    client, worker, rows, django_assert_max_num_queries
):
    for number in range(rows):
        needed = Course.objects.create(name=f"Course {number}")
        OpportunityFactory(required_course=needed, lead_worker=worker)
    with django_assert_max_num_queries(6):  # as without courses: measured 4
        response = client.get(reverse("opportunities:browse"))
    assert len(response.context["page"].object_list) == min(rows, 20)


@pytest.mark.parametrize("rows", [2, 20], ids=["few", "many"])
def test_the_person_page_with_training_runs_a_fixed_number_of_queries(
    client, worker, representative, rows, django_assert_max_num_queries
):
    for number in range(rows):
        course = Course.objects.create(name=f"Course {number}", valid_for_months=12)
        training_record(person=representative, course=course, completed_on=days_ahead(-number), by=worker)
    client.force_login(worker)
    client.get(reverse("worker:person", args=[representative.pk]))
    with django_assert_max_num_queries(23):  # measured: 21
        response = client.get(reverse("worker:person", args=[representative.pk]))
    assert len(response.context["training"]) == rows


def test_a_person_who_is_not_a_representative_has_no_training_form(client, worker):
    colleague = person(roles=[Role.WORKER])
    assert not worker.has_perm("opportunities.record_training", colleague)


# --- written for the survivors of the mutation run at e9c2f17 (docs/testing.md) --------------


def test_training_in_another_course_does_not_count_for_the_one_needed(client, course, representative):
    """Chairing skills, current for years, is not the recruitment panel training the panel
    needs: the page says what is needed and offers no button, and a sign-up posted anyway is
    refused with the same words."""
    chairing = Course.objects.create(name="Chairing skills", valid_for_months=None)
    training_record(person=representative, course=chairing, completed_on=days_ahead(-30), by=representative)
    panel = OpportunityFactory(required_course=course, title="Ward manager panel")
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "You need to complete Recruitment panel training before you can take part in this." in page
    assert reverse("opportunities:sign_up", args=[panel.pk]) not in page
    response = client.post(reverse("opportunities:sign_up", args=[panel.pk]), {"note": ""})
    assert said(response) == [
        "You need to complete Recruitment panel training before you can take part in this."
    ]
    assert not panel.signups.exists()


def test_a_training_date_whose_sign_ups_have_closed_is_not_offered_as_the_next(
    client, course, representative
):
    """The sooner course has stopped taking sign-ups: the page offers the later one, which a
    person can still join."""
    panel = OpportunityFactory(required_course=course)
    OpportunityFactory(
        trains_for=course,
        title="Panel training, closed",
        signup_deadline=timezone.now() - timedelta(hours=1),
        sessions=sessions(1, start_in_days=2),
    )
    still_open = OpportunityFactory(
        trains_for=course, title="Panel training, still open", sessions=sessions(1, start_in_days=9)
    )
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert "Panel training, closed" not in page
    assert (
        "The next date to take the course: "
        f'<a href="{reverse("opportunities:detail", args=[still_open.pk])}">Panel training, still open</a>'
    ) in page


def test_of_two_training_dates_at_the_same_moment_the_one_posted_first_is_offered(
    client, course, representative
):
    """Two dates for the course start together: the page offers the one posted first, every
    time, even after it was edited. An edited row is written again at the end of the table,
    and with the statistics a live database has (autovacuum analyses it), PostgreSQL reads the
    table in that order: without the tie-break the page would offer the one posted second."""
    panel = OpportunityFactory(required_course=course)
    together = sessions(1, start_in_days=7)
    first = OpportunityFactory(trains_for=course, title="Panel training, morning", sessions=together)
    OpportunityFactory(trains_for=course, title="Panel training, second room", sessions=together)
    Opportunity.objects.filter(pk=first.pk).update(title="Panel training, main room")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opportunities_opportunity")
    client.force_login(representative)
    page = client.get(reverse("opportunities:detail", args=[panel.pk])).content.decode()
    assert (
        "The next date to take the course: "
        f'<a href="{reverse("opportunities:detail", args=[first.pk])}">Panel training, main room</a>'
    ) in page
    assert "Panel training, second room" not in page
