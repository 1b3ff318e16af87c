"""What opportunities holds about a person: sign-ups and their history, attendance, training
(ADR 9, ADR 17). Places are freed through the services, under the opportunity's lock with
the recount and the waiting list moving up, as if the person had withdrawn; finished
sign-ups keep their state, which is the attendance the figures count."""

from accounts.models import User
from involvement.errors import ServiceError
from involvement.personal_data import PersonalDataProvider, Section, rows
from opportunities.models import Attendance, Opportunity, SignUp, SignUpEvent
from opportunities.services import signup_cancel, signup_withdraw
from opportunities.services.states import ACTIVE
from opportunities.training import TrainingCompletion

RUNNING = [Opportunity.Status.DRAFT, Opportunity.Status.PUBLISHED, Opportunity.Status.CLOSED]
ERASED_REASON = "The person's data was erased at their request."


def export(person: User) -> list[Section]:
    signups = SignUp.objects.filter(person=person).order_by("created_at", "pk")
    return [
        (
            "Your sign-ups",
            rows(
                signups,
                [
                    "pk",
                    "opportunity__title",
                    "opportunity__starts_at",
                    "state",
                    "note",
                    "attendance_mode",
                    "created_at",
                ],
            ),
        ),
        (
            "What happened to your sign-ups",
            rows(
                SignUpEvent.objects.filter(signup__person=person).order_by("created_at", "pk"),
                ["signup_id", "created_at", "from_state", "to_state", "reason"],
            ),
        ),
        (
            "Your attendance",
            rows(
                Attendance.objects.filter(signup__person=person).order_by("session__starts_at"),
                ["signup__opportunity__title", "session__starts_at", "attended"],
            ),
        ),
        (
            "Your training",
            rows(
                TrainingCompletion.objects.filter(person=person).order_by("completed_on"),
                ["course__name", "completed_on", "expires_on"],
            ),
        ),
    ]


def refuse(person: User) -> list[str]:
    leads = Opportunity.objects.filter(lead_worker=person, status__in=RUNNING).count()
    if leads:
        return [
            f"They lead {leads} opportunities that are not finished: a manager must change the lead first."
        ]
    return []


def erase(person: User) -> None:
    for signup in SignUp.objects.filter(person=person, state__in=ACTIVE, opportunity__status__in=RUNNING):
        try:
            signup_withdraw(signup=signup, person=person)
        except ServiceError:
            # Withdrawing is closed (after the deadline, say): a cancellation frees it the same way.
            signup_cancel(signup=signup, by=person, reason=ERASED_REASON)
    SignUp.objects.filter(person=person).update(note="", selection_reason="")
    SignUpEvent.objects.filter(signup__person=person).exclude(reason=ERASED_REASON).update(reason="")


PROVIDER = PersonalDataProvider(
    order=40,
    models=(
        "opportunities.SignUp",
        "opportunities.SignUpEvent",
        "opportunities.Attendance",
        "opportunities.TrainingCompletion",
        "opportunities.Opportunity",
        "opportunities.OpportunityEvent",
        "opportunities.SelectionDraw",
        "opportunities.ParticipantMessage",
        "opportunities.Session",
    ),
    export=export,
    erase=erase,
    refuse=refuse,
    not_personal={
        "opportunities.Opportunity": "An activity; its lead and creator are staff, kept by id.",
        "opportunities.OpportunityEvent": "Changes of lead, by staff about the activity; people by id.",
        "opportunities.SelectionDraw": "The ranking keeps sign-up and person ids, never names (ADR 9).",
        "opportunities.ParticipantMessage": "What a lead worker wrote to a group; the sender is staff.",
        "opportunities.Session": "When and where an activity runs.",
    },
)
