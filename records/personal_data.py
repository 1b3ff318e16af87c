"""What records holds about a person: their record's statement and skills, the roles they had,
the certificates they made and the references they asked for (ADR 9, ADR 17). A certificate
is withdrawn and emptied (its address then says withdrawn and shows nothing, as when the
person withdraws it); references keep their state and dates, their words go."""

from django.utils import timezone

from accounts.models import User
from involvement.personal_data import ERASED_TEXT, PersonalDataProvider, Section, rows
from notifications.personal_data import messages_wipe
from records.models import ActivityRole, Certificate, RecordStatement, ReferenceRequest


def export(person: User) -> list[Section]:
    return [
        (
            "Your skills and statement",
            rows(RecordStatement.objects.filter(person=person), ["skills", "statement"]),
        ),
        (
            "Your roles in activities",
            rows(
                ActivityRole.objects.filter(signup__person=person),
                ["signup__opportunity__title", "role", "other_role"],
            ),
        ),
        (
            "Certificates you made",
            rows(Certificate.objects.filter(person=person), ["created_at", "withdrawn_at", "content"]),
        ),
        (
            "References you asked for",
            rows(
                ReferenceRequest.objects.filter(person=person),
                [
                    "requested_at",
                    "purpose",
                    "role_title",
                    "organisation",
                    "deadline",
                    "note",
                    "state",
                    "body",
                ],
            ),
        ),
    ]


def refuse(person: User) -> list[str]:
    waiting = ReferenceRequest.objects.filter(worker=person, state=ReferenceRequest.State.REQUESTED).count()
    if waiting:
        return [f"They have {waiting} references to write: a manager must hand them over first."]
    return []


def erase(person: User) -> None:
    RecordStatement.objects.filter(person=person).delete()
    certificates = Certificate.objects.filter(person=person)
    certificates.filter(withdrawn_at=None).update(withdrawn_at=timezone.now())
    certificates.update(content={})
    references = ReferenceRequest.objects.filter(person=person)
    # The worker was told who asked (the message names them): those messages go too.
    messages_wipe(keys=[f"reference:requested:{pk}" for pk in references.values_list("pk", flat=True)])
    references.update(role_title=ERASED_TEXT, organisation=ERASED_TEXT, note="", body="")


PROVIDER = PersonalDataProvider(
    order=12,
    models=(
        "records.RecordStatement",
        "records.ActivityRole",
        "records.Certificate",
        "records.ReferenceRequest",
    ),
    export=export,
    erase=erase,
    refuse=refuse,
    not_personal={
        "records.ActivityRole": "The part someone had in an activity (chair, speaker), kept as a figure."
    },
)
