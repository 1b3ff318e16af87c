"""Two administrators publish two proposals on the same section at the same moment: one
becomes the next version, the other is refused and its proposer rewrites it against the
wording now published (the rebase), after which it can be co-signed and published."""

import pytest

from charter.models import CharterVersion
from charter.sections import SectionKey
from charter.services import (
    STALE_SECTION,
    CharterError,
    proposal_co_sign,
    proposal_create,
    proposal_publish,
    proposal_update,
)
from charter.tests.factories import first_charter
from involvement.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_second_of_two_concurrent_publishes_on_a_section_is_told_to_rebase(
    representative, outsider, worker, other_worker, administrator
):
    first_charter(by=administrator)
    first = proposal_create(
        by=representative,
        section_key=SectionKey.CONCERN,
        body="Tell any of us. We will listen.",
        reason="Shorter.",
    )
    second = proposal_create(
        by=outsider, section_key=SectionKey.CONCERN, body="Tell your worker first.", reason="Clearer."
    )
    proposal_co_sign(proposal=first, by=worker)
    proposal_co_sign(proposal=second, by=other_worker)

    results = run_together(
        [
            lambda: proposal_publish(proposal=first, by=administrator),
            lambda: proposal_publish(proposal=second, by=administrator),
        ]
    )

    published = [result for result in results if isinstance(result, CharterVersion)]
    refused = [result for result in results if isinstance(result, CharterError)]
    assert len(published) == 1 and len(refused) == 1, results
    assert str(refused[0]) == STALE_SECTION
    assert CharterVersion.objects.count() == 2
    winner = first if results[0] is published[0] else second
    loser = second if winner is first else first
    assert published[0].sections.get(key=SectionKey.CONCERN).body == winner.body

    # The loser's proposer rewrites it against the current wording; its co-signer signed
    # other words, so signs again, and then it can be published.
    rewritten = proposal_update(
        proposal=loser, by=loser.proposed_by, body=loser.body + " Or write to us.", reason=loser.reason
    )
    assert rewritten.based_on_revision == 2
    assert rewritten.co_signatures.count() == 1
    with pytest.raises(CharterError, match="at least one representative and one member of staff"):
        proposal_publish(proposal=rewritten, by=administrator)
    proposal_co_sign(proposal=rewritten, by=worker)
    third = proposal_publish(proposal=rewritten, by=administrator)
    assert third.number == 3
    assert third.sections.get(key=SectionKey.CONCERN).body == loser.body + " Or write to us."


def test_concurrent_publishes_on_different_sections_both_go_through_one_after_the_other(
    representative, outsider, worker, administrator
):
    first_charter(by=administrator)
    one = proposal_create(by=representative, section_key=SectionKey.CONCERN, body="Tell us.", reason="Short.")
    two = proposal_create(
        by=outsider, section_key=SectionKey.MEANING, body="We work together.", reason="Short."
    )
    proposal_co_sign(proposal=one, by=worker)
    proposal_co_sign(proposal=two, by=worker)

    results = run_together(
        [
            lambda: proposal_publish(proposal=one, by=administrator),
            lambda: proposal_publish(proposal=two, by=administrator),
        ]
    )

    assert all(isinstance(result, CharterVersion) for result in results), results
    assert sorted(result.number for result in results) == [2, 3]
    newest = CharterVersion.objects.get(number=3)
    # The later publish kept the earlier one's change: nothing is lost.
    assert newest.sections.get(key=SectionKey.CONCERN).body == "Tell us."
    assert newest.sections.get(key=SectionKey.MEANING).body == "We work together."
