"""The script `seed_demo` plays for its demo opportunities: what each one says, when its
sessions are, and who signed up in which state. demo/opportunities.py writes it.

Dates are counted in days from today, so the demo moves with the calendar.
"""

from dataclasses import dataclass
from datetime import time

from catalogue.models import InvolvementLevel
from opportunities.models import Format, Opportunity, SelectionMethod, SignUp

State = SignUp.State
Status = Opportunity.Status

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
# What is paid besides the fee: the fee itself comes from the rate card (issue 12).
PAID_HOURLY = "Travel expenses repaid at cost."
PAID_SESSION = "Travel expenses repaid at cost, and lunch provided."
VOUCHER_ONLY = (
    "Travel expenses repaid at cost. You can take the fee as a voucher, but vouchers still count as "
    "earnings if you claim benefits."
)
# The rate cards catalogue's migration 0004 seeds as examples.
STANDARD = "Standard"
ENHANCED = "Enhanced: chairing or training"
SHORT = "Short activity"


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
    # The rate card the fee comes from; "" for an unpaid activity.
    rate_card: str = STANDARD
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
        rate_card=ENHANCED,
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
        rate_card=ENHANCED,
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
        rate_card=SHORT,
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
        rate_card="",
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
        rate_card=ENHANCED,
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
        rate_card=ENHANCED,
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
        rate_card="",
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
    # Finished three weeks ago: its claims show every step from sent to paid (demo/payments.py).
    DemoOpportunity(
        title="Co-production group: rewriting the leaving-hospital leaflet",
        rate_card=STANDARD,
        summary="Rewrite the leaflet people are given when they leave hospital, so it says what "
        "happens next in plain words.",
        description="People told us the leaflet they get when they leave hospital is hard to follow "
        "and misses what they most want to know: who will call, when, and what to do if nobody "
        "does.\n\nIn one afternoon we go through it line by line with a ward manager and a "
        "community nurse, then agree a new version together.",
        activity_type="Co-production group",
        team="Inpatient services",
        level=InvolvementLevel.CO_PRODUCING,
        format=Format.IN_PERSON,
        places=6,
        status=Status.COMPLETED,
        sessions=(SessionPlan(-21, time(13), 2.5),),
        deadline_days_before=7,
        signups=(
            ("rep@example.org", State.ATTENDED),
            ("hassan@example.org", State.ATTENDED),
            ("chloe@example.org", State.ATTENDED),
            ("isla@example.org", State.ATTENDED),
            ("lena@example.org", State.ATTENDED),
            ("ben@example.org", State.ATTENDED),
        ),
        payment=PAID_HOURLY,
    ),
]
