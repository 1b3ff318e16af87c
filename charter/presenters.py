"""What the charter's pages show, computed once for the templates."""

from dataclasses import dataclass, field
from typing import Any

from accounts.permissions import STAFF_ROLES
from charter.models import CharterVersion, CoSignature, Proposal, Section
from charter.sections import SectionKey, is_level
from charter.services import is_adoptable


@dataclass
class VersionParts:
    sections: list[Section] = field(default_factory=list)
    levels_intro: Section | None = None
    levels: list[Section] = field(default_factory=list)
    staff_signers: list[str] = field(default_factory=list)
    representative_signers: int = 0


def _name(user: Any) -> str:
    return user.profile.display_name or user.get_full_name() or "A member of staff"


def version_sections(version: CharterVersion) -> VersionParts:
    """The main sections in order, then the levels' introduction and one part per level, each
    with the anchor an opportunity links to (`#level-<level>`), and who co-signed (the
    version's co-signers prefetched with their groups)."""
    parts = VersionParts()
    # The charter is public: staff are named, as they sign in their job; representatives are
    # counted, never named, since being one says that a person uses mental health services.
    for signer in version.co_signers.all():
        if {group.name for group in signer.groups.all()} & STAFF_ROLES:
            parts.staff_signers.append(_name(signer))
        else:
            parts.representative_signers += 1
    for section in version.sections.all():
        if section.key == SectionKey.LEVELS:
            parts.levels_intro = section
        elif is_level(section.key):
            parts.levels.append(section)
        else:
            parts.sections.append(section)
    return parts


@dataclass(frozen=True)
class ProposalState:
    representatives: list[CoSignature]
    staff: list[CoSignature]
    adoptable: bool
    stale: bool
    has_signed: bool
    can_co_sign: bool
    can_edit: bool
    can_publish: bool


def proposal_state(proposal: Proposal, *, viewer: Any, current: Section | None) -> ProposalState:
    """From the proposal with its co-signatures prefetched, and its section as it is now."""
    signatures = list(proposal.co_signatures.all())
    stale = proposal.is_open and (current is None or current.revision != proposal.based_on_revision)
    has_signed = any(signature.person_id == viewer.pk for signature in signatures)
    adoptable = is_adoptable(signatures)
    return ProposalState(
        representatives=[s for s in signatures if s.signed_as == CoSignature.As.REPRESENTATIVE],
        staff=[s for s in signatures if s.signed_as == CoSignature.As.STAFF],
        adoptable=adoptable,
        stale=stale,
        has_signed=has_signed,
        can_co_sign=proposal.is_open and not has_signed and not stale,
        can_edit=proposal.is_open and viewer.has_perm("charter.edit_proposal", proposal),
        can_publish=proposal.is_open and adoptable and not stale and viewer.has_perm("charter.publish"),
    )
