"""Reads for opportunities and sign-ups, shaped so that pages run a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from accounts.models import User
from accounts.selectors import caseload_for_worker
from catalogue.models import ActivityType, Course, Rate, Team
from opportunities.models import (
    Opportunity,
    OpportunityEvent,
    ParticipantMessage,
    SelectionDraw,
    Session,
    SignUp,
    SignUpEvent,
)

if TYPE_CHECKING:
    from accounts.permissions import Anyone

State = SignUp.State


def with_rate_in_force(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    """Each opportunity with its rate card's rate in force today (`rate_now_*`), read in the
    same query: what a draft, or one published before it had a card, shows as its fee
    (`Opportunity.fee_shown`). Once published, the promised fee is on the row itself."""
    in_force = Rate.objects.filter(
        card=OuterRef("rate_card"), effective_from__lte=timezone.localdate()
    ).order_by("-effective_from")
    return opportunities.annotate(
        **{
            f"rate_now_{name}": Subquery(in_force.values(name)[:1])
            for name in ("unit", "amount", "block_hours", "preparation_hours")
        }
    )


def opportunity_get(*, opportunity_id: int) -> Opportunity | None:
    return (
        with_rate_in_force(
            Opportunity.objects.select_related(
                "activity_type", "team", "lead_worker__profile", "required_course", "trains_for"
            )
        )
        .prefetch_related("sessions")
        .filter(pk=opportunity_id)
        .first()
    )


def opportunity_for_page(*, opportunity_id: int) -> Opportunity | None:
    """The opportunity's own row, without its related rows, and `page_version`: a digest,
    computed by PostgreSQL in the same query, of every row the public part of its page is
    drawn from (the opportunity, its activity type, team, courses, the lead worker's name
    and address, and its sessions). Two reads with the same digest read the same values, so
    a fragment rendered from one serves the other (presenters.public_part): a change to any
    of those rows, however it is made, makes a new digest. One query, and little Python: the
    page's full read (`opportunity_get`, with its joins and the rate subqueries) costs about
    5 ms of CPU just to build and load (docs/benchmarks.md)."""
    tables = {
        "opportunity": Opportunity._meta.db_table,
        "activity_type": ActivityType._meta.db_table,
        "team": Team._meta.db_table,
        "course": Course._meta.db_table,
        "user": User._meta.db_table,
        "session": Session._meta.db_table,
    }
    # Whole rows as text (a row's text form holds every column), so a column added later is
    # covered without a change here; the lead worker's row only by what the page shows. The
    # table names are the models' own, never input: the one parameter is the id.
    sql = """
        SELECT o.*, md5(concat_ws('|',
            o::text, a::text, t::text, coalesce(rc::text, '-'), coalesce(tf::text, '-'),
            concat_ws('/', lw.first_name, lw.last_name, lw.email),
            (SELECT coalesce(string_agg(s::text, '|' ORDER BY s.starts_at, s.id), '-')
             FROM {session} s WHERE s.opportunity_id = o.id)
        )) AS page_version
        FROM {opportunity} o
        JOIN {activity_type} a ON a.id = o.activity_type_id
        JOIN {team} t ON t.id = o.team_id
        JOIN {user} lw ON lw.id = o.lead_worker_id
        LEFT JOIN {course} rc ON rc.id = o.required_course_id
        LEFT JOIN {course} tf ON tf.id = o.trains_for_id
        WHERE o.id = %s
    """.format(**{name: f'"{table}"' for name, table in tables.items()})  # noqa: S608
    return next(iter(Opportunity.objects.raw(sql, [opportunity_id])), None)


def opportunities_for_browse() -> QuerySet[Opportunity]:
    """Published opportunities still ahead, soonest first, with what each card shows (the
    course it needs; not its team or activity type, which a card does not show) and not the
    long texts it does not. The rate in force for the few cards that show one comes from
    `add_rates_in_force`, for the page's cards only."""
    return (
        Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("required_course")
        .defer("description", "accessibility", "cancel_reason", "search_vector")
        .order_by("starts_at", "pk")
    )


RATE_IN_FORCE_FIELDS = ("unit", "amount", "block_hours", "preparation_hours")


def add_rates_in_force(opportunities: Iterable[Opportunity]) -> None:
    """What `with_rate_in_force` annotates, for a page already read: only an opportunity that
    is paid, has a rate card and no fee of its own yet shows its card's rate in force today
    (`Opportunity.fee_shown`), so only those get it, in one query; on most pages, none.
    Four correlated subqueries on the page's query cost more than that, in building the
    query as much as in running it."""
    waiting = [
        opportunity
        for opportunity in opportunities
        if opportunity.is_paid and opportunity.fee_amount is None and opportunity.rate_card_id
    ]
    if not waiting:
        return
    in_force: dict[int | None, Rate] = {
        rate.card_id: rate
        for rate in Rate.objects.filter(
            card_id__in={opportunity.rate_card_id for opportunity in waiting},
            effective_from__lte=timezone.localdate(),
        )
        .order_by("card_id", "-effective_from")
        .distinct("card_id")
    }
    for opportunity in waiting:
        rate = in_force.get(opportunity.rate_card_id)
        for name in RATE_IN_FORCE_FIELDS:
            setattr(opportunity, f"rate_now_{name}", getattr(rate, name) if rate else None)


def signup_for(*, opportunity: Opportunity, person: Anyone) -> SignUp | None:
    if not person.is_authenticated:
        return None
    return SignUp.objects.filter(opportunity=opportunity, person=person).first()


def participant_get(*, opportunity: Opportunity, signup_id: int) -> SignUp | None:
    """One sign-up of this opportunity, with the person it names."""
    return opportunity.signups.select_related("person__profile").filter(pk=signup_id).first()


def selection_draw_get(*, opportunity: Opportunity, draw_id: int) -> SelectionDraw | None:
    return SelectionDraw.objects.filter(pk=draw_id, opportunity=opportunity).first()


def waitlist_place(*, signup: SignUp) -> int | None:
    """Where a waitlisted person stands now: 1 is next."""
    if signup.state != State.WAITLISTED or signup.waitlist_position is None:
        return None
    return (
        SignUp.objects.filter(
            opportunity_id=signup.opportunity_id,
            state=State.WAITLISTED,
            waitlist_position__lt=signup.waitlist_position,
        ).count()
        + 1
    )


def participants(*, opportunity: Opportunity) -> QuerySet[SignUp]:
    return (
        opportunity.signups.select_related("person__profile")
        # Whether each sign-up opens the person's notes to the lead worker: the one rule,
        # computed in the same query so the page asks nothing more per row.
        .annotate(lead_access_open=ExpressionWrapper(lead_access_q(), output_field=BooleanField()))
        .prefetch_related(
            Prefetch("events", queryset=SignUpEvent.objects.select_related("actor__profile")),
            "attendance",
        )
        .order_by("state", "waitlist_position", "selection_rank", "created_at", "pk")
    )


# Who is expected at a session: people holding a place. Someone marked attended (or not) at
# an earlier session still holds theirs for the next ones.
COMING = [State.CONFIRMED, State.ATTENDED, State.NO_SHOW]


def session_get(*, opportunity: Opportunity, session_id: int) -> Session | None:
    """One of the opportunity's sessions, from those `opportunity_get` prefetched."""
    return next((session for session in opportunity.sessions.all() if session.pk == session_id), None)


def register_for_session(*, opportunity: Opportunity) -> QuerySet[SignUp]:
    """The people coming, with their profiles (the access needs they shared) and whether the
    sign-up still opens their details to the lead worker (`lead_access_q`), in one query."""
    return (
        opportunity.signups.filter(state__in=COMING)
        .select_related("person__profile")
        .annotate(lead_access_open=ExpressionWrapper(lead_access_q(), output_field=BooleanField()))
        .order_by("person__profile__display_name", "person__last_name", "pk")
    )


def participant_messages_sent(*, opportunity: Opportunity) -> QuerySet[ParticipantMessage]:
    """The messages the lead worker wrote to the people taking part, newest first, with who
    sent each: one query however many."""
    return opportunity.participant_messages.select_related("sender__profile").order_by("-created_at", "-pk")


def signup_counts(*, opportunity: Opportunity) -> dict[str, int]:
    """How many sign-ups are in each state, in one query; states with none count 0."""
    counts = dict.fromkeys(State.values, 0)
    rows = opportunity.signups.values("state").annotate(count=Count("pk")).values_list("state", "count")
    counts.update(rows)
    return counts


def opportunity_history(*, opportunity: Opportunity) -> QuerySet[OpportunityEvent]:
    return opportunity.history.select_related(
        "actor__profile", "previous_lead__profile", "new_lead__profile"
    ).order_by("created_at", "pk")


def signups_for_person(*, person: User) -> QuerySet[SignUp]:
    """Only what /me/ shows of each sign-up: measured, loading whole opportunities and their
    sessions cost a quarter of the page's time (docs/benchmarks.md)."""
    return (
        SignUp.objects.filter(person=person)
        .select_related("opportunity")
        .only(
            "state",
            "offer_expires_at",
            "opportunity_id",
            "opportunity__title",
            "opportunity__starts_at",
            # The preparation pack's link, for a confirmed place (issue 14).
            "opportunity__preparation_pack",
        )
        .order_by("-opportunity__starts_at", "pk")
    )


def upcoming_sessions_for_person(*, person: User, limit: int = 10) -> QuerySet[Session]:
    return (
        Session.objects.filter(
            opportunity__signups__person=person,
            opportunity__signups__state=State.CONFIRMED,
            opportunity__status=Opportunity.Status.PUBLISHED,
            starts_at__gte=timezone.now(),
        )
        .select_related("opportunity")
        .order_by("starts_at")[:limit]
    )


def clashing_sessions(*, opportunity: Opportunity, person: Anyone) -> list[Session]:
    """The person's other confirmed or offered sessions that overlap this opportunity's."""
    if not person.is_authenticated:
        return []
    # Compared in the database with this opportunity's sessions, so the page need not have
    # loaded them (the opportunity's page serves them from its cached part).
    overlapping = Session.objects.filter(
        opportunity_id=opportunity.pk, starts_at__lt=OuterRef("ends_at"), ends_at__gt=OuterRef("starts_at")
    )
    # Each of their sessions once (Exists, not a join, so no DISTINCT over whole rows), with
    # only what the warning shows: the opportunity's title and the session's times.
    holding = SignUp.objects.filter(
        opportunity_id=OuterRef("opportunity_id"), person=person, state__in=[State.CONFIRMED, State.OFFERED]
    )
    return list(
        Session.objects.filter(Exists(overlapping), Exists(holding))
        .exclude(opportunity=opportunity)
        .select_related("opportunity")
        .only("starts_at", "ends_at", "opportunity_id", "opportunity__title")
    )


def pace_passed(*, opportunity: Opportunity, person: Anyone) -> tuple[bool, int]:
    """Would taking part pass the person's own pace (at most N activities a month)?
    Counts their other activities in the month of this opportunity's first session."""
    if not person.is_authenticated:
        return False, 0
    profile = getattr(person, "profile", None)
    if profile is None or not profile.pace_per_month or opportunity.starts_at is None:
        return False, 0
    local = timezone.localtime(opportunity.starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    count = (
        SignUp.objects.filter(
            person=person,
            state__in=[State.CONFIRMED, State.OFFERED, State.APPLIED, State.ATTENDED],
            opportunity__starts_at__gte=month_start,
            opportunity__starts_at__lt=next_month,
        )
        .exclude(opportunity=opportunity)
        .count()
    )
    return count + 1 > profile.pace_per_month, count


# Being lead worker opens a person's notes (support note, what helps me, sign-up notes,
# check-ins) while their sign-up is active, and for LEAD_ACCESS_DAYS_AFTER days after the
# activity's last session once they attended (or did not attend). Withdrawn, declined,
# cancelled and not-selected sign-ups open nothing: they have stepped away.
LEAD_ACCESS_ACTIVE = [State.APPLIED, State.WAITLISTED, State.OFFERED, State.CONFIRMED]
LEAD_ACCESS_TOOK_PART = [State.ATTENDED, State.NO_SHOW]


def lead_access_q(*, now: datetime | None = None) -> Q:
    """The one rule, as a filter on sign-ups: every predicate and page that lets a lead
    worker read notes goes through it (accounts and feedback permissions, the participants
    page), so the rule cannot drift between them. The access ends with the activity's last
    session (not the last one the person attended) plus the grace period, so that someone
    marked attended at the first of several sessions stays open while they still take part."""
    since = (now or timezone.now()) - timedelta(days=settings.LEAD_ACCESS_DAYS_AFTER)
    return Q(state__in=LEAD_ACCESS_ACTIVE) | Q(
        state__in=LEAD_ACCESS_TOOK_PART, opportunity__ends_at__gte=since
    )


def lead_access_opened_by(
    *, worker: Anyone, person_id: int | None, opportunity_id: int | None = None, now: datetime | None = None
) -> bool:
    """Does being lead worker open this person's notes to `worker` now (through any
    opportunity they lead, or through the one given)? One query."""
    if not worker.is_authenticated or worker.pk is None or person_id is None:
        return False
    signups = SignUp.objects.filter(
        lead_access_q(now=now), person_id=person_id, opportunity__lead_worker=worker
    )
    if opportunity_id is not None:
        signups = signups.filter(opportunity_id=opportunity_id)
    return signups.exists()


def signup_opens_lead_access(*, signup: SignUp, now: datetime | None = None) -> bool:
    """Does this one sign-up open the person's notes to its opportunity's lead worker?
    Lists get the same answer without a query from `participants()`'s annotation."""
    annotated = getattr(signup, "lead_access_open", None)
    if annotated is not None:
        return bool(annotated)
    return SignUp.objects.filter(lead_access_q(now=now), pk=signup.pk).exists()


def opportunities_led_by(*, worker: User) -> QuerySet[Opportunity]:
    """The worker's opportunities, live ones first; finished ones kept while an outcome
    may still be owed (feedback adds the outcomes: `feedback.selectors`)."""
    since = timezone.now() - timedelta(days=120)
    return (
        Opportunity.objects.filter(lead_worker=worker)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gte=since) | ~Q(status=Opportunity.Status.COMPLETED))
        .exclude(status=Opportunity.Status.CANCELLED, ends_at__lt=since)
        .select_related("activity_type")
        .order_by("starts_at", "pk")
    )


def caseload_with_last_involved(*, worker: User) -> QuerySet[User]:
    """The worker's caseload, with when each person last took part (one aggregate, not a
    query per person)."""
    return caseload_for_worker(worker=worker).annotate(
        last_involved=Max("signups__opportunity__ends_at", filter=Q(signups__state=State.ATTENDED))
    )


def offers_lapsing_for_worker(*, worker: User, within_hours: int = 24) -> QuerySet[SignUp]:
    now = timezone.now()
    return (
        SignUp.objects.filter(
            opportunity__lead_worker=worker,
            state=State.OFFERED,
            offer_expires_at__gte=now,
            offer_expires_at__lte=now + timedelta(hours=within_hours),
        )
        .select_related("opportunity", "person__profile")
        .order_by("offer_expires_at")
    )
