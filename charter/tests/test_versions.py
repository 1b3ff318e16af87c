"""Versions of the charter: the first, each published proposal, the co-signing rule, the
history and comparison pages, and everyone being told once."""

import pytest
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person
from charter.models import CharterVersion, Proposal
from charter.sections import SectionKey
from charter.services import (
    CharterError,
    charter_update_send,
    proposal_co_sign,
    proposal_create,
    proposal_publish,
)
from charter.tests.factories import first_charter
from notifications.kinds import Kind
from notifications.models import Message

pytestmark = pytest.mark.django_db

NEW_WORDS = "Involvement means you help us make our services better, and we listen to you."


@pytest.fixture
def charter(administrator, representative, worker):
    return first_charter(by=administrator, co_signers=[representative, worker])


def proposal_by(who, *, key=SectionKey.MEANING, body=NEW_WORDS) -> Proposal:
    return proposal_create(by=who, section_key=key, body=body, reason="It says who listens.")


def test_it_publishes_the_first_charter_with_every_section_and_its_co_signers(
    charter, representative, worker
):
    assert charter.number == 1
    assert list(charter.sections.values_list("key", flat=True)) == SectionKey.values
    assert set(charter.co_signers.all()) == {representative, worker}
    assert set(charter.sections.values_list("revision", flat=True)) == {1}


def test_it_refuses_a_second_first_charter(charter):
    with pytest.raises(CharterError, match="already been published"):
        first_charter()


def test_a_proposal_co_signed_by_a_representative_and_staff_becomes_the_next_version(
    charter, representative, worker, administrator
):
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=worker)
    version = proposal_publish(proposal=proposal, by=administrator)

    assert version.number == 2 and version.published_by == administrator
    assert set(version.co_signers.all()) == {representative, worker}
    sections = {section.key: section for section in version.sections.all()}
    assert sections[SectionKey.MEANING].body == NEW_WORDS
    assert sections[SectionKey.MEANING].revision == 2
    # Every other section is carried over as it was, with the version that last changed it.
    old = {section.key: section for section in charter.sections.all()}
    for key in set(SectionKey.values) - {SectionKey.MEANING}:
        assert (sections[key].body, sections[key].revision) == (old[key].body, 1)
    # The first version still reads as it was published.
    assert old[SectionKey.MEANING].body != NEW_WORDS
    proposal.refresh_from_db()
    assert (proposal.status, proposal.published_as) == (Proposal.Status.PUBLISHED, version)


def test_two_staff_and_no_representative_is_not_enough(charter, worker, other_worker, administrator):
    proposal = proposal_by(worker)
    proposal_co_sign(proposal=proposal, by=other_worker)
    with pytest.raises(CharterError, match="at least one representative and one member of staff"):
        proposal_publish(proposal=proposal, by=administrator)
    assert CharterVersion.objects.count() == 1


def test_two_representatives_and_no_staff_is_not_enough(charter, representative, outsider, administrator):
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=outsider)
    with pytest.raises(CharterError, match="at least one representative and one member of staff"):
        proposal_publish(proposal=proposal, by=administrator)


def test_a_peer_worker_signs_as_staff_and_counts_once(charter, administrator):
    peer = person(roles=[Role.REPRESENTATIVE, Role.WORKER], display_name="Pat Peer")
    proposal = proposal_by(peer)
    assert proposal.co_signatures.get().signed_as == "staff"
    with pytest.raises(CharterError, match="at least one representative"):
        proposal_publish(proposal=proposal, by=administrator)


def test_only_an_administrator_publishes(charter, representative, worker, manager):
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=worker)
    for somebody in (representative, worker, manager):
        with pytest.raises(CharterError, match="Only an administrator"):
            proposal_publish(proposal=proposal, by=somebody)


def test_a_published_proposal_is_not_published_twice(charter, representative, worker, administrator):
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=worker)
    proposal_publish(proposal=proposal, by=administrator)
    with pytest.raises(CharterError, match="already been published"):
        proposal_publish(proposal=proposal, by=administrator)
    with pytest.raises(CharterError, match="already been published"):
        proposal_co_sign(proposal=proposal, by=administrator)
    assert CharterVersion.objects.count() == 2


def test_co_signing_twice_is_one_co_signature(charter, representative, worker):
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=worker)
    proposal_co_sign(proposal=proposal, by=worker)
    assert proposal.co_signatures.count() == 2


def test_everyone_is_told_once_and_representatives_are_asked_to_agree_when_agreements_change(
    charter, representative, outsider, worker, administrator, django_capture_on_commit_callbacks
):
    proposal = proposal_by(representative, key=SectionKey.FROM_US, body="We will always listen to you.")
    proposal_co_sign(proposal=proposal, by=worker)
    with django_capture_on_commit_callbacks(execute=True):
        version = proposal_publish(proposal=proposal, by=administrator)
    told = Message.objects.filter(kind=Kind.CHARTER_UPDATED)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [representative.pk, outsider.pk, worker.pk, administrator.pk]
    )
    assert "please read your agreement" in told.get(recipient=representative).subject
    assert "please read your agreement" not in told.get(recipient=worker).subject
    # A second run (a task delivered twice) tells nobody again.
    assert charter_update_send(version_id=version.pk, batch_size=2) == 0
    assert told.count() == 4


def test_a_change_elsewhere_does_not_ask_anyone_to_agree_again(
    charter, representative, worker, administrator, django_capture_on_commit_callbacks
):
    proposal = proposal_by(representative)  # "What involvement means here": not in agreements
    proposal_co_sign(proposal=proposal, by=worker)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_publish(proposal=proposal, by=administrator)
    subject = Message.objects.get(kind=Kind.CHARTER_UPDATED, recipient=representative).subject
    assert subject == "The involvement charter has changed"


def test_the_message_respects_a_choice_to_stop_it_by_email(
    charter, representative, worker, administrator, django_capture_on_commit_callbacks
):
    representative.profile.email_muted_kinds = [Kind.CHARTER_UPDATED]
    representative.profile.save()
    proposal = proposal_by(representative)
    proposal_co_sign(proposal=proposal, by=worker)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_publish(proposal=proposal, by=administrator)
    message = Message.objects.get(kind=Kind.CHARTER_UPDATED, recipient=representative)
    assert message.status == Message.Status.INBOX_ONLY


def test_a_refused_publish_tells_nobody(
    charter, worker, other_worker, administrator, django_capture_on_commit_callbacks
):
    proposal = proposal_by(worker)
    proposal_co_sign(proposal=proposal, by=other_worker)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CharterError):
        proposal_publish(proposal=proposal, by=administrator)
    assert not Message.objects.filter(kind=Kind.CHARTER_UPDATED).exists()


# --- the pages ------------------------------------------------------------------------------


def published_twice(representative, worker, administrator, body=NEW_WORDS):
    proposal = proposal_by(representative, body=body)
    proposal_co_sign(proposal=proposal, by=worker)
    return proposal_publish(proposal=proposal, by=administrator)


def test_the_charter_page_shows_the_current_version_its_date_and_co_signers(client, charter):
    page = client.get(reverse("charter:current")).content.decode()
    assert "Version</dt>" in page and ">1</dd>" in page
    # Staff are named; representatives are counted, never named on a public page.
    assert "1 representative, and staff: Wendy Worker" in page
    assert "Robin" not in page
    for label in ("What involvement means here", "How to raise a concern", "How much say you have"):
        assert label in page
    for level in ("informing", "consulting", "engaging", "co-designing", "co-producing"):
        assert f'id="level-{level}"' in page


def test_the_charter_page_before_any_version_says_so(client, db):
    page = client.get(reverse("charter:current")).content.decode()
    assert "We are writing our first charter" in page


def test_an_earlier_version_stays_readable(client, charter, representative, worker, administrator):
    published_twice(representative, worker, administrator)
    old = client.get(reverse("charter:version", args=[1])).content.decode()
    assert "This is an earlier version" in old
    assert NEW_WORDS not in old
    assert NEW_WORDS in client.get(reverse("charter:current")).content.decode()
    assert client.get(reverse("charter:version", args=[3])).status_code == 404


def test_the_comparison_marks_added_and_removed_words_for_screen_readers(
    client, charter, representative, worker, administrator
):
    published_twice(representative, worker, administrator)
    # Either order: the older version is always the one compared from.
    response = client.get(reverse("charter:compare"), {"older": 2, "newer": 1})
    page = response.content.decode()
    assert "Changes from version 1 to version 2" in page
    assert "1 section changed." in page
    assert '<ins><span class="nhsuk-u-visually-hidden">[added: </span>' in page
    assert '<del><span class="nhsuk-u-visually-hidden">[removed: </span>' in page
    assert "[added: </span>listen " in page


def test_the_history_lists_every_version(client, charter, representative, worker, administrator):
    published_twice(representative, worker, administrator)
    page = client.get(reverse("charter:history")).content.decode()
    assert "Version 1</a>" in page and "Version 2</a>" in page
    assert "It says who listens." in page


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({}, "Choose a version"),
        ({"older": "1", "newer": "9"}, "Choose a version from the list"),
        ({"older": "x", "newer": "1"}, "Choose a version from the list"),
        ({"older": "1", "newer": "1"}, "Choose two different versions"),
        ({"older": "1\x00", "newer": "2"}, None),
    ],
)
def test_a_bad_comparison_comes_back_with_the_reason_by_the_field(
    client, charter, representative, worker, administrator, query, error
):
    published_twice(representative, worker, administrator)
    response = client.get(reverse("charter:compare"), query)
    if error is None:  # a null character: the request guard's 400, never a 500
        assert response.status_code == 400
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert "Error: Versions of the involvement charter" in page or "nhsuk-error-message" in page


def test_the_history_page_runs_few_queries(
    client, charter, representative, worker, administrator, django_assert_max_num_queries
):
    for number in range(6):
        published_twice(representative, worker, administrator, body=f"{NEW_WORDS} Change {number}.")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("charter:history"))
    assert response.content.decode().count('<tr class="nhsuk-table__row">') == 1 + 7


def test_the_charter_page_runs_few_queries(client, charter, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(reverse("charter:current")).status_code == 200
