"""The demo opportunities that `seed_demo` creates: one script, a state of every kind.

Each opportunity is found by its title and brought back to its script on every run: its
dates move with today, sign-ups that are not in the script are removed and the others are
put back in their scripted state. So the demo can be played with and then reset, and running
the command twice changes nothing.

Rows are written directly rather than through the services: the past cannot be replayed
through rules that refuse past dates, and a demo reset should not send anybody a message.
The counters the services keep (places taken, waiting-list length, first and last session)
are recounted here the same way.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from accounts.models import User
from catalogue.models import ActivityType, InvolvementLevel, Team
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

ACCESSIBLE_BUILDING = (
    "The room is on the ground floor with step-free access, a hearing loop and an accessible "
    "toilet nearby. There is a quiet room you can use at any time, and a break every hour. "
    "Tell us what else would help and we will arrange it."
)
ACCESSIBLE_ONLINE = (
    "We meet on Microsoft Teams with live captions switched on. You can keep your camera off "
    "and type in the chat instead of speaking. We can lend you a tablet and data if you need them, "
    "and we send the papers a week before in large print or easy read if you ask."
)
ACCESSIBLE_HYBRID = (
    "Join us in person (step-free access, hearing loop, quiet room) or online with live captions. "
    "There is a break every hour. Papers are sent a week before, in large print or easy read if you ask."
)
PAID_HOURLY = "£25 an hour, including an hour of preparation, plus travel expenses."
PAID_SESSION = "£75 for each session, including preparation, plus travel expenses and lunch."
VOUCHER_ONLY = "A £20 voucher for each meeting. Vouchers still count as earnings if you claim benefits."


@dataclass(frozen=True)
class SessionPlan:
    day: int  # days from today; negative in the past
    start: time
    hours: float


@dataclass(frozen=True)
class DemoOpportunity:
    title: str
    summary: str
    description: str
    activity_type: str
    team: str
    level: str
    format: str
    places: int
    status: str
    sessions: tuple[SessionPlan, ...]
    # The deadline is this many days before the first session starts.
    deadline_days_before: int
    # (e-mail, state) in the order people signed up; waiting-list positions follow that order.
    signups: tuple[tuple[str, str], ...] = ()
    selection_method: str = SelectionMethod.FIRST_COME
    payment: str = PAID_HOURLY
    cancel_reason: str = ""
    area: str = "City centre"
    location: str = "The Orchard Centre, 4 Mill Lane"
    accessibility: str = ""


DEMO_OPPORTUNITIES: list[DemoOpportunity] = [
    DemoOpportunity(
        title="Co-production group: a welcome pack for people arriving on Willow Ward",
        summary="Help write the pack people are given on their first day on the ward, so it answers "
        "the questions they really have.",
        description="Arriving on a ward is frightening, and the pack people get today is long and "
        "hard to read. We want to rewrite it with people who have stayed on a ward.\n\n"
        "Over two meetings we will go through the current pack, decide what people need on day one "
        "and what can wait, and write the new version together. Ward staff will be there to answer "
        "questions about how things work.\n\nYou do not need any writing experience.",
        activity_type="Co-production group",
        team="Inpatient services",
        level=InvolvementLevel.CO_PRODUCING,
        format=Format.IN_PERSON,
        places=8,
        status=Status.DRAFT,
        sessions=(SessionPlan(30, time(10), 2), SessionPlan(37, time(10), 2)),
        deadline_days_before=5,
        area="North",
        location="Willow Ward meeting room, Northfield Hospital",
    ),
    DemoOpportunity(
        title="Staff training: trauma-informed care for ward teams",
        summary="Share what helped and what harmed when you were in hospital, so ward staff learn "
        "to care in a trauma-informed way.",
        description="Many people who use our services have lived through trauma, and a stay in "
        "hospital can make it worse. This training helps ward teams notice that and change how "
        "they work.\n\nYou would join our trainer for two mornings. You choose how much of your "
        "story to share: some people talk for ten minutes, some answer questions, some help run "
        "a group exercise. We will plan it with you beforehand.\n\nThere is a debrief with an "
        "involvement worker after each session.",
        activity_type="Staff training",
        team="Recruitment and workforce",
        level=InvolvementLevel.ENGAGING,
        format=Format.HYBRID,
        places=6,
        status=Status.PUBLISHED,
        sessions=(SessionPlan(9, time(9, 30), 3), SessionPlan(16, time(9, 30), 3)),
        deadline_days_before=3,
        signups=(
            ("rep@example.org", State.CONFIRMED),
            ("amira@example.org", State.CONFIRMED),
            ("ellie@example.org", State.WITHDRAWN),
            ("chloe@example.org", State.CONFIRMED),
        ),
        payment=PAID_SESSION,
        location="Learning Centre, 2 Station Road",
    ),
    DemoOpportunity(
        title="Interview panel: ward manager for Cedar Ward",
        summary="Sit on the panel that chooses the next manager of Cedar Ward, an adult acute ward.",
        description="The ward manager sets the tone for everyone on the ward, so we want people who "
        "have stayed on a ward to help choose them.\n\nThe panel meets for one afternoon. You will "
        "ask two of the questions, score each candidate with the rest of the panel and have an "
        "equal say in the decision. We will meet you for half an hour beforehand to go through "
        "the questions and how scoring works.\n\nEverything candidates say is confidential.",
        activity_type="Interview panel",
        team="Inpatient services",
        level=InvolvementLevel.CONSULTING,
        format=Format.IN_PERSON,
        places=2,
        status=Status.PUBLISHED,
        sessions=(SessionPlan(12, time(13), 4),),
        deadline_days_before=5,
        signups=(
            ("dev@example.org", State.CONFIRMED),
            ("femi@example.org", State.CONFIRMED),
            ("hassan@example.org", State.WAITLISTED),
            ("rep@example.org", State.WAITLISTED),
            ("jo@example.org", State.WAITLISTED),
        ),
        area="South",
        location="Cedar Ward, Southbank Hospital",
    ),
    DemoOpportunity(
        title="Research advisory group: peer support after leaving hospital",
        summary="Advise a research team studying whether peer support workers help people in the "
        "first weeks after leaving hospital.",
        description="The weeks after leaving hospital are when people are most at risk. Our research "
        "team is starting a study of peer support in that time, and wants people with lived "
        "experience to shape it from the start.\n\nThe group meets online three times over three "
        "months. You will help decide which questions to ask, check that the information sheets "
        "make sense, and say how the results should be shared.\n\nPlaces are shared fairly: people "
        "who have not been involved before, or have been involved least this year, are offered "
        "places first.",
        activity_type="Research advisory group",
        team="Research and development",
        level=InvolvementLevel.CO_DESIGNING,
        format=Format.ONLINE,
        places=4,
        status=Status.PUBLISHED,
        selection_method=SelectionMethod.FAIR_SHARE,
        sessions=(
            SessionPlan(24, time(14), 1.5),
            SessionPlan(52, time(14), 1.5),
            SessionPlan(80, time(14), 1.5),
        ),
        deadline_days_before=10,
        signups=(
            ("isla@example.org", State.APPLIED),
            ("rep@example.org", State.APPLIED),
            ("kwame@example.org", State.APPLIED),
            ("lena@example.org", State.APPLIED),
            ("amira@example.org", State.APPLIED),
            ("chloe@example.org", State.APPLIED),
        ),
        payment=VOUCHER_ONLY,
        area="Online",
        location="",
    ),
    DemoOpportunity(
        title="Co-production group: redesigning the crisis line",
        summary="Work with the crisis team to redesign what happens when somebody rings the crisis "
        "line, from the first answer to the follow-up call.",
        description="People have told us the crisis line can feel rushed, and that nobody calls "
        "back. We want to redesign it with people who have used it.\n\nThe group meets three times. "
        "First we map what happens on a call today, then we design the changes, then we test a "
        "new script with the call handlers. Staff and representatives make the decisions "
        "together.\n\nTalking about a crisis can bring things back. An involvement worker is at "
        "every meeting and you can step out at any time.",
        activity_type="Co-production group",
        team="Adult community mental health",
        level=InvolvementLevel.CO_PRODUCING,
        format=Format.HYBRID,
        places=4,
        status=Status.PUBLISHED,
        sessions=(
            SessionPlan(6, time(10), 2.5),
            SessionPlan(13, time(10), 2.5),
            SessionPlan(20, time(10), 2.5),
        ),
        deadline_days_before=2,
        signups=(
            ("amira@example.org", State.CONFIRMED),
            ("dev@example.org", State.CONFIRMED),
            ("jo@example.org", State.WITHDRAWN),
            ("lena@example.org", State.CONFIRMED),
            ("rep@example.org", State.OFFERED),
            ("kwame@example.org", State.WAITLISTED),
        ),
        payment=PAID_SESSION,
        area="East",
        location="Crisis team base, Eastgate House, 18 Canal Street",
    ),
    DemoOpportunity(
        title="Information session: changes to CAMHS referrals for families",
        summary="Hear how families will be able to refer a young person to CAMHS themselves, and "
        "ask the team your questions.",
        description="From next spring, parents and carers will be able to refer a young person to "
        "children and young people's mental health services (CAMHS) without going through their "
        "GP first.\n\nThe team will explain how it will work and what happens after a referral, "
        "then answer questions. Your questions will go into the leaflet for families.",
        activity_type="Information session",
        team="Children and young people's services",
        level=InvolvementLevel.INFORMING,
        format=Format.ONLINE,
        places=30,
        status=Status.PUBLISHED,
        sessions=(SessionPlan(8, time(12, 30), 1),),
        deadline_days_before=1,
        signups=(
            ("hassan@example.org", State.CONFIRMED),
            ("isla@example.org", State.CONFIRMED),
            ("femi@example.org", State.CONFIRMED),
        ),
        payment="",
        area="Online",
        location="",
    ),
    DemoOpportunity(
        title="Quality visit: Rowan Ward, older adults",
        summary="Visit Rowan Ward with a senior nurse and tell us what it is like for the people "
        "staying there and their visitors.",
        description="Quality visits look at a ward through the eyes of the people who use it. You "
        "will walk round with a senior nurse, talk to patients and visitors who want to talk, and "
        "look at things like food, noise, privacy and activities.\n\nAfterwards we write up what "
        "you noticed together, and the ward manager replies with what they will change.",
        activity_type="Quality visit",
        team="Older people's mental health",
        level=InvolvementLevel.CONSULTING,
        format=Format.IN_PERSON,
        places=2,
        status=Status.CLOSED,
        sessions=(SessionPlan(3, time(10), 3),),
        deadline_days_before=5,
        signups=(("chloe@example.org", State.CONFIRMED), ("hassan@example.org", State.CONFIRMED)),
        area="West",
        location="Rowan Ward, Westwood Hospital",
    ),
    DemoOpportunity(
        title="Staff training: what helps in a crisis, for student nurses",
        summary="Tell student nurses what helped, and what did not, when you were in crisis.",
        description="Student mental health nurses meet people in crisis in their first placement. "
        "This training gives them a chance to hear from people who have been there.\n\nThere are "
        "two mornings. You can share your own experience, or help with role-plays of a first "
        "conversation. An involvement worker goes through it with you beforehand and checks in "
        "afterwards.",
        activity_type="Staff training",
        team="Recruitment and workforce",
        level=InvolvementLevel.ENGAGING,
        format=Format.IN_PERSON,
        places=4,
        status=Status.COMPLETED,
        sessions=(SessionPlan(-24, time(9, 30), 3), SessionPlan(-17, time(9, 30), 3)),
        deadline_days_before=4,
        signups=(
            ("rep@example.org", State.ATTENDED),
            ("amira@example.org", State.ATTENDED),
            ("dev@example.org", State.NO_SHOW),
            ("femi@example.org", State.ATTENDED),
        ),
        payment=PAID_SESSION,
        location="Learning Centre, 2 Station Road",
    ),
    DemoOpportunity(
        title="Interview panel: consultant psychiatrist for the memory service",
        summary="Help choose a new consultant psychiatrist for the memory service.",
        description="The memory service assesses and supports people with dementia and their "
        "families. We want the panel to include people who know the service from the inside.\n\n"
        "The panel meets for one day. You will meet the candidates, ask your questions and help "
        "decide. Lunch is provided.",
        activity_type="Interview panel",
        team="Older people's mental health",
        level=InvolvementLevel.CONSULTING,
        format=Format.IN_PERSON,
        places=2,
        status=Status.COMPLETED,
        selection_method=SelectionMethod.FAIR_SHARE,
        sessions=(SessionPlan(-45, time(10), 5),),
        deadline_days_before=10,
        signups=(
            ("grace@example.org", State.ATTENDED),
            ("kwame@example.org", State.NOT_SELECTED),
            ("jo@example.org", State.ATTENDED),
        ),
        area="West",
        location="Memory Service, Westwood Hospital",
    ),
    DemoOpportunity(
        title="Consultation event: moving the memory clinic to Hillside",
        summary="Give your views on moving the memory clinic from the town centre to the Hillside "
        "health centre.",
        description="We are thinking about moving the memory clinic to the Hillside health centre, "
        "which has more parking but fewer buses. Before we decide, we want to hear from people "
        "who use the clinic and the people who come with them.\n\nThe event has a short talk, "
        "then small groups with a facilitator. You can also send written comments.",
        activity_type="Consultation event",
        team="Older people's mental health",
        level=InvolvementLevel.CONSULTING,
        format=Format.IN_PERSON,
        places=20,
        status=Status.CANCELLED,
        sessions=(SessionPlan(18, time(14), 2),),
        deadline_days_before=3,
        signups=(("lena@example.org", State.CANCELLED), ("isla@example.org", State.CANCELLED)),
        cancel_reason="The move has been put back to next year, so there is nothing to consult on yet. "
        "We will advertise a new date when the plans are ready. Sorry for the change.",
        payment="",
        area="Hillside",
        location="Hillside Health Centre, 1 Hill Road",
    ),
]


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
    plan: DemoOpportunity, *, lead_worker: User, types: dict[str, ActivityType], teams: dict[str, Team]
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
        "is_paid": bool(plan.payment),
        "payment": plan.payment,
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
    for plan in DEMO_OPPORTUNITIES:
        opportunity = _save_opportunity(plan, lead_worker=lead_worker, types=types, teams=teams)
        _save_signups(opportunity, plan, people=people, lead_worker=lead_worker)
        if opportunity.places != plan.places:
            opportunity.places = plan.places
            opportunity.save(update_fields=["places", "updated_at"])
        # The database refuses an over-booked script here (opportunity_never_overbooked).
        opportunity_counters_recount(opportunity)
        opportunities.append(opportunity)
    return opportunities
