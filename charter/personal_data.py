"""What the charter holds about a person: their agreements, questions about them, and what
they proposed, co-signed or commented (ADR 9, ADR 17). Rows stay (agreements and signatures
are counted; a thread keeps its length); their words go, except a proposal's wording once it
was published, which is the charter's own text now."""

from django.utils import timezone

from accounts.models import User
from charter.models import Agreement, AgreementQuestion, Comment, CoSignature, Proposal
from involvement.personal_data import ERASED_TEXT, PersonalDataProvider, Section, rows


def export(person: User) -> list[Section]:
    return [
        (
            "Your involvement agreements",
            rows(
                Agreement.objects.filter(person=person).order_by("agreed_at"),
                ["agreed_at", "version__number", "text"],
            ),
        ),
        (
            "Your questions about your agreement",
            rows(
                AgreementQuestion.objects.filter(person=person).order_by("asked_at"),
                ["asked_at", "version__number", "question", "status", "closed_at"],
            ),
        ),
        (
            "Changes to the charter you proposed",
            rows(
                Proposal.objects.filter(proposed_by=person).order_by("created_at"),
                ["created_at", "section_key", "body", "reason", "status"],
            ),
        ),
        (
            "Proposals you co-signed",
            rows(
                CoSignature.objects.filter(person=person).order_by("signed_at"),
                ["signed_at", "proposal__section_key", "signed_as"],
            ),
        ),
        (
            "Your comments on proposals",
            rows(
                Comment.objects.filter(author=person).order_by("created_at"),
                ["created_at", "proposal__section_key", "body"],
            ),
        ),
    ]


def refuse(person: User) -> list[str]:
    waiting = AgreementQuestion.objects.filter(worker=person, status=AgreementQuestion.Status.OPEN).count()
    if waiting:
        return [
            f"They have {waiting} unanswered questions about agreements: a manager must hand them over first."
        ]
    return []


def erase(person: User) -> None:
    Agreement.objects.filter(person=person).update(text=ERASED_TEXT)
    questions = AgreementQuestion.objects.filter(person=person)
    questions.filter(status=AgreementQuestion.Status.OPEN).update(
        status=AgreementQuestion.Status.CLOSED, closed_at=timezone.now()
    )
    questions.update(question=ERASED_TEXT, action_taken="")
    proposals = Proposal.objects.filter(proposed_by=person)
    proposals.update(reason=ERASED_TEXT)
    proposals.exclude(status=Proposal.Status.PUBLISHED).update(body=ERASED_TEXT)
    Comment.objects.filter(author=person).update(body=ERASED_TEXT)


PROVIDER = PersonalDataProvider(
    order=15,
    models=(
        "charter.Agreement",
        "charter.AgreementQuestion",
        "charter.Proposal",
        "charter.CoSignature",
        "charter.Comment",
        "charter.CharterVersion",
        "charter.Section",
    ),
    export=export,
    erase=erase,
    refuse=refuse,
    not_personal={
        "charter.CharterVersion": "A published version; who published and co-signed it are kept by id.",
        "charter.Section": "The charter's own wording.",
    },
)
