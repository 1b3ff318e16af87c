"""Proposals to change one section of the charter, their comments and co-signatures.

Anyone signed in with a role may propose, comment and co-sign: representatives and staff
define involvement together (F6). Whoever proposes a change co-signs it by proposing it."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_representative, is_staff_member
from charter.models import Comment, CoSignature, Proposal, Section
from charter.selectors import section_current
from charter.services.errors import CharterError


def signing_side(person: User) -> str | None:
    """Staff sign as staff, even a representative employed as a peer worker: the rule asks
    for both sides, and one person must not count as both."""
    if is_staff_member(person):
        return CoSignature.As.STAFF
    if is_representative(person):
        return CoSignature.As.REPRESENTATIVE
    return None


def _side_or_refuse(person: User) -> str:
    side = signing_side(person)
    if side is None:
        raise CharterError("Only representatives and staff can take part in changing the charter.")
    return side


def _checked_wording(*, section_key: str, body: str, reason: str) -> tuple[Section, str, str]:
    section = section_current(key=section_key)
    if section is None:
        raise CharterError("Choose a section of the charter.", field="section_key")
    body, reason = body.strip(), reason.strip()
    if not body:
        raise CharterError("Write the new wording.", field="body")
    if body == section.body.strip():
        raise CharterError(
            "The new wording is the same as the current wording. Change it first.", field="body"
        )
    if not reason:
        raise CharterError("Say why you would like this change.", field="reason")
    return section, body, reason


def proposal_create(*, by: User, section_key: str, body: str, reason: str) -> Proposal:
    side = _side_or_refuse(by)
    section, body, reason = _checked_wording(section_key=section_key, body=body, reason=reason)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            section_key=section_key,
            based_on_revision=section.revision,
            body=body,
            reason=reason,
            proposed_by=by,
        )
        CoSignature.objects.create(proposal=proposal, person=by, signed_as=side)
    return proposal


def proposal_update(*, proposal: Proposal, by: User, body: str, reason: str) -> Proposal:
    """The proposer rewrites it, against the section's current wording (a rebase, after
    another change to the section was published). The co-signers signed other words, so
    their signatures are withdrawn and they are asked to sign again; the proposer's stays."""
    if proposal.proposed_by_id != by.pk:
        raise CharterError("Only the person who wrote a proposal can change it.")
    side = _side_or_refuse(by)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_open:
            raise CharterError("This proposal has been published and can no longer be changed.")
        section, body, reason = _checked_wording(section_key=proposal.section_key, body=body, reason=reason)
        proposal.body, proposal.reason = body, reason
        proposal.based_on_revision, proposal.updated_at = section.revision, timezone.now()
        proposal.save(update_fields=["body", "reason", "based_on_revision", "updated_at"])
        proposal.co_signatures.all().delete()
        CoSignature.objects.create(proposal=proposal, person=by, signed_as=side)
    return proposal


def proposal_co_sign(*, proposal: Proposal, by: User) -> CoSignature:
    """Safe to repeat: a second co-signature by the same person is the first one."""
    side = _side_or_refuse(by)
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_open:
            raise CharterError("This proposal has already been published.")
        signature, _ = CoSignature.objects.get_or_create(
            proposal=proposal, person=by, defaults={"signed_as": side}
        )
    return signature


def comment_add(*, proposal: Proposal, by: User, body: str) -> Comment:
    _side_or_refuse(by)
    body = body.strip()
    if not body:
        raise CharterError("Write your comment.", field="body")
    if not proposal.is_open:
        raise CharterError("This proposal has been published. Comment on the charter with a new proposal.")
    return Comment.objects.create(proposal=proposal, author=by, body=body)
