"""The demo opportunities that `seed_demo` creates: one script, a state of every kind.

Each opportunity is found by its title and brought back to its script on every run: its
dates move with today, sign-ups that are not in the script are removed and the others are
put back in their scripted state. So the demo can be played with and then reset, and running
the command twice changes nothing.

Rows are written directly rather than through the services: the past cannot be replayed
through rules that refuse past dates, and a demo reset should not send anybody a message.
The counters the services keep (places taken, waiting-list length, first and last session)
are recounted here the same way. The script itself is in demo/opportunity_script.py.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from accounts.models import User
from catalogue.models import ActivityType, RateCard, Team
from catalogue.selectors import rate_in_force
from demo.opportunity_script import (
    ACCESSIBLE_BUILDING,
    ACCESSIBLE_HYBRID,
    ACCESSIBLE_ONLINE,
    DEMO_OPPORTUNITIES,
    ENHANCED,
    SHORT,
    STANDARD,
    DemoOpportunity,
)
from opportunities.models import (
    Attendance,
    Format,
    Opportunity,
    SelectionMethod,
    Session,
    SignUp,
    SignUpEvent,
)
from opportunities.services import HOLDS_PLACE

LONDON = ZoneInfo("Europe/London")
State = SignUp.State
Status = Opportunity.Status

# How a sign-up in each state got there, so that its history reads like the real thing.
PATHS: dict[str, list[tuple[str, str]]] = {
    State.APPLIED: [(State.APPLIED, "")],
    State.CONFIRMED: [(State.CONFIRMED, "")],
    State.WAITLISTED: [(State.WAITLISTED, "")],
    State.OFFERED: [(State.WAITLISTED, ""), (State.OFFERED, "A place came free.")],
    State.ATTENDED: [(State.CONFIRMED, ""), (State.ATTENDED, "Attendance recorded.")],
    State.NO_SHOW: [(State.CONFIRMED, ""), (State.NO_SHOW, "Attendance recorded.")],
    State.WITHDRAWN: [(State.CONFIRMED, ""), (State.WITHDRAWN, "")],
    State.NOT_SELECTED: [
        (State.APPLIED, ""),
        (State.NOT_SELECTED, "The places went to people involved less."),
    ],
    State.CANCELLED: [(State.CONFIRMED, ""), (State.CANCELLED, "The activity was cancelled.")],
}
# Hours an offered place is held in the demo: well inside the usual 48, so it shows as urgent.
OFFER_HOURS = 40


def _at(today: date, day: int, start: time) -> datetime:
    """A wall-clock time in London, whatever the server's zone and the clocks' change."""
    return datetime.combine(today + timedelta(days=day), start, tzinfo=LONDON)


def _accessibility(plan: DemoOpportunity) -> str:
    if plan.accessibility:
        return plan.accessibility
    return {Format.ONLINE: ACCESSIBLE_ONLINE, Format.HYBRID: ACCESSIBLE_HYBRID}.get(
        plan.format, ACCESSIBLE_BUILDING
    )


def _save_opportunity(
    plan: DemoOpportunity,
    *,
    lead_worker: User,
    types: dict[str, ActivityType],
    teams: dict[str, Team],
    cards: dict[str, RateCard],
) -> Opportunity:
    now = timezone.now()
    today = timezone.localdate()
    first = _at(today, plan.sessions[0].day, plan.sessions[0].start)
    deadline = first - timedelta(days=plan.deadline_days_before)
    # Posted a fortnight before the deadline (or today), at a time that stays put all day, so
    # a second run on the same day writes the same values.
    created = _at(today, min(plan.sessions[0].day - plan.deadline_days_before, 0) - 14, time(9))
    fields = {
        "summary": plan.summary,
        "description": plan.description,
        "activity_type": types[plan.activity_type],
        "involvement_level": plan.level,
        "team": teams[plan.team],
        "format": plan.format,
        "accessibility": _accessibility(plan),
        "is_paid": bool(plan.rate_card),
        "payment": plan.payment,
        "rate_card": cards.get(plan.rate_card),
        "places": plan.places,
        "selection_method": plan.selection_method,
        "signup_deadline": deadline,
        "status": plan.status,
        "cancel_reason": plan.cancel_reason,
        "published_at": None if plan.status == Status.DRAFT else created + timedelta(days=1),
        "selection_done_at": deadline
        if plan.selection_method == SelectionMethod.FAIR_SHARE and deadline < now
        else None,
        "created_by": lead_worker,
    }
    opportunity = Opportunity.objects.filter(title=plan.title, lead_worker=lead_worker).order_by("pk").first()
    if opportunity is None:
        opportunity = Opportunity(title=plan.title, lead_worker=lead_worker, created_at=created)
    for name, value in fields.items():
        setattr(opportunity, name, value)
    _promise_fee(opportunity)
    if opportunity.pk:
        # The database refuses fewer places than a place number held: keep enough until the
        # sign-ups are back to their script (demo_opportunities_seed then sets the places).
        held = opportunity.signups.aggregate(top=Max("place_number"))["top"] or 0
        opportunity.places = max(plan.places, held)
    opportunity.save()

    # Sessions are updated in place, not replaced, so attendance already recorded stays.
    existing = list(opportunity.sessions.order_by("starts_at", "pk"))
    for index, session_plan in enumerate(plan.sessions):
        session = existing[index] if index < len(existing) else Session(opportunity=opportunity)
        session.starts_at = _at(today, session_plan.day, session_plan.start)
        session.ends_at = session.starts_at + timedelta(hours=session_plan.hours)
        session.area = plan.area
        session.location = "" if plan.format == Format.ONLINE else plan.location
        session.joining_link = (
            "" if plan.format == Format.IN_PERSON else f"https://meet.example.org/involvement/{index + 1}"
        )
        session.save()
    for extra in existing[len(plan.sessions) :]:
        extra.delete()
    return opportunity


# The example cards of catalogue's migration 0004, made again here if an administrator has
# removed them, so the demo always has its three rates: (unit, amount, hours in a block).
DEMO_CARDS = {
    STANDARD: ("Most involvement: meetings, groups, reading and commenting.", "hour", "11.50", None),
    ENHANCED: (
        "Chairing a meeting, co-delivering training, or sitting on an interview panel.",
        "hour",
        "15.00",
        None,
    ),
    SHORT: ("A short piece of work, paid per block of up to 3 hours.", "block", "20.00", "3"),
}
RATES_FROM = date(2025, 4, 1)


def rate_cards_ensure() -> dict[str, RateCard]:
    cards = {}
    for name, (description, unit, amount, block_hours) in DEMO_CARDS.items():
        card, _ = RateCard.objects.get_or_create(name=name, defaults={"description": description})
        if not card.rates.exists():
            card.rates.create(
                effective_from=RATES_FROM,
                unit=unit,
                amount=Decimal(amount),
                block_hours=Decimal(block_hours) if block_hours else None,
            )
        cards[name] = card
    return cards


def _promise_fee(opportunity: Opportunity) -> None:
    """What publishing copies (opportunities.services._promise_fee): the rate in force on the
    day it was published. Drafts and unpaid activities promise nothing."""
    rate = None
    if opportunity.rate_card and opportunity.published_at:
        rate = rate_in_force(card=opportunity.rate_card, day=timezone.localdate(opportunity.published_at))
    opportunity.fee_rate_name = opportunity.rate_card.name if rate and opportunity.rate_card else ""
    opportunity.fee_unit = rate.unit if rate else ""
    opportunity.fee_amount = rate.amount if rate else None
    opportunity.fee_block_hours = rate.block_hours if rate else None
    opportunity.fee_preparation_hours = rate.preparation_hours if rate else None
    opportunity.fee_rate_from = rate.effective_from if rate else None


def _save_signups(
    opportunity: Opportunity, plan: DemoOpportunity, *, people: dict[str, User], lead_worker: User
) -> None:
    scripted = [people[email].pk for email, _ in plan.signups]
    opportunity.signups.exclude(person_id__in=scripted).delete()
    # Clear positions first: moving people round the list one row at a time would trip the
    # unique waiting-list position on the way.
    opportunity.signups.update(waitlist_position=None)
    existing = {signup.person_id: signup for signup in opportunity.signups.all()}
    signed_up_at = opportunity.published_at or opportunity.created_at
    position = 0
    sessions = list(opportunity.sessions.all())
    # Places given up first, so each person holding one in the script finds a free number
    # within the scripted places (the script never holds more than its places).
    scripted_order = sorted(enumerate(plan.signups), key=lambda item: item[1][1] in HOLDS_PLACE)
    for index, (email, state) in scripted_order:
        person = people[email]
        signup = existing.get(person.pk)
        created = signup is None
        if created:
            signup = SignUp(
                opportunity=opportunity,
                person=person,
                created_at=signed_up_at + timedelta(hours=3 * index + 1),
            )
        previous = signup.state
        signup.state = state
        if state == State.WAITLISTED:
            position += 1
            signup.waitlist_position = position
        signup.offer_expires_at = (
            timezone.now() + timedelta(hours=OFFER_HOURS) if state == State.OFFERED else None
        )
        if state not in HOLDS_PLACE:
            signup.place_number = None
        elif signup.place_number is None or signup.place_number > plan.places:
            signup.place_number = _free_place_number(opportunity, places=plan.places)
        signup.save()
        if created:
            _write_history(signup, lead_worker=lead_worker, reason=plan.cancel_reason)
        elif previous != state:
            SignUpEvent.objects.create(
                signup=signup,
                from_state=previous,
                to_state=state,
                actor=lead_worker,
                reason="Demo data reset.",
            )
        if state in {State.ATTENDED, State.NO_SHOW}:
            for session in sessions:
                Attendance.objects.update_or_create(
                    signup=signup,
                    session=session,
                    defaults={"attended": state == State.ATTENDED, "recorded_by": lead_worker},
                )


def _free_place_number(opportunity: Opportunity, *, places: int) -> int:
    held = set(opportunity.signups.exclude(place_number=None).values_list("place_number", flat=True))
    return min(set(range(1, places + 1)) - held)


def _write_history(signup: SignUp, *, lead_worker: User, reason: str) -> None:
    from_state = ""
    for step, (to_state, why) in enumerate(PATHS[signup.state]):
        # The person makes their own first move; later ones are the worker's or the system's.
        actor = signup.person if step == 0 or to_state == State.WITHDRAWN else lead_worker
        if to_state == State.OFFERED:
            actor = None
        SignUpEvent.objects.create(
            signup=signup,
            from_state=from_state,
            to_state=to_state,
            actor=actor,
            reason=(reason if to_state == State.CANCELLED and reason else why)[:300],
            created_at=signup.created_at + timedelta(days=step),
        )
        from_state = to_state


def opportunity_counters_recount(opportunity: Opportunity) -> None:
    """The same counts the services keep under their lock: places held and people waiting,
    and the first and last session that browse sorts on."""
    counts = opportunity.signups.aggregate(
        taken=Count("pk", filter=Q(state__in=HOLDS_PLACE)),
        waiting=Count("pk", filter=Q(state=State.WAITLISTED)),
    )
    span = opportunity.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    opportunity.places_taken, opportunity.waitlist_length = counts["taken"], counts["waiting"]
    opportunity.starts_at, opportunity.ends_at = span["first"], span["last"]
    opportunity.save(update_fields=["places_taken", "waitlist_length", "starts_at", "ends_at", "updated_at"])


def demo_opportunities_seed(
    *,
    lead_worker: User,
    people: dict[str, User],
    types: dict[str, ActivityType],
    teams: dict[str, Team],
) -> list[Opportunity]:
    """Create the demo opportunities, or bring them back to their script. Call it inside a
    transaction: a half-reset demo would be worse than none."""
    opportunities = []
    cards = rate_cards_ensure()
    for plan in DEMO_OPPORTUNITIES:
        opportunity = _save_opportunity(plan, lead_worker=lead_worker, types=types, teams=teams, cards=cards)
        _save_signups(opportunity, plan, people=people, lead_worker=lead_worker)
        if opportunity.places != plan.places:
            opportunity.places = plan.places
            opportunity.save(update_fields=["places", "updated_at"])
        # The database refuses an over-booked script here (opportunity_never_overbooked).
        opportunity_counters_recount(opportunity)
        opportunities.append(opportunity)
    return opportunities
