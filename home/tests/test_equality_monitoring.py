"""A person's own equality monitoring answers: optional, explained, kept when wrong, and never
shown to staff one by one."""

import pytest

from accounts.equality import EqualityMonitoring

pytestmark = pytest.mark.django_db
URL = "/me/profile/equality-monitoring/"


def test_the_questions_are_explained_and_none_is_required(client, representative):
    client.force_login(representative)
    page = client.get(URL).content.decode()
    assert "Every question is optional" in page and "Nobody sees your answers on their own" in page
    assert "Prefer not to say" in page and "Asian or Asian British: Pakistani" in page
    assert "required" not in page.lower().replace("not required", "")
    assert 'value=""' not in page  # no empty "---------" button
    # Nothing answered is a valid answer, and saves nothing but blanks.
    response = client.post(URL, {})
    assert response.status_code == 302 and response["Location"] == "/me/profile/"
    answers = EqualityMonitoring.objects.get(person=representative)
    assert (answers.age_band, answers.ethnic_category, answers.sexual_orientation) == ("", "", "")


def test_a_person_answers_and_changes_their_answers(client, representative):
    client.force_login(representative)
    client.post(URL, {"age_band": "25-34", "ethnic_category": "N", "disability": "Z"})
    answers = EqualityMonitoring.objects.get(person=representative)
    assert (answers.age_band, answers.ethnic_category, answers.disability) == ("25-34", "N", "Z")
    assert client.get(URL).context["form"]["ethnic_category"].value() == "N"
    client.post(URL, {"age_band": "35-44"})
    answers.refresh_from_db()
    assert (answers.age_band, answers.ethnic_category) == ("35-44", "")
    assert EqualityMonitoring.objects.count() == 1
    profile = client.get("/me/profile/").content.decode()
    assert "Change your equality monitoring answers" in profile


def test_a_bad_answer_is_explained_beside_the_question_and_the_rest_kept(client, representative):
    client.force_login(representative)
    response = client.post(URL, {"age_band": "200", "ethnic_category": "N"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Choose one of the answers, or leave this question" in page
    assert "nhsuk-form-group--error" in page
    assert response.context["form"]["ethnic_category"].value() == "N"
    assert not EqualityMonitoring.objects.exists()


def test_a_worker_never_sees_a_persons_answers(client, representative, worker):
    EqualityMonitoring.objects.create(person=representative, ethnic_category="K", sexual_orientation="3")
    client.force_login(worker)  # the named worker: the one who sees most of this person
    page = client.get(f"/worker/people/{representative.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bangladeshi" not in html and "Bisexual" not in html and "equality" not in html.lower()
    assert client.get(URL).status_code == 403


def test_no_administrator_may_read_the_answers(administrator):
    assert not administrator.has_perm("accounts.view_equalitymonitoring")
    assert not administrator.has_perm("accounts.change_equalitymonitoring")
    assert administrator.has_perm("accounts.view_profile")  # the rest of accounts as before
