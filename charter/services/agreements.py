"""Personal involvement agreements (F3, F5): a short agreement built from the charter for
one representative (their role, the support they get, their payment choice, how to take a
break), which they agree to or ask their named worker about.

What they agreed to is kept word for word (`Agreement.text`), with the version, so that a
later change to the charter or to their profile never changes what they saw."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_representative
from charter.models import Agreement, AgreementQuestion, CharterVersion
from charter.sections import SectionKey
from charter.selectors import agreement_status
from charter.services.errors import CharterError
from feedback.services import worker_name
from notifications.kinds import Kind
from notifications.services import message_create

CHANGED_WHILE_READING = "The charter changed while you were reading. Please read your agreement again below."


@dataclass(frozen=True)
class AgreementPart:
    heading: str
    paragraphs: tuple[str, ...]


def agreement_build(*, person: User, version: CharterVersion) -> list[AgreementPart]:
    """The agreement for this person from this version (its sections, prefetched or not)."""
    words = {section.key: section.body for section in version.sections.all()}
    profile = person.profile
    named = profile.named_worker
    support = (
        f"Your named involvement worker is {worker_name(named)}. They are there to help you take part."
        if named is not None
        else "You do not have a named involvement worker yet. We will choose one for you soon."
    )
    return [
        AgreementPart(
            "Your role",
            (
                "You are a representative. You bring what you know from your own life to help us "
                "make services better.",
                words[SectionKey.FROM_YOU],
            ),
        ),
        AgreementPart(
            "The support you get", (support, words[SectionKey.FROM_US], words[SectionKey.WELLBEING])
        ),
        AgreementPart(
            "Your payment choice",
            (
                f"You chose: {profile.get_payment_preference_display()}. You can change this on your "
                "profile, or for one activity when you claim.",
                words[SectionKey.PAYMENT],
            ),
        ),
        AgreementPart(
            "How to take a break",
            (
                "You can take a break at any time. Tick \u201cI am taking a break\u201d on your profile. "
                "We will stop sending you invitations and digests until you come back. "
                "It is never held against you.",
            ),
        ),
    ]


def agreement_text(parts: list[AgreementPart], *, version: CharterVersion) -> str:
    lines = [f"Involvement agreement, from version {version.number} of the charter", ""]
    for part in parts:
        lines += [part.heading, *part.paragraphs, ""]
    return "\n".join(lines).strip()


def agreement_due(*, person: User) -> bool:
    """Should this person be asked to agree: a representative with no agreement as new as the
    last version that changed what agreements are built from (or none at all)."""
    if not is_representative(person):
        return False
    baseline, agreed = agreement_status(person=person)
    return baseline is not None and not agreed


def _current_or_refuse(version_number: int) -> CharterVersion:
    current = CharterVersion.objects.order_by("-number").prefetch_related("sections").first()
    if current is None:
        raise CharterError("There is no charter yet.")
    if current.number != version_number:
        raise CharterError(CHANGED_WHILE_READING)
    return current


def agreement_agree(*, person: User, version_number: int) -> Agreement:
    """Keep that they agreed, and the words they read. Safe to repeat for one version."""
    if not is_representative(person):
        raise CharterError("Agreements are for representatives.")
    version = _current_or_refuse(version_number)
    text = agreement_text(agreement_build(person=person, version=version), version=version)
    with transaction.atomic():
        agreement, _ = Agreement.objects.get_or_create(
            person=person, version=version, defaults={"text": text}
        )
    return agreement


def agreement_question_ask(*, person: User, version_number: int, question: str) -> AgreementQuestion:
    """A question for the person's named worker, who is told at once (without the question)."""
    if not is_representative(person):
        raise CharterError("Agreements are for representatives.")
    question = question.strip()
    if not question:
        raise CharterError("Write your question.", field="question")
    version = _current_or_refuse(version_number)
    worker = person.profile.named_worker
    if worker is None or not worker.is_active:
        raise CharterError(
            "You do not have a named involvement worker yet, so nobody can answer this here. "
            "Please contact the involvement team.",
            field="question",
        )
    with transaction.atomic():
        asked = AgreementQuestion.objects.create(
            person=person, version=version, worker=worker, question=question
        )
        message_create(
            recipient=worker,
            kind=Kind.CHARTER_QUESTION,
            dedupe_key=f"charter_question:{asked.pk}",
            context={"question": asked},
        )
    return asked


def agreement_question_close(
    *, question: AgreementQuestion, by: User, action_taken: str
) -> AgreementQuestion:
    action_taken = action_taken.strip()
    if not action_taken:
        raise CharterError(
            "Write what you did, so the record shows the question was answered.", field="action_taken"
        )
    with transaction.atomic():
        question = AgreementQuestion.objects.select_for_update().get(pk=question.pk)
        if not question.is_open:
            raise CharterError("This question has already been answered.")
        question.status, question.closed_at = AgreementQuestion.Status.CLOSED, timezone.now()
        question.action_taken = action_taken
        question.save(update_fields=["status", "closed_at", "action_taken"])
    return question
