"""The manager's figures, exactly as PRODUCT.md ("Dashboard definitions") and
docs/metrics.md define them. Every figure is one aggregate query in PostgreSQL: the number
of queries never depends on the amount of data, and no Python loop walks over rows.

A `Scope` (scope.py) is the chosen period (dates, inclusive, Europe/London) plus an optional
team and activity type. Opportunities belong to a period by their first session. The payments
section's figures are in payment_metrics.py.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.permissions import Role
from catalogue.models import InvolvementLevel
from dashboard.payment_metrics import payments
from dashboard.scope import PLACE_STATES, SMALL, Scope, ratio, scope_opportunity_filter, small
from feedback.models import CheckIn, FollowUp, Invitation, Outcome
from opportunities.models import Opportunity, SignUp

__all__ = [
    "PLACE_STATES",
    "Scope",
    "activity",
    "feedback_loop",
    "impact",
    "monthly_trend",
    "payments",
    "reach",
    "valued",
]


# --- reach ------------------------------------------------------------------------------------

# One pass over the sign-ups that matter to the period (those holding a place on an opportunity
# in scope whose first session is in the period, or whose last session ended in the period or
# in the six months to its end), gathered per person; every figure is then worked out from
# that (the places per person, who was involved, who took part). Three separate passes over a
# million sign-ups made this the dashboard's slowest query.
REACH_SQL = """
WITH active AS (
    SELECT u.id
      FROM accounts_user u
      JOIN accounts_user_groups ug ON ug.user_id = u.id
      JOIN auth_group g ON g.id = ug.group_id AND g.name = %(role)s
     WHERE u.is_active AND u.date_joined < %(end)s
),
per_person AS (
    SELECT s.person_id,
           COUNT(*) FILTER (WHERE o.starts_at >= %(start)s AND o.starts_at < %(end)s) AS n,
           BOOL_OR(s.state = 'attended' AND o.ends_at >= %(six_months_ago)s AND o.ends_at < %(end)s)
               AS involved,
           BOOL_OR(s.state = 'attended' AND o.ends_at >= %(start)s AND o.ends_at < %(end)s) AS took_part
      FROM opportunities_signup s
      JOIN opportunities_opportunity o ON o.id = s.opportunity_id
     WHERE s.state IN %(place_states)s
       AND ((o.starts_at >= %(start)s AND o.starts_at < %(end)s)
            OR (o.ends_at >= %(earliest_end)s AND o.ends_at < %(end)s)) {scope}
     GROUP BY s.person_id
),
ranked AS (
    SELECT n,
           ROW_NUMBER() OVER (ORDER BY n) AS ascending,
           ROW_NUMBER() OVER (ORDER BY n DESC) AS descending,
           COUNT(*) OVER () AS people
      FROM (SELECT COALESCE(p.n, 0) AS n
              FROM active a LEFT JOIN per_person p ON p.person_id = a.id) AS counted
)

SELECT
    (SELECT COUNT(*) FROM active) AS active,
    (SELECT COUNT(*) FROM per_person p JOIN active a ON a.id = p.person_id WHERE p.involved) AS involved,
    -- First-timers: took part in scope during the period and never before it (in any team or
    -- type). NOT EXISTS on the person's earlier attendance uses the (person, state) index.
    (SELECT COUNT(*)
       FROM per_person p
      WHERE p.took_part
        AND NOT EXISTS (
            SELECT 1 FROM opportunities_signup s2
              JOIN opportunities_opportunity o2 ON o2.id = s2.opportunity_id
             WHERE s2.person_id = p.person_id AND s2.state = 'attended' AND o2.ends_at < %(start)s)
    ) AS first_timers,
    (SELECT COALESCE(SUM(n), 0) FROM ranked) AS places,
    (SELECT COALESCE(SUM(n), 0) FROM ranked WHERE descending <= CEIL(people * 0.1)) AS top_decile_places,
    (SELECT CASE WHEN COALESCE(SUM(n), 0) = 0 THEN NULL
                 ELSE (2.0 * SUM(ascending * n)) / (COUNT(*) * SUM(n)) - (COUNT(*) + 1.0) / COUNT(*) END
       FROM ranked) AS gini
"""


def reach_sql(scope: Scope) -> tuple[str, dict]:
    scope_sql, scope_params = scope.filter_sql("o")
    six_months_ago = scope.end_at - timedelta(days=183)
    params = {
        "role": Role.REPRESENTATIVE.value,
        "start": scope.start_at,
        "end": scope.end_at,
        "six_months_ago": six_months_ago,
        "earliest_end": min(scope.start_at, six_months_ago),
        "place_states": tuple(PLACE_STATES),
        **scope_params,
    }
    return REACH_SQL.format(scope=scope_sql), params


def reach(scope: Scope) -> dict:
    sql, params = reach_sql(scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        active, involved, first_timers, places, top, gini = cursor.fetchone()
    return {
        "active": active,
        "involved": involved,
        "involved_share": ratio(involved, active),
        "first_timers": first_timers,
        "invited_first_timers": invited_first_timers(scope),
        "places": places,
        "top_decile_share": ratio(top, places),
        "gini": None if gini is None else round(float(gini), 3),
    }


def invited_first_timers(scope: Scope) -> int:
    """First-timers who came through an invitation (F4): sign-ups, whatever became of them,
    on opportunities in scope, made after the person was invited to that opportunity, by
    someone who had attended nothing that ended before they signed up. One query."""
    invited_first = Invitation.objects.filter(
        person=OuterRef("person"), opportunity=OuterRef("opportunity"), sent_at__lt=OuterRef("created_at")
    )
    took_part_before = SignUp.objects.filter(
        person=OuterRef("person"),
        state=SignUp.State.ATTENDED,
        opportunity__ends_at__lt=OuterRef("created_at"),
    )
    return (
        SignUp.objects.filter(scope.opportunities("opportunity__"))
        .filter(Exists(invited_first))
        .exclude(Exists(took_part_before))
        .count()
    )


# --- activity -----------------------------------------------------------------------------------


def activity(scope: Scope) -> dict:
    in_scope = Opportunity.objects.filter(scope.opportunities()).exclude(status=Opportunity.Status.DRAFT)
    totals = in_scope.aggregate(
        opportunities=Count("pk"),
        cancelled=Count("pk", filter=Q(status=Opportunity.Status.CANCELLED)),
    )
    places = in_scope.exclude(status=Opportunity.Status.CANCELLED).aggregate(
        offered=Coalesce(Sum("places"), Value(0)), taken=Coalesce(Sum("places_taken"), Value(0))
    )
    # Counted over the state column with only those two states selected, so PostgreSQL reads
    # them from the index of sign-ups holding a place (signup_place_idx) alone.
    attendance = SignUp.objects.filter(
        scope.opportunities("opportunity__"), state__in=[SignUp.State.ATTENDED, SignUp.State.NO_SHOW]
    ).aggregate(
        attended=Count("state", filter=Q(state=SignUp.State.ATTENDED)),
        no_show=Count("state", filter=Q(state=SignUp.State.NO_SHOW)),
    )
    # By type, then up the ladder (informing to co-producing), not by the levels' spelling.
    ladder = list(InvolvementLevel.values)
    by_type = sorted(
        in_scope.values("activity_type__name", "involvement_level").annotate(count=Count("pk")).order_by(),
        key=lambda row: (row["activity_type__name"], ladder.index(row["involvement_level"])),
    )
    return {
        "opportunities": totals["opportunities"],
        "cancelled": totals["cancelled"],
        "fill_rate": ratio(places["taken"], places["offered"]),
        "places_offered": places["offered"],
        "places_taken": places["taken"],
        "no_show_rate": ratio(attendance["no_show"], attendance["attended"] + attendance["no_show"]),
        "by_type": [
            {
                "type": row["activity_type__name"],
                "level": InvolvementLevel(row["involvement_level"]).label,
                # Opportunities are not people: their counts are shown as they are.
                "count": row["count"],
            }
            for row in by_type
        ],
    }


# --- the feedback loop ---------------------------------------------------------------------------


def feedback_loop(scope: Scope) -> dict:
    completed = Opportunity.objects.filter(scope.opportunities(), status=Opportunity.Status.COMPLETED)
    due_days = timedelta(days=settings.OUTCOME_DUE_DAYS)
    cutoff = timezone.now() - due_days
    published = Q(outcome__status=Outcome.Status.PUBLISHED)
    # Fed back on time: published within OUTCOME_DUE_DAYS of the last session, over those due
    # (published, or with the due day gone): waiting never improves the share.
    counts = completed.aggregate(
        completed=Count("pk"),
        with_outcome=Count("pk", filter=published),
        due=Count("pk", filter=published | Q(ends_at__lt=cutoff)),
        on_time=Count("pk", filter=published & Q(outcome__published_at__lte=F("ends_at") + due_days)),
    )
    # Days from the last session to publication: a median needs the values, which are one
    # small column, fetched in one query and never more than the completed opportunities.
    days = [
        (published - ended).total_seconds() / 86400
        for published, ended in completed.filter(outcome__status=Outcome.Status.PUBLISHED).values_list(
            "outcome__published_at", "ends_at"
        )
    ]
    overdue = completed.filter(ends_at__lt=cutoff).exclude(outcome__status=Outcome.Status.PUBLISHED).count()
    return {
        "completed": counts["completed"],
        "with_outcome": counts["with_outcome"],
        "outcome_share": ratio(counts["with_outcome"], counts["completed"]),
        "on_time_share": ratio(counts["on_time"], counts["due"]),
        "outcome_due_days": settings.OUTCOME_DUE_DAYS,
        "median_days_to_outcome": round(median(days), 1) if days else None,
        "overdue": overdue,
    }


# --- feeling valued and support --------------------------------------------------------------------


def valued(scope: Scope) -> dict:
    check_ins = CheckIn.objects.filter(created_at__gte=scope.start_at, created_at__lt=scope.end_at)
    if scope.team_id or scope.activity_type_id:
        check_ins = check_ins.filter(scope_opportunity_filter(scope))
    figures = check_ins.aggregate(
        count=Count("pk"),
        valued=Avg("felt_valued"),
        went=Avg("how_it_went"),
        chats=Count("pk", filter=Q(wants_chat=True)),
    )
    follow_ups = FollowUp.objects.filter(check_in__in=check_ins, status=FollowUp.Status.CLOSED)
    hours = [
        (closed - requested).total_seconds() / 3600
        for requested, closed in follow_ups.values_list("requested_at", "closed_at")
    ]
    # Picked up within the target: the first answer (picked up with a date to call, or closed)
    # on or before the follow-up's last day (`due_on`, FOLLOW_UP_TARGET_WORKING_DAYS working
    # days after it was asked for, in Europe/London), over those that are due: answered, or
    # unanswered with the last day gone. Waiting never improves the share.
    answered = Coalesce("picked_up_at", "closed_at")
    target = (
        FollowUp.objects.filter(check_in__in=check_ins)
        .annotate(answered_on=TruncDate(answered, tzinfo=timezone.get_current_timezone()))
        .aggregate(
            due=Count("pk", filter=Q(answered_on__isnull=False) | Q(due_on__lt=timezone.localdate())),
            in_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))),
        )
    )
    enough = figures["count"] >= SMALL
    return {
        "check_ins": small(figures["count"]),
        # Means of fewer than five answers could identify a person: not shown.
        "mean_felt_valued": round(figures["valued"], 2) if enough and figures["valued"] is not None else None,
        "mean_how_it_went": round(figures["went"], 2) if enough and figures["went"] is not None else None,
        "follow_ups": small(figures["chats"]),
        "median_hours_to_follow_up": round(median(hours), 1) if len(hours) >= SMALL else None,
        # A share of fewer than five could identify a person: not shown.
        "picked_up_in_time_share": ratio(target["in_time"], target["due"])
        if target["due"] >= SMALL
        else None,
        "follow_up_target_days": settings.FOLLOW_UP_TARGET_WORKING_DAYS,
        "enough": enough,
    }


# --- monthly trend ---------------------------------------------------------------------------------


# Places and people per month in one pass over the sign-ups holding a place. The month is
# worked out once per opportunity (in Europe/London), not once per sign-up, before the join:
# converting the time zone of a quarter of a million sign-ups was half this query's time.
TREND_SQL = """
SELECT o.month,
       COUNT(*) AS places,
       COUNT(DISTINCT s.person_id) FILTER (WHERE s.state = 'attended') AS people
  FROM opportunities_signup s
  JOIN (SELECT o.id, DATE_TRUNC('month', o.starts_at AT TIME ZONE %(tz)s)::date AS month
          FROM opportunities_opportunity o
         WHERE o.starts_at >= %(start)s AND o.starts_at < %(end)s {scope}
        OFFSET 0) AS o ON o.id = s.opportunity_id
 WHERE s.state IN %(place_states)s
 GROUP BY o.month
"""


def monthly_trend(scope: Scope) -> list[dict]:
    """Per month of the period: places taken, people taking part, outcomes published and
    check-ins (with the small-number rule)."""
    scope_sql, scope_params = scope.filter_sql("o")
    params = {
        "tz": timezone.get_current_timezone_name(),
        "start": scope.start_at,
        "end": scope.end_at,
        "place_states": tuple(PLACE_STATES),
        **scope_params,
    }
    with connection.cursor() as cursor:
        cursor.execute(TREND_SQL.format(scope=scope_sql), params)
        per_month = {month: {"places": places, "people": people} for month, places, people in cursor}
    outcomes = dict(
        Outcome.objects.filter(scope.opportunities("opportunity__"), status=Outcome.Status.PUBLISHED)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    rows = []
    month = scope.start.replace(day=1)
    while month <= scope.end:
        key = timezone.make_aware(datetime.combine(month, time.min))
        rows.append(
            {
                "month": month,
                "places": per_month.get(month, {}).get("places", 0),
                "people": small(per_month.get(month, {}).get("people", 0)),
                "outcomes": outcomes.get(key, 0),
            }
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return rows


# --- impact: "You said, we did" ---------------------------------------------------------------

IMPACT_LIMIT = 200  # a quarter's outcomes fit; the page says when there are more


@dataclass(frozen=True)
class Impact:
    team: str
    activity_type: str
    title: str
    you_said: str
    we_did: str
    published: date


def impact(scope: Scope, limit: int | None = IMPACT_LIMIT + 1) -> list[Impact]:
    """Outcomes published in the period (by their publication day), on opportunities in the
    team and type chosen, grouped by team then type. One query, at most `limit` rows: the page
    reads IMPACT_LIMIT + 1 (the extra one tells it there are more), the CSV all of them."""
    q = Q(status=Outcome.Status.PUBLISHED, published_at__gte=scope.start_at, published_at__lt=scope.end_at)
    q &= scope_opportunity_filter(scope)
    rows = (
        Outcome.objects.filter(q)
        .order_by("opportunity__team__name", "opportunity__activity_type__name", "published_at", "pk")
        .values_list(
            "opportunity__team__name",
            "opportunity__activity_type__name",
            "opportunity__title",
            "you_said",
            "we_did",
            "published_at",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        Impact(team, kind, title, said, did, timezone.localtime(published).date())
        for team, kind, title, said, did, published in rows
    ]
