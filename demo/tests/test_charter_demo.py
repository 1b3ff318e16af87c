import pytest
from django.core.management import call_command

from charter.models import Agreement, CharterVersion, Comment, Proposal
from charter.sections import SectionKey

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_co_signed_charter_a_proposal_and_an_agreement_and_is_idempotent():
    call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")
    version = CharterVersion.objects.get()
    assert version.sections.count() == len(SectionKey.values)
    signers = {user.email for user in version.co_signers.all()}
    assert {"rep@example.org", "amira@example.org", "worker@example.org"} <= signers
    assert Proposal.objects.count() == 1 and Comment.objects.count() == 1
    assert list(Agreement.objects.values_list("person__email", flat=True)) == ["amira@example.org"]
