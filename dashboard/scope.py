"""What every figure is counted over: the chosen period, team and type (`Scope`), and the
small-number rule. Shared by the figures of each section (metrics.py, payment_metrics.py)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from opportunities.models import SignUp

PLACE_STATES = [SignUp.State.CONFIRMED, SignUp.State.ATTENDED, SignUp.State.NO_SHOW]
SMALL = 5  # any count from 1 to 4 in a breakdown shows as "fewer than 5"


@dataclass(frozen=True)
class Scope:
    start: date
    end: date
    team_id: int | None = None
    activity_type_id: int | None = None

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self) -> datetime:
        """Exclusive: the first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def opportunities(self, prefix: str = "") -> Q:
        """Opportunities in scope: first session in the period, in the team and type."""
        q = Q(**{f"{prefix}starts_at__gte": self.start_at, f"{prefix}starts_at__lt": self.end_at})
        if self.team_id:
            q &= Q(**{f"{prefix}team_id": self.team_id})
        if self.activity_type_id:
            q &= Q(**{f"{prefix}activity_type_id": self.activity_type_id})
        return q

    def filter_sql(self, alias: str = "o") -> tuple[str, dict]:
        """The team and type filters for raw SQL, with named parameters."""
        sql, params = "", {}
        if self.team_id:
            sql += f" AND {alias}.team_id = %(team)s"
            params["team"] = self.team_id
        if self.activity_type_id:
            sql += f" AND {alias}.activity_type_id = %(activity_type)s"
            params["activity_type"] = self.activity_type_id
        return sql, params

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Scope":
        """The period of the same length immediately before, with the same team and type."""
        end = self.start - timedelta(days=1)
        return Scope(
            start=end - timedelta(days=self.days - 1),
            end=end,
            team_id=self.team_id,
            activity_type_id=self.activity_type_id,
        )


def small(count: int | None) -> int | str | None:
    """The small-number rule for breakdowns."""
    if count is None:
        return None
    return "fewer than 5" if 0 < count < SMALL else count


def ratio(part: int | float | Decimal | None, whole: int | float | Decimal | None) -> float | None:
    # Always a float: PostgreSQL's SUM of counts is numeric, and a Decimal share would reach
    # the chart's JSON as a string ("31.6") while every other share is a number.
    return None if not whole else round(100 * float(part or 0) / float(whole), 1)


def scope_opportunity_filter(scope: Scope) -> Q:
    q = Q()
    if scope.team_id:
        q &= Q(opportunity__team_id=scope.team_id)
    if scope.activity_type_id:
        q &= Q(opportunity__activity_type_id=scope.activity_type_id)
    return q
