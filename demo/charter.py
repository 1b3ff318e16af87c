"""Demo data for the charter (issue 15): the first charter in plain English, co-signed by
demo representatives and staff; an open proposal with a comment, waiting for a member of
staff to co-sign it; and one representative who has agreed to their agreement, so the
people list shows both. Sam (rep@example.org) has not agreed yet, so their home asks them.
Idempotent, like the rest of seed_demo."""

from accounts.models import User
from charter.first_charter import FIRST_CHARTER
from charter.models import Agreement, CharterVersion, Proposal
from charter.sections import SectionKey
from charter.services import agreement_agree, charter_first_publish, comment_add, proposal_create

PROPOSED = (
    "If something is wrong, please tell us. You can talk to your named worker, or to any member of "
    "staff. You can also ask a friend or a carer to tell us for you. We will reply within ten working "
    "days. Raising a concern will never be held against you."
)


def charter_demo_seed(*, administrator: User, staff: list[User], people: dict[str, User]) -> None:
    signers = [people[email] for email in ("rep@example.org", "amira@example.org") if email in people]
    if not CharterVersion.objects.exists():
        charter_first_publish(sections=dict(FIRST_CHARTER), by=administrator, co_signers=signers + staff)
    amira = people.get("amira@example.org")
    if amira is None:
        return
    if not Proposal.objects.exists():
        proposal = proposal_create(
            by=amira,
            section_key=SectionKey.CONCERN,
            body=PROPOSED,
            reason="Some of us find it hard to speak up ourselves. A friend or carer could do it for us.",
        )
        comment_add(
            proposal=proposal, by=staff[0], body="Good idea. Should we say how a carer gets in touch?"
        )
    if not Agreement.objects.filter(person=amira).exists():
        current = CharterVersion.objects.order_by("-number").first()
        agreement_agree(person=amira, version_number=current.number)
