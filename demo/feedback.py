"""Demo data for the feedback loop, on top of the demo opportunities: a published outcome
that reached the demo representative, an overdue one on the worker's home, and a check-in
asking for a chat that waits for the worker. Idempotent, like the rest of seed_demo."""

from accounts.models import User
from feedback.models import CheckIn, Outcome
from feedback.services import check_in_create, outcome_publish, outcome_save
from opportunities.models import Opportunity

CRISIS_TRAINING = "Staff training: what helps in a crisis, for student nurses"


def feedback_demo_seed(*, worker: User, people: dict[str, User]) -> None:
    training = Opportunity.objects.filter(title=CRISIS_TRAINING, lead_worker=worker).first()
    if training is None:
        return
    outcome = Outcome.objects.filter(opportunity=training).first()
    if outcome is None:
        outcome = outcome_save(
            opportunity=training,
            by=worker,
            you_said="Student nurses should hear that a calm voice and being asked what helps matter more "
            "than getting every word right. Several of you said the first conversation in A&E set the "
            "tone for everything after.",
            we_did="The university has added a session on first conversations to the placement course, "
            "using your role-plays. From next term every student nurse practises it before their first "
            "crisis placement.",
            evidence_url="https://www.example.nhs.uk/student-nurse-placement-course",
        )
    outcome_publish(outcome=outcome, by=worker)  # safe to repeat: nobody is told twice

    amira = people.get("amira@example.org")
    if amira is not None and not CheckIn.objects.filter(person=amira, opportunity=training).exists():
        check_in_create(
            person=amira,
            opportunity=training,
            how_it_went=3,
            felt_valued=4,
            went_well="The students really listened.",
            could_be_better="The role-play brought back a hard memory. A break before it would help.",
            wants_chat=True,
        )
