"""Proposing, commenting, co-signing and publishing through the pages, and every form's bad
input: the reason beside the field, what was typed kept, never a 500."""

import pytest
from django.urls import reverse

from charter.models import CharterVersion, Comment, Proposal
from charter.sections import SectionKey
from charter.services import proposal_co_sign, proposal_create, proposal_publish
from charter.tests.factories import first_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter(administrator):
    return first_charter(by=administrator)


def test_a_representative_proposes_a_change_and_has_co_signed_it(client, charter, representative):
    client.force_login(representative)
    form = client.get(reverse("charter:proposal_new"), {"section": SectionKey.CONCERN}).content.decode()
    assert "We will reply within ten working days." in form  # the current wording, to start from
    response = client.post(
        reverse("charter:proposal_new"),
        {"section_key": SectionKey.CONCERN, "body": "Tell us. We will reply in a week.", "reason": "Faster."},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "charter:proposal", args=[proposal.pk]
    )
    assert proposal.based_on_revision == 1 and proposal.proposed_by == representative
    assert list(proposal.co_signatures.values_list("signed_as", flat=True)) == ["representative"]
    page = client.get(response["Location"]).content.decode()
    assert "It needs at least one representative and one member of staff" in page
    assert "Reading age: about" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"section_key": "", "body": "Words here.", "reason": "Why."}, "section_key", "Choose the section"),
        (
            {"section_key": "nonsense", "body": "Words here.", "reason": "Why."},
            "section_key",
            "Choose a section from the list",
        ),
        ({"section_key": "concern", "body": "", "reason": "Why."}, "body", "Write your new wording"),
        (
            {"section_key": "concern", "body": "Words here.", "reason": "  "},
            "reason",
            "Say why you would like this change",
        ),
        (
            {"section_key": "concern", "body": "x" * 5001, "reason": "Why."},
            "body",
            "5,000 characters or fewer",
        ),
    ],
)
def test_a_bad_proposal_comes_back_with_the_reason_by_the_field(
    client, charter, representative, data, field, message
):
    client.force_login(representative)
    response = client.post(reverse("charter:proposal_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form[field].value() == data[field]  # what was typed, kept
    assert not Proposal.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused_by_the_field(client, charter, representative):
    client.force_login(representative)
    current = charter.sections.get(key=SectionKey.CONCERN).body
    response = client.post(
        reverse("charter:proposal_new"), {"section_key": "concern", "body": current, "reason": "Why."}
    )
    assert "same as the current wording" in " ".join(response.context["form"].errors["body"])


def test_a_proposal_before_any_charter_is_refused_not_a_500(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("charter:proposal_new"), {"section_key": "concern", "body": "Words.", "reason": "Why."}
    )
    assert response.status_code == 200
    assert "Choose a section of the charter" in response.content.decode()


def test_people_comment_on_a_proposal(client, charter, representative, worker):
    proposal = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Shorter.")
    client.force_login(worker)
    response = client.post(reverse("charter:proposal", args=[proposal.pk]), {"body": "Good idea."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (worker, "Good idea.")
    page = client.get(reverse("charter:proposal", args=[proposal.pk])).content.decode()
    assert "Good idea." in page


@pytest.mark.parametrize(
    ("body", "message"), [("", "Write your comment"), ("x" * 2001, "2,000 characters or fewer")]
)
def test_a_bad_comment_comes_back_with_the_reason_by_the_field(
    client, charter, representative, body, message
):
    proposal = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Shorter.")
    client.force_login(representative)
    response = client.post(reverse("charter:proposal", args=[proposal.pk]), {"body": body})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["body"])
    assert response.context["form"]["body"].value() == body
    assert not Comment.objects.exists()


def test_a_worker_co_signs_and_an_administrator_publishes_through_the_pages(
    client, charter, representative, worker, administrator
):
    proposal = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Shorter.")
    client.force_login(worker)
    assert (
        "Co-sign this proposal"
        in client.get(reverse("charter:proposal", args=[proposal.pk])).content.decode()
    )
    client.post(reverse("charter:co_sign", args=[proposal.pk]))
    assert proposal.co_signatures.count() == 2
    assert (
        "Publish as a new version"
        not in client.get(reverse("charter:proposal", args=[proposal.pk])).content.decode()
    )

    client.force_login(administrator)
    page = client.get(reverse("charter:proposal", args=[proposal.pk])).content.decode()
    assert "Publish as a new version" in page
    response = client.post(reverse("charter:publish", args=[proposal.pk]), follow=True)
    assert "Version 2 of the charter is published. Everyone will be told." in response.content.decode()
    assert CharterVersion.objects.get(number=2).sections.get(key="concern").body == "Tell us."


def test_publishing_without_enough_co_signers_says_why_on_the_proposal(
    client, charter, worker, administrator
):
    proposal = proposal_create(by=worker, section_key="concern", body="Tell us.", reason="Shorter.")
    client.force_login(administrator)
    response = client.post(reverse("charter:publish", args=[proposal.pk]), follow=True)
    assert "needs at least one representative and one member of staff" in response.content.decode()
    assert CharterVersion.objects.count() == 1


def test_a_stale_proposal_says_so_and_its_proposer_updates_it(
    client, charter, representative, outsider, worker, administrator
):
    mine = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Shorter.")
    theirs = proposal_create(by=outsider, section_key="concern", body="Tell anyone.", reason="Wider.")
    proposal_co_sign(proposal=theirs, by=worker)
    proposal_publish(proposal=theirs, by=administrator)

    client.force_login(representative)
    page = client.get(reverse("charter:proposal", args=[mine.pk])).content.decode()
    assert "This section has changed since the proposal was written" in page
    edit = client.get(reverse("charter:proposal_edit", args=[mine.pk])).content.decode()
    assert "Tell anyone." in edit  # the wording now, to rewrite against
    response = client.post(
        reverse("charter:proposal_edit", args=[mine.pk]),
        {"body": "Tell anyone. We reply in a week.", "reason": "Both."},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.based_on_revision, mine.body) == (2, "Tell anyone. We reply in a week.")


def test_a_bad_edit_keeps_what_was_typed(client, charter, representative):
    proposal = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Shorter.")
    client.force_login(representative)
    response = client.post(
        reverse("charter:proposal_edit", args=[proposal.pk]), {"body": "", "reason": "Still."}
    )
    assert response.status_code == 200
    assert "Write your new wording" in " ".join(response.context["form"].errors["body"])
    assert response.context["form"]["reason"].value() == "Still."


def test_an_unknown_proposal_is_a_404(client, charter, representative):
    client.force_login(representative)
    for name in ("charter:proposal", "charter:proposal_edit"):
        assert client.get(reverse(name, args=[999])).status_code == 404
    assert client.post(reverse("charter:co_sign", args=[999])).status_code == 404


def test_the_proposals_list_runs_the_same_queries_however_many(
    client, charter, representative, worker, django_assert_max_num_queries
):
    for number in range(12):
        proposal = proposal_create(
            by=representative, section_key="concern", body=f"Tell us {number}.", reason="Why."
        )
        proposal_co_sign(proposal=proposal, by=worker)
    client.force_login(worker)
    client.get(reverse("charter:proposals"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("charter:proposals"))
    assert len(response.context["open"]) == 12
    assert "1 representative, 1 staff" in response.content.decode()


def test_the_proposal_page_runs_few_queries(
    client, charter, representative, worker, django_assert_max_num_queries
):
    proposal = proposal_create(by=representative, section_key="concern", body="Tell us.", reason="Why.")
    proposal_co_sign(proposal=proposal, by=worker)
    client.force_login(worker)
    for number in range(10):
        client.post(reverse("charter:proposal", args=[proposal.pk]), {"body": f"Comment {number}"})
    with django_assert_max_num_queries(13):  # measured: 13, none of them per comment or co-signer
        assert client.get(reverse("charter:proposal", args=[proposal.pk])).status_code == 200
