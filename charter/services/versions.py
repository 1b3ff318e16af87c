"""Publishing versions of the charter: the first one, and each proposal adopted after it.

Publishing is serialised by a transaction-level advisory lock, and the newest version is
read again under it: two administrators publishing proposals on the same section at once
cannot both change it. The second is refused and the proposer rewrites theirs against the
wording the first published (F6: definitions agreed together, so no wording is lost
silently)."""

from collections.abc import Iterable
from functools import partial

from django.db import connection, transaction

from accounts.models import User
from accounts.permissions import is_administrator
from charter.models import CharterVersion, CoSignature, Proposal, Section
from charter.sections import ORDER, SectionKey
from charter.services.errors import CharterError
from charter.services.updates import queue_charter_update

# The first key of PostgreSQL's two-key advisory lock: the charter's own space.
CHARTER_LOCK = 15_001
STALE_SECTION = (
    "This section has changed since the proposal was written: update the proposal to the current wording"
)


def lock_charter() -> None:
    """Held until the transaction ends: one publish at a time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHARTER_LOCK, 0])


def is_adoptable(signatures: Iterable[CoSignature]) -> bool:
    """At least one representative and one member of staff (PRODUCT.md, "Charter")."""
    sides = {signature.signed_as for signature in signatures}
    return {CoSignature.As.REPRESENTATIVE, CoSignature.As.STAFF} <= sides


def charter_first_publish(
    *,
    sections: dict[str, str],
    by: User | None,
    co_signers: Iterable[User],
    summary: str = "The first charter",
) -> CharterVersion:
    """Version 1, with every section (`sections`: key to wording). Refused once a version exists."""
    missing = set(SectionKey.values) - set(sections)
    if missing:
        raise CharterError(f"Every section needs words: {', '.join(sorted(missing))}.")
    with transaction.atomic():
        lock_charter()
        if CharterVersion.objects.exists():
            raise CharterError("The charter has already been published: change it through a proposal.")
        version = CharterVersion.objects.create(number=1, published_by=by, summary=summary)
        Section.objects.bulk_create(
            Section(
                version=version,
                key=key,
                title=SectionKey(key).label,
                body=sections[key].strip(),
                order=ORDER[key],
                revision=1,
            )
            for key in SectionKey.values
        )
        version.co_signers.set(list(co_signers))
    return version


def proposal_publish(*, proposal: Proposal, by: User) -> CharterVersion:
    """The next version: every section of the newest one, with the proposal's section in its
    new words. Everyone is told once the publish commits (charter.services.updates)."""
    if not is_administrator(by):
        raise CharterError("Only an administrator can publish a new version of the charter.")
    with transaction.atomic():
        lock_charter()
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_open:
            raise CharterError("This proposal has already been published.")
        signatures = list(proposal.co_signatures.all())
        if not is_adoptable(signatures):
            raise CharterError(
                "A proposal needs at least one representative and one member of staff to co-sign it "
                "before it can be published."
            )
        # Read under the lock: a version published a moment ago is seen here.
        current = CharterVersion.objects.order_by("-number").first()
        if current is None:
            raise CharterError("There is no charter to change yet.")
        sections = list(current.sections.all())
        target = next((section for section in sections if section.key == proposal.section_key), None)
        if target is None or target.revision != proposal.based_on_revision:
            raise CharterError(STALE_SECTION)
        version = CharterVersion.objects.create(
            number=current.number + 1, published_by=by, summary=proposal.reason[:300]
        )
        Section.objects.bulk_create(
            Section(
                version=version,
                key=section.key,
                title=section.title,
                body=proposal.body if section is target else section.body,
                order=section.order,
                revision=version.number if section is target else section.revision,
            )
            for section in sections
        )
        version.co_signers.set([signature.person_id for signature in signatures])
        proposal.status, proposal.published_as = Proposal.Status.PUBLISHED, version
        proposal.save(update_fields=["status", "published_as"])
        transaction.on_commit(partial(queue_charter_update, version.pk))
    return version
