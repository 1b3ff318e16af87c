"""Personal involvement agreements: asked for at onboarding and after a change that affects
them, agreed to (the words kept) or questioned (a question for the named worker), and the
people list's filter and tag for who has not agreed."""

import pytest
from django.urls import reverse

from accounts.models import PaymentPreference
from accounts.permissions import Role
from accounts.tests.factories import person
from charter.models import Agreement, AgreementQuestion
from charter.sections import SectionKey
from charter.services import (
    CharterError,
    agreement_agree,
    agreement_due,
    agreement_question_ask,
    proposal_co_sign,
    proposal_create,
    proposal_publish,
)
from charter.tests.factories import first_charter
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter(administrator):
    return first_charter(by=administrator)


def publish_change(key, body, *, by, co_signer, administrator):
    proposal = proposal_create(by=by, section_key=key, body=body, reason="Why.")
    proposal_co_sign(proposal=proposal, by=co_signer)
    return proposal_publish(proposal=proposal, by=administrator)


def test_the_agreement_names_the_role_worker_payment_choice_and_how_to_take_a_break(
    client, charter, representative
):
    representative.profile.payment_preference = PaymentPreference.VOUCHER
    representative.profile.save()
    client.force_login(representative)
    page = client.get(reverse("me:agreement")).content.decode()
    for words in (
        "Your role",
        "Your named involvement worker is Wendy Worker.",
        "You chose: A voucher (still counts as earnings).",
        "Tick \u201cI am taking a break\u201d on your profile.",
        "Please be kind to the people you work with.",  # What we ask of you
        "We will treat you with respect.",  # What you can expect from us
    ):
        assert words in page
    assert "I agree" in page


def test_a_representative_is_asked_on_their_home_until_they_agree(client, charter, representative):
    client.force_login(representative)
    assert "Read your agreement" in client.get(reverse("me:home")).content.decode()
    response = client.post(reverse("me:agreement"), {"action": "agree", "version": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("me:home")
    agreement = Agreement.objects.get()
    assert (agreement.person, agreement.version.number) == (representative, 1)
    assert agreement.text.startswith("Involvement agreement, from version 1 of the charter")
    assert "Your named involvement worker is Wendy Worker." in agreement.text
    assert "Read your agreement" not in client.get(reverse("me:home")).content.decode()
    assert "You agreed to this on" in client.get(reverse("me:agreement")).content.decode()


def test_agreeing_twice_to_one_version_keeps_one_agreement(charter, representative):
    agreement_agree(person=representative, version_number=1)
    agreement_agree(person=representative, version_number=1)
    assert Agreement.objects.count() == 1


def test_nobody_is_asked_before_there_is_a_charter(client, representative):
    assert agreement_due(person=representative) is False
    client.force_login(representative)
    assert "Read your agreement" not in client.get(reverse("me:home")).content.decode()
    assert "no agreement to read" in client.get(reverse("me:agreement")).content.decode()


def test_a_change_to_what_agreements_are_built_from_asks_again_and_other_changes_do_not(
    charter, representative, worker, administrator
):
    agreement_agree(person=representative, version_number=1)
    publish_change(
        SectionKey.CONCERN, "Tell us.", by=representative, co_signer=worker, administrator=administrator
    )
    assert agreement_due(person=representative) is False
    publish_change(
        SectionKey.FROM_YOU,
        "Be kind. Keep things private.",
        by=representative,
        co_signer=worker,
        administrator=administrator,
    )
    assert agreement_due(person=representative) is True
    agreement_agree(person=representative, version_number=3)
    assert agreement_due(person=representative) is False
    # What they agreed to the first time is kept as it was.
    first = Agreement.objects.get(version__number=1)
    assert "Please be kind to the people you work with." in first.text


def test_agreeing_to_a_version_that_is_no_longer_current_is_refused(
    client, charter, representative, worker, administrator
):
    publish_change(
        SectionKey.FROM_US, "We listen.", by=representative, co_signer=worker, administrator=administrator
    )
    with pytest.raises(CharterError, match="changed while you were reading"):
        agreement_agree(person=representative, version_number=1)
    client.force_login(representative)
    response = client.post(reverse("me:agreement"), {"action": "agree", "version": "1"}, follow=True)
    assert "The charter changed while you were reading" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_question_goes_to_the_named_worker_without_its_words(client, charter, representative, worker):
    client.force_login(representative)
    response = client.post(
        reverse("me:agreement"), {"action": "question", "version": "1", "question": "Can I bring my carer?"}
    )
    assert response.status_code == 302
    question = AgreementQuestion.objects.get()
    assert (question.person, question.worker, question.is_open) == (representative, worker, True)
    message = Message.objects.get(kind=Kind.CHARTER_QUESTION)
    assert message.recipient == worker
    assert "carer" not in message.body_text and "carer" not in message.subject
    assert f"/worker/charter-questions/{question.pk}/" in message.body_text
    assert not Agreement.objects.exists()  # asking is not agreeing

    # The named worker reads it and says what they did.
    client.force_login(worker)
    page = client.get(reverse("worker:charter_question", args=[question.pk])).content.decode()
    assert "Can I bring my carer?" in page
    client.post(
        reverse("worker:charter_question", args=[question.pk]), {"action_taken": "Called; yes, they can."}
    )
    question.refresh_from_db()
    assert (question.is_open, question.action_taken) == (False, "Called; yes, they can.")


@pytest.mark.parametrize(
    ("question", "error"), [("", "Write your question"), ("x" * 2001, "2,000 characters or fewer")]
)
def test_a_bad_question_comes_back_by_the_field(client, charter, representative, question, error):
    client.force_login(representative)
    response = client.post(
        reverse("me:agreement"), {"action": "question", "version": "1", "question": question}
    )
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["question"])
    assert response.context["form"]["question"].value() == question
    assert not AgreementQuestion.objects.exists()


def test_a_question_with_no_named_worker_says_whom_to_contact_and_keeps_the_words(client, charter, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("me:agreement"), {"action": "question", "version": "1", "question": "Who do I ask?"}
    )
    assert response.status_code == 200
    assert "contact the involvement team" in " ".join(response.context["form"].errors["question"])
    assert response.context["form"]["question"].value() == "Who do I ask?"
    with pytest.raises(CharterError):
        agreement_question_ask(person=outsider, version_number=1, question="Who do I ask?")


def test_a_bad_answer_comes_back_by_the_field(client, charter, representative, worker):
    question = agreement_question_ask(person=representative, version_number=1, question="Can I?")
    client.force_login(worker)
    response = client.post(reverse("worker:charter_question", args=[question.pk]), {"action_taken": " "})
    assert response.status_code == 200
    assert "Write what you did" in " ".join(response.context["form"].errors["action_taken"])


def test_a_garbled_version_is_refused_not_a_500(client, charter, representative):
    client.force_login(representative)
    for version in ("", "abc", "\u0661", "9" * 40):
        response = client.post(reverse("me:agreement"), {"action": "agree", "version": version}, follow=True)
        assert response.status_code == 200
    assert not Agreement.objects.exists()


# --- the people list -----------------------------------------------------------------------


def test_workers_find_who_has_not_agreed_to_the_current_charter(
    client, charter, representative, outsider, worker
):
    agreement_agree(person=representative, version_number=1)
    client.force_login(worker)
    everyone = client.get(reverse("worker:people")).content.decode()
    assert everyone.count("Not agreed to the charter</strong>") == 1
    response = client.get(reverse("worker:people"), {"not_agreed": "on"})
    listed = list(response.context["page"].object_list)
    assert listed == [outsider]


def test_the_people_list_tags_nobody_before_there_is_a_charter(client, representative, worker):
    client.force_login(worker)
    assert "Not agreed to the charter</strong>" not in client.get(reverse("worker:people")).content.decode()


def test_the_people_list_with_the_tag_runs_the_same_queries_however_many_people(
    client, charter, worker, django_assert_max_num_queries
):
    for number in range(30):
        someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Many {number}")
        if number % 2:
            agreement_agree(person=someone, version_number=1)
    client.force_login(worker)
    client.get(reverse("worker:people"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("worker:people"), {"not_agreed": "on", "q": "many"})
    assert len(response.context["page"].object_list) == 15


# --- the opportunity's level -------------------------------------------------------------------


def test_an_opportunitys_level_links_to_its_explanation_in_the_charter(client, charter, worker):
    opportunity = OpportunityFactory(lead_worker=worker, involvement_level="co-designing")
    page = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    assert f'href="{reverse("charter:current")}#level-co-designing"' in page
    assert 'id="level-co-designing"' in client.get(reverse("charter:current")).content.decode()


def test_the_named_worker_sees_open_questions_on_their_home(
    client, charter, representative, worker, other_worker
):
    question = agreement_question_ask(person=representative, version_number=1, question="Can I?")
    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()
    assert reverse("worker:charter_question", args=[question.pk]) in page
    assert "Can I?" not in page  # the words stay on the question's page
    client.force_login(other_worker)
    assert "Questions about agreements" not in client.get(reverse("worker:home")).content.decode()
