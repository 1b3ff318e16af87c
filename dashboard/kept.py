"""The dashboard's figures, worked out at most a few minutes ago (issue 17, item 7).

Over a million sign-ups the figures of one scope and its previous period take about 0.7 s of
PostgreSQL. A manager's question is about quarters and years, not minutes, so each scope's
figures are kept in the shared cache for DASHBOARD_FIGURES_MAX_AGE_MINUTES (10 by default,
never more than 15: the page says when they were worked out) and Celery beat works out the
usual scopes again before they run out, so the page a manager opens first is already there. A
scope nobody asked for lately is worked out when asked, as before.

Numbers only, as the page: counts, shares and the published outcomes; nothing about one
person. The key holds the code's digest, so a deploy never reads figures of another shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from catalogue.models import ActivityType, Team
from dashboard.equality_metrics import who_we_reach
from dashboard.forms import quarter_start
from dashboard.metrics import Scope, activity, feedback_loop, impact, monthly_trend, payments, reach, valued
from involvement.fragments import code_version


@dataclass(frozen=True)
class Kept:
    figures: dict
    previous: dict
    worked_out_at: datetime


def _sections(scope: Scope) -> dict:
    """The figures with a previous period to compare with."""
    return {
        "scope": scope,
        "reach": reach(scope),
        "activity": activity(scope),
        "feedback": feedback_loop(scope),
        "valued": valued(scope),
        "payments": payments(scope),
    }


def work_out(scope: Scope) -> Kept:
    figures = {
        **_sections(scope),
        "trend": monthly_trend(scope),
        "impact": impact(scope),
        "who_we_reach": who_we_reach(scope),
    }
    return Kept(figures=figures, previous=_sections(scope.previous()), worked_out_at=timezone.now())


def _key(scope: Scope) -> str:
    return (
        f"dashboard:figures:{code_version()}:{scope.start.isoformat()}:{scope.end.isoformat()}:"
        f"{scope.team_id or ''}:{scope.activity_type_id or ''}"
    )


def max_age() -> timedelta:
    return timedelta(minutes=settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES)


def figures_of(scope: Scope) -> Kept:
    """The scope's figures: those kept if younger than the maximum age, else worked out now
    and kept. With a maximum age of 0, always worked out now."""
    seconds = int(max_age().total_seconds())
    if not seconds:
        return work_out(scope)
    kept = cache.get(_key(scope))
    if kept is not None and timezone.now() - kept.worked_out_at < max_age():
        return kept
    kept = work_out(scope)
    cache.set(_key(scope), kept, seconds)
    return kept


def usual_scopes(today=None) -> list[Scope]:
    """What a manager opens without choosing dates: the last 12 months and this quarter, for
    all teams and types, and for each active team and each active type alone."""
    today = today or timezone.localdate()
    periods = [(today - timedelta(days=365), today), (quarter_start(today), today)]
    teams = [None, *Team.objects.filter(is_active=True).values_list("pk", flat=True)]
    kinds = [None, *ActivityType.objects.filter(is_active=True).values_list("pk", flat=True)]
    scopes = []
    for start, end in periods:
        scopes += [Scope(start=start, end=end, team_id=team) for team in teams]
        scopes += [Scope(start=start, end=end, activity_type_id=kind) for kind in kinds[1:]]
    return scopes


def figures_refresh() -> int:
    """Beat's job: work out the usual scopes again, so they never reach the maximum age."""
    seconds = int(max_age().total_seconds())
    if not seconds:
        return 0
    scopes = usual_scopes()
    for scope in scopes:
        cache.set(_key(scope), work_out(scope), seconds)
    return len(scopes)
