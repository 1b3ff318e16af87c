"""The benchmark data set behind `seed_demo --scale large`: opportunities, sessions and sign-ups
in their tens and hundreds of thousands, written with large `bulk_create` batches.

Titles and descriptions are put together from a plain-English vocabulary of the Trust's
work, so full-text searches such as "interview", "training" or "crisis" match thousands of
rows, as they would in real life. Everything comes from one seeded random generator: the
same options give the same data. The vocabulary is in demo/scale_words.py.

Sign-up states are decided here in Python, so the counters are known before a row is written:
places taken and waiting-list length are stored right, waiting-list positions run 1, 2, 3...
on each opportunity, and nobody holds a place beyond the opportunity's places.

It is written a slice of opportunities at a time, each slice (its opportunities, their sessions
and sign-ups) in a transaction of its own. Every sign-up that holds a place takes a
transaction-level advisory lock on its opportunity (ADR 5) and keeps it until commit, and the
server's lock table, shared by every connection, is sized for max_locks_per_transaction x
max_connections locks (6,400 by default) with a little to spare: 50,000 opportunities in one
transaction run out of shared memory. A slice holds at most OPPORTUNITIES_PER_TRANSACTION of them.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from catalogue.models import ActivityType, InvolvementLevel, Team
from demo.scale_words import (
    ACCESSIBILITY,
    AUDIENCES,
    BRIEFINGS,
    BY_TYPE,
    CANCEL_REASONS,
    CONSULTATIONS,
    GENERAL,
    KINDS,
    NOTES,
    PAYMENTS,
    ROLES,
    SITES,
    START_TIMES,
    STUDIES,
    SUBJECTS,
    TRAINING_TOPICS,
    UNPAID,
    WARDS,
)
from opportunities.models import (
    Format,
    Opportunity,
    SelectionMethod,
    Session,
    SignUp,
)
from opportunities.services import HOLDS_PLACE

SCALE_PREFIX = "[scale] "
LONDON = ZoneInfo("Europe/London")
BATCH = 5000
# Opportunities written per transaction: each holds an advisory lock per opportunity with places
# held, so this bounds the locks one slice needs, well inside the shared lock table even while
# other connections use it too. Larger slices save nothing worth having: a commit is cheap.
OPPORTUNITIES_PER_TRANSACTION = 500
State = SignUp.State
Status = Opportunity.Status


@dataclass
class ScaleCounts:
    opportunities: int = 0
    sessions: int = 0
    signups: int = 0


def _title(rng: random.Random, kind: str, site: str) -> str:
    pick = rng.choice
    titles = {
        "Interview panel": lambda: (
            f"Interview panel: {pick(ROLES)}, {pick(WARDS)} Ward"
            if rng.random() < 0.5
            else f"Interview panel: {pick(ROLES)} for the {pick(SITES)[0].lower()} community team"
        ),
        "Staff training": lambda: f"Staff training: {pick(TRAINING_TOPICS)} for {pick(AUDIENCES)}",
        "Co-production group": lambda: f"Co-production group: redesigning {pick(SUBJECTS)}",
        "Research advisory group": lambda: f"Research advisory group: {pick(STUDIES)}",
        "Quality visit": lambda: f"Quality visit: {pick(WARDS)} Ward, {site.split(',')[0]}",
        "Consultation event": lambda: f"Consultation event: {pick(CONSULTATIONS)}",
        "Information session": lambda: f"Information session: {pick(BRIEFINGS)}",
    }
    return (SCALE_PREFIX + titles[kind]())[:150]


def _summary(kind: str, title: str) -> str:
    subject = title.removeprefix(SCALE_PREFIX).split(": ", 1)[1]
    summaries = {
        "Interview panel": f"Sit on the interview panel that chooses a new {subject}.",
        "Staff training": f"Share your experience in staff training on {subject}.",
        "Co-production group": f"Work with staff as equals on {subject}, from the first idea to the change.",
        "Research advisory group": f"Advise the research team on a study of {subject}.",
        "Quality visit": f"Visit {subject} and tell us what it is like for the people there.",
        "Consultation event": f"Give your views on {subject} before any decision is made.",
        "Information session": f"Hear about {subject} and ask the team your questions.",
    }
    return summaries[kind][:300]


def _description(rng: random.Random, kind: str, summary: str) -> str:
    return "\n\n".join([summary, " ".join(rng.sample(BY_TYPE[kind], 2)), " ".join(rng.sample(GENERAL, 3))])


def _session_counts(rng: random.Random, opportunities: int) -> list[int]:
    """One to three sessions each, exactly two on average: pairs that add up to four."""
    counts: list[int] = []
    for _ in range(opportunities // 2):
        counts.extend(rng.choice([(1, 3), (2, 2), (3, 1), (2, 2)]))
    if opportunities % 2:
        counts.append(2)
    return counts


def _allocate(rng: random.Random, weights: list[float], total: int, cap: int) -> list[int]:
    """Split `total` sign-ups in proportion to the weights, nobody over `cap` (one sign-up per
    person), handing what is left over to whoever still has room."""
    if total == 0:
        return [0] * len(weights)
    if total > cap * sum(1 for weight in weights if weight > 0):
        raise ValueError(f"{total} sign-ups cannot fit: there are not enough people or opportunities.")
    scale = total / sum(weights)
    counts = [min(int(weight * scale), cap) for weight in weights]
    open_ones = [index for index, weight in enumerate(weights) if weight > 0]
    while (short := total - sum(counts)) > 0:
        open_ones = [index for index in open_ones if counts[index] < cap]
        for index in rng.sample(open_ones, min(short, len(open_ones))):
            counts[index] += 1
    return counts


def _at(day: date, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=LONDON)


def scale_seed(
    *,
    opportunities: int,
    signups: int,
    people: list[int],
    lead_workers: list[int],
    types: dict[str, ActivityType],
    teams: dict[str, Team],
    seed: int = 2026,
) -> ScaleCounts:
    """Write the data set, after checking it is not there already. Call it outside a transaction:
    it commits each slice of opportunities on its own (see the module's docstring). If it stops
    part way, the opportunities written so far are whole, each with its sessions and sign-ups,
    and there are fewer of them than asked for, so the next run replaces them."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    kinds = list(KINDS)
    kind_weights = [KINDS[name].weight for name in kinds]
    team_list = list(teams.values())
    levels = list(InvolvementLevel.values)

    rows: list[Opportunity] = []
    plans: list[list[tuple[datetime, datetime, str, str, str]]] = []
    for index, sessions in enumerate(_session_counts(rng, opportunities)):
        kind_name = rng.choices(kinds, kind_weights)[0]
        kind = KINDS[kind_name]
        fmt = rng.choices([Format.IN_PERSON, Format.ONLINE, Format.HYBRID], [5, 3, 2])[0]
        past = rng.random() < 0.5
        gap = 1 if kind_name == "Staff training" else 7
        span = gap * (sessions - 1)
        first_day = -rng.randint(2 + span, 365) if past else rng.randint(2, 365 - span)
        start = rng.choice(START_TIMES)
        hours = rng.choice([1, 1.5, 2, 3])
        area, address = rng.choice(SITES)
        plan = []
        for number in range(sessions):
            starts = _at(today + timedelta(days=first_day + gap * number), start)
            plan.append(
                (
                    starts,
                    starts + timedelta(hours=hours),
                    "Online" if fmt == Format.ONLINE else area,
                    "" if fmt == Format.ONLINE else address,
                    "" if fmt == Format.IN_PERSON else f"https://meet.example.org/scale/{index}/{number}",
                )
            )
        plans.append(plan)
        first = plan[0][0]
        fair = rng.random() < kind.fair_share
        if past:
            status = Status.CANCELLED if rng.random() < 0.05 else Status.COMPLETED
        else:
            status = rng.choices(
                [Status.PUBLISHED, Status.DRAFT, Status.CLOSED, Status.CANCELLED], [88, 4, 3, 5]
            )[0]
        if status == Status.CLOSED:
            deadline = min(now - timedelta(hours=12), first - timedelta(hours=2))
        elif past:
            deadline = first - timedelta(days=10 if fair else 3)
        else:
            # Still open: the deadline is ahead, and before the first session.
            deadline = max(first - timedelta(days=10 if fair else 3), min(now + timedelta(hours=12), first))
            deadline = min(deadline, first - timedelta(hours=1))
        created = min(deadline, now) - timedelta(days=rng.randint(14, 60))
        paid = rng.random() < 0.85
        title = _title(rng, kind_name, address)
        summary = _summary(kind_name, title)
        rows.append(
            Opportunity(
                title=title,
                summary=summary,
                description=_description(rng, kind_name, summary),
                activity_type=types[kind_name],
                involvement_level=types[kind_name].default_involvement_level
                if rng.random() < 0.7
                else rng.choice(levels),
                team=teams[kind.usual_team]
                if kind.usual_team and rng.random() < 0.6
                else rng.choice(team_list),
                format=fmt,
                accessibility=ACCESSIBILITY[fmt],
                is_paid=paid,
                payment=rng.choice(PAYMENTS) if paid else UNPAID,
                places=rng.randint(*kind.places),
                selection_method=SelectionMethod.FAIR_SHARE if fair else SelectionMethod.FIRST_COME,
                signup_deadline=deadline,
                lead_worker_id=lead_workers[index % len(lead_workers)],
                created_by_id=lead_workers[index % len(lead_workers)],
                status=status,
                cancel_reason=rng.choice(CANCEL_REASONS) if status == Status.CANCELLED else "",
                starts_at=first,
                ends_at=plan[-1][1],
                created_at=created,
                published_at=None if status == Status.DRAFT else created + timedelta(days=1),
                selection_done_at=deadline
                if fair and deadline < now and status != Status.CANCELLED
                else None,
            )
        )

    # Upcoming activities draw up to twice as many people as places, so some are full with a
    # waiting list and others still have room; finished ones mostly filled about their places
    # (nobody is left waiting once an activity is over); drafts have nobody yet.
    weights = [
        0.0
        if row.status == Status.DRAFT
        else row.places * (rng.uniform(0.3, 0.9) if row.starts_at < now else rng.uniform(0.3, 1.9))
        for row in rows
    ]
    per_opportunity = _allocate(rng, weights, signups, len(people))
    signup_rows: list[SignUp] = []
    for row, count in zip(rows, per_opportunity, strict=True):
        signup_rows.extend(_signups_for(rng, row, rng.sample(people, count), now))

    # Everything random is decided above, so the slices change nothing in the data.
    counts = ScaleCounts()
    first_signup = 0
    for offset in range(0, len(rows), OPPORTUNITIES_PER_TRANSACTION):
        slice_rows = rows[offset : offset + OPPORTUNITIES_PER_TRANSACTION]
        slice_plans = plans[offset : offset + OPPORTUNITIES_PER_TRANSACTION]
        # The sign-ups were made opportunity by opportunity, so this slice's are the next run.
        last_signup = first_signup + sum(per_opportunity[offset : offset + OPPORTUNITIES_PER_TRANSACTION])
        with transaction.atomic():
            Opportunity.objects.bulk_create(slice_rows)
            session_rows = Session.objects.bulk_create(
                [
                    Session(opportunity=row, starts_at=s, ends_at=e, area=a, location=loc, joining_link=link)
                    for row, plan in zip(slice_rows, slice_plans, strict=True)
                    for s, e, a, loc, link in plan
                ],
                batch_size=BATCH,
            )
            SignUp.objects.bulk_create(signup_rows[first_signup:last_signup], batch_size=BATCH)
        counts.opportunities += len(slice_rows)
        counts.sessions += len(session_rows)
        counts.signups += last_signup - first_signup
        first_signup = last_signup
    return counts


def _signups_for(
    rng: random.Random, opportunity: Opportunity, people: list[int], now: datetime
) -> list[SignUp]:
    """Sign-ups in the order people came, each in a state the opportunity's story allows;
    sets the opportunity's counters from them."""
    status, places = opportunity.status, opportunity.places
    selected = opportunity.selection_done_at is not None
    fair_open = opportunity.selection_method == SelectionMethod.FAIR_SHARE and not selected
    opened = opportunity.published_at or opportunity.created_at
    closes = min(opportunity.signup_deadline, now)
    step = (closes - opened) / (len(people) + 1)
    held = waiting = 0
    result = []
    for order, person in enumerate(people, start=1):
        fields: dict = {}
        if status == Status.CANCELLED:
            state = State.CANCELLED
        elif rng.random() < 0.04:
            state = State.WITHDRAWN
        elif fair_open:
            state = State.APPLIED
        elif held < places:
            held += 1
            fields["place_number"] = held
            if status == Status.COMPLETED:
                state = State.ATTENDED if rng.random() < 0.9 else State.NO_SHOW
            elif rng.random() < (0.3 if selected else 0.01):
                # Selected and not yet accepted, or a place that came free from the list.
                state = State.OFFERED
            else:
                state = State.CONFIRMED
        elif status == Status.COMPLETED:
            state = State.NOT_SELECTED
        else:
            waiting += 1
            state, fields = State.WAITLISTED, {"waitlist_position": waiting}
        if state == State.OFFERED:
            fields["offer_expires_at"] = now + timedelta(hours=rng.randint(2, 47))
        if selected and state != State.WITHDRAWN:
            fields["selection_rank"] = order
        result.append(
            SignUp(
                opportunity=opportunity,
                person_id=person,
                state=state,
                note=rng.choice(NOTES) if rng.random() < 0.05 else "",
                created_at=opened + step * order,
                **fields,
            )
        )
    opportunity.places_taken = sum(1 for signup in result if signup.state in HOLDS_PLACE)
    opportunity.waitlist_length = waiting
    return result
