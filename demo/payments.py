"""Demo data for payments (issue 12), on top of the demo opportunities: a claim for every
attended sign-up, in every state from not sent to paid; mileage worked out as the service
works it out, a receipt (a small PNG made here), three finance batches, and a representative
(Amira) near the earnings limit she set, whose claim workers see flagged.

Like the rest of seed_demo, rows are written directly (the past cannot be replayed through
services that refuse past dates, and a reset should message nobody), and every run brings
each claim back to its script: its dates move with the activity's, its history is written
again, and expense lines not in the script go. Running it twice changes nothing.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from catalogue.models import PaymentPolicy, to_pence
from catalogue.selectors import policy_in_force
from opportunities.models import Opportunity, SignUp
from payments.models import (
    Claim,
    ClaimEvent,
    ExpenseKind,
    ExpenseLine,
    ExportBatch,
    FeeChoice,
    LimitPeriod,
    PaymentDetails,
)
from payments.services import attended_hours, fee_for, mileage_for

State = Claim.State
LEAFLET = "Co-production group: rewriting the leaving-hospital leaflet"
CRISIS_TRAINING = "Staff training: what helps in a crisis, for student nurses"
PANEL = "Interview panel: consultant psychiatrist for the memory service"


@dataclass(frozen=True)
class DemoExpense:
    kind: str
    description: str
    amount: str = "0"
    miles: str = ""
    vehicle: str = ""
    receipt: bool = False


@dataclass(frozen=True)
class DemoClaim:
    opportunity: str
    email: str
    state: str
    choice: str = FeeChoice.FULL_FEE
    reduced_amount: str = ""
    charity_name: str = ""
    return_reason: str = ""
    near_limit: bool = False
    expenses: tuple[DemoExpense, ...] = ()
    # Exported and paid claims: the demo batch they went in (DEMO_BATCHES).
    batch: str = ""
    # Days after the activity the person sent it; the batch says when finance paid it.
    sent_after: int = 2


# Each batch: days ago it was made, and days ago finance paid it (None: not yet).
DEMO_BATCHES: dict[str, tuple[int, int | None]] = {
    "DEMO-1": (35, 30),
    "DEMO-2": (15, 12),
    "DEMO-3": (3, None),
}

CLAIMS: list[DemoClaim] = [
    # Sam, the demo representative: one paid (with mileage and a receipt), one still to send.
    DemoClaim(
        LEAFLET,
        "rep@example.org",
        State.PAID,
        batch="DEMO-2",
        expenses=(
            DemoExpense(
                ExpenseKind.MILEAGE, "Home to the Orchard Centre and back", miles="12", vehicle="car"
            ),
            DemoExpense(ExpenseKind.PARKING, "Mill Lane car park", amount="4.50", receipt=True),
        ),
    ),
    DemoClaim(
        CRISIS_TRAINING,
        "rep@example.org",
        State.DRAFT,
        expenses=(DemoExpense(ExpenseKind.PUBLIC_TRANSPORT, "Bus, both mornings", amount="6.20"),),
    ),
    DemoClaim(
        LEAFLET,
        "hassan@example.org",
        State.PAID,
        choice=FeeChoice.CHARITY,
        charity_name="Mind",
        batch="DEMO-2",
    ),
    DemoClaim(
        LEAFLET,
        "chloe@example.org",
        State.EXPORTED,
        batch="DEMO-3",
        expenses=(DemoExpense(ExpenseKind.MILEAGE, "Cycled there and back", miles="6", vehicle="bicycle"),),
    ),
    DemoClaim(
        LEAFLET, "isla@example.org", State.APPROVED, choice=FeeChoice.REDUCED_FEE, reduced_amount="20.00"
    ),
    DemoClaim(
        LEAFLET,
        "lena@example.org",
        State.RETURNED,
        return_reason="Please add a photo of the parking receipt: finance needs one for parking.",
        expenses=(DemoExpense(ExpenseKind.PARKING, "Hospital car park", amount="7.00"),),
    ),
    DemoClaim(LEAFLET, "ben@example.org", State.SUBMITTED, choice=FeeChoice.DECLINE),
    # Amira set a weekly limit of £100: this £90 fee brings her near it, so workers see a flag.
    DemoClaim(
        CRISIS_TRAINING,
        "amira@example.org",
        State.SUBMITTED,
        near_limit=True,
        expenses=(DemoExpense(ExpenseKind.MEAL, "Lunch on the second morning", amount="6.50"),),
    ),
    DemoClaim(CRISIS_TRAINING, "femi@example.org", State.DRAFT, choice=FeeChoice.VOUCHER),
    # Sent weeks ago and still waiting: overdue on the worker's home and in the daily summary.
    DemoClaim(
        PANEL,
        "grace@example.org",
        State.SUBMITTED,
        expenses=(DemoExpense(ExpenseKind.PUBLIC_TRANSPORT, "Train to Westwood", amount="12.40"),),
    ),
    DemoClaim(PANEL, "jo@example.org", State.PAID, batch="DEMO-1"),
]

# The steps each state took to get there, as ClaimEvent rows: (to state, who, days after sending).
PATHS: dict[str, list[tuple[str, str]]] = {
    State.DRAFT: [],
    State.SUBMITTED: [(State.SUBMITTED, "person")],
    State.RETURNED: [(State.SUBMITTED, "person"), (State.RETURNED, "worker")],
    State.APPROVED: [(State.SUBMITTED, "person"), (State.APPROVED, "worker")],
    State.EXPORTED: [(State.SUBMITTED, "person"), (State.APPROVED, "worker"), (State.EXPORTED, "finance")],
    State.PAID: [
        (State.SUBMITTED, "person"),
        (State.APPROVED, "worker"),
        (State.EXPORTED, "finance"),
        (State.PAID, "finance"),
    ],
}

# Payroll references finance pays people by; Amira's earnings limit.
PAYROLL = {
    "rep@example.org": "P-20417",
    "hassan@example.org": "P-20533",
    "chloe@example.org": "S-0192",
    "jo@example.org": "P-20388",
}
AMIRA_LIMIT = Decimal("100.00")


def _receipt_png(text: str) -> ContentFile:
    """A small, real PNG: receipts are checked by content, and the demo's must pass."""
    image = Image.new("RGB", (320, 140), "white")
    draw = ImageDraw.Draw(image)
    for line, words in enumerate(["MILL LANE CAR PARK", text, "Thank you"]):
        draw.text((16, 16 + 36 * line), words, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _batches(finance: User) -> dict[str, ExportBatch]:
    today = timezone.localdate()
    batches = {}
    for reference, (made, _paid) in DEMO_BATCHES.items():
        batch, _ = ExportBatch.objects.update_or_create(
            reference=reference,
            defaults={"created_by": finance, "created_at": _at(today - timedelta(days=made), 11)},
        )
        batches[reference] = batch
    return batches


def _expenses(claim: Claim, plan: DemoClaim) -> None:
    policy = policy_in_force(day=claim.activity_date)
    kept = []
    for expense in plan.expenses:
        line = ExpenseLine.objects.filter(
            claim=claim, kind=expense.kind, description=expense.description
        ).first() or ExpenseLine(claim=claim, kind=expense.kind, description=expense.description)
        if expense.miles and policy is not None:
            mileage = mileage_for(
                policy=policy,
                vehicle=expense.vehicle,
                miles=Decimal(expense.miles),
                passengers=0,
                car_miles_before=Decimal(0),
            )
            line.miles, line.vehicle = Decimal(expense.miles), expense.vehicle
            line.amount, line.mileage_workings = mileage.amount, mileage.workings
        else:
            line.amount = to_pence(Decimal(expense.amount))
        if expense.receipt and not (line.receipt and line.receipt.storage.exists(line.receipt.name)):
            line.receipt.save("receipt.png", _receipt_png(f"Parking: £{line.amount}"), save=False)
            line.receipt_content_type, line.receipt_name = "image/png", "car-park-receipt.png"
        line.save()
        kept.append(line.pk)
    for stale in claim.expenses.exclude(pk__in=kept):
        if stale.receipt:
            stale.receipt.delete(save=False)
        stale.delete()


def _history(
    claim: Claim, plan: DemoClaim, *, worker: User, finance: User, sent: date, paid: date | None
) -> None:
    claim.events.all().delete()
    actors = {"person": claim.person, "worker": worker, "finance": finance}
    from_state = State.DRAFT
    for step, (to_state, who) in enumerate(PATHS[plan.state]):
        when = _at(paid, 15) if to_state == State.PAID and paid else _at(sent + timedelta(days=step))
        reason = plan.return_reason if to_state == State.RETURNED else ""
        if to_state == State.EXPORTED and claim.batch:
            reason, when = claim.batch.reference, claim.batch.created_at
        ClaimEvent.objects.create(
            claim=claim,
            from_state=from_state,
            to_state=to_state,
            actor=actors[who],
            reason=reason,
            created_at=when,
        )
        from_state = to_state


def _claim(
    plan: DemoClaim, signup: SignUp, *, worker: User, finance: User, batches: dict[str, ExportBatch]
) -> Claim:
    opportunity = signup.opportunity
    hours, last_day = attended_hours(signup)
    activity_date = last_day or timezone.localdate(opportunity.ends_at)
    fee = Decimal("0.00")
    if opportunity.fee_amount is not None:
        fee = fee_for(
            unit=opportunity.fee_unit,
            amount=opportunity.fee_amount,
            block_hours=opportunity.fee_block_hours,
            preparation_hours=opportunity.fee_preparation_hours or Decimal(0),
            hours=hours,
        )
    sent = activity_date + timedelta(days=plan.sent_after)
    batch = batches[plan.batch] if plan.batch else None
    paid_days_ago = DEMO_BATCHES[plan.batch][1] if plan.batch else None
    paid_on = (
        timezone.localdate() - timedelta(days=paid_days_ago)
        if plan.state == State.PAID and paid_days_ago is not None
        else None
    )
    approved = plan.state in {State.APPROVED, State.EXPORTED, State.PAID}
    claim, _ = Claim.objects.update_or_create(
        signup=signup,
        defaults={
            "person": signup.person,
            "opportunity": opportunity,
            "state": plan.state,
            "activity_date": activity_date,
            "hours": hours,
            "calculated_fee": fee,
            "adjusted_fee": None,
            "adjustment_reason": "",
            "choice": plan.choice,
            "reduced_amount": Decimal(plan.reduced_amount) if plan.reduced_amount else None,
            "charity_name": plan.charity_name,
            "past_limit_confirmed": False,
            "near_limit": plan.near_limit,
            "return_reason": plan.return_reason,
            "submitted_at": None if plan.state == State.DRAFT else _at(sent),
            "approved_at": _at(sent + timedelta(days=1)) if approved else None,
            "approved_by": worker if approved else None,
            "batch": batch,
            "paid_on": paid_on,
            "created_at": _at(activity_date, 18),
        },
    )
    _expenses(claim, plan)
    _history(claim, plan, worker=worker, finance=finance, sent=sent, paid=paid_on)
    return claim


def _policy_ensure() -> None:
    """HMRC's mileage rates, as catalogue's migration 0004 seeds them, if there is no policy
    (a browser test's database is emptied between tests, seeded rows and all)."""
    if PaymentPolicy.objects.exists():
        return
    PaymentPolicy.objects.create(
        effective_from=date(2011, 4, 6),
        car_rate=Decimal("0.45"),
        car_rate_after_step=Decimal("0.25"),
        car_step_miles=10000,
        motorcycle_rate=Decimal("0.24"),
        bicycle_rate=Decimal("0.20"),
        passenger_rate=Decimal("0.05"),
        meal_limit=Decimal("10.00"),
        monthly_paid_hours_cap=30,
    )


def payments_demo_seed(*, worker: User, finance: User, people: dict[str, User]) -> list[Claim]:
    """Every scripted claim, brought back to its script; then each demo batch's totals."""
    _policy_ensure()
    for email, reference in PAYROLL.items():
        if email in people:
            PaymentDetails.objects.update_or_create(
                person=people[email], defaults={"payroll_reference": reference}
            )
    if "amira@example.org" in people:
        PaymentDetails.objects.update_or_create(
            person=people["amira@example.org"],
            defaults={"earnings_limit": AMIRA_LIMIT, "limit_period": LimitPeriod.WEEK},
        )
    batches = _batches(finance)
    claims = []
    for plan in CLAIMS:
        signup = (
            SignUp.objects.filter(
                opportunity__title=plan.opportunity,
                opportunity__lead_worker=worker,
                opportunity__status=Opportunity.Status.COMPLETED,
                person__email=plan.email,
                state=SignUp.State.ATTENDED,
            )
            .select_related("opportunity", "person")
            .first()
        )
        if signup is not None:
            claims.append(_claim(plan, signup, worker=worker, finance=finance, batches=batches))
    for batch in batches.values():
        in_batch = list(batch.claims.all())
        expenses = sum(
            (line.amount for line in ExpenseLine.objects.filter(claim__batch=batch)), Decimal("0.00")
        )
        batch.claim_count = len(in_batch)
        batch.total = sum((claim.fee_payable for claim in in_batch), Decimal("0.00")) + expenses
        batch.save(update_fields=["claim_count", "total"])
    return claims
