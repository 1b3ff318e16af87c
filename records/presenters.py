"""The involvement record as pages, PDFs and certificates show it: rows computed once from
the selectors' annotations, so templates only print them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from catalogue.models import INVOLVEMENT_LEVEL_MEANINGS, InvolvementLevel
from opportunities.models import SignUp
from opportunities.training import TrainingCompletion
from records.models import ActivityRole

HUNDREDTH = Decimal("0.01")


def hours_of(duration: timedelta | None) -> Decimal:
    """Hours to the hundredth, as payments rounds a claim's hours
    (payments.services.attended_hours): the record and the claim never disagree."""
    if not duration:
        return Decimal("0.00")
    return (Decimal(duration.total_seconds()) / 3600).quantize(HUNDREDTH)


@dataclass(frozen=True)
class ActivityRow:
    signup_id: int
    opportunity_id: int
    title: str
    activity_type: str
    team: str
    level: str
    level_meaning: str
    role: str
    first_day: date
    last_day: date
    sessions: int
    hours: Decimal

    @property
    def year(self) -> int:
        """The year an activity counts in: that of the last session attended."""
        return self.last_day.year

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.signup_id,
            "title": self.title,
            "type": self.activity_type,
            "level": self.level,
            "role": self.role,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "sessions": self.sessions,
            "hours": str(self.hours),
        }


def activity_row(signup: SignUp) -> ActivityRow:
    """A sign-up from `records.selectors.activities_taken_part_in` as a row of the record."""
    opportunity = signup.opportunity
    role: ActivityRole | None = getattr(signup, "record_role", None)
    level = opportunity.involvement_level
    return ActivityRow(
        signup_id=signup.pk,
        opportunity_id=opportunity.pk,
        title=opportunity.title,
        activity_type=str(opportunity.activity_type),
        team=str(opportunity.team),
        level=InvolvementLevel(level).label if level in InvolvementLevel.values else level,
        level_meaning=INVOLVEMENT_LEVEL_MEANINGS[InvolvementLevel(level)]
        if level in InvolvementLevel.values
        else "",
        role=role.label if role else "",
        first_day=timezone.localdate(signup.first_attended),  # type: ignore[attr-defined]
        last_day=timezone.localdate(signup.last_attended),  # type: ignore[attr-defined]
        sessions=signup.sessions_attended,  # type: ignore[attr-defined]
        hours=hours_of(signup.time_attended),  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class YearTotal:
    year: int
    activities: int
    hours: Decimal


def totals_by_year(rows: Iterable[ActivityRow]) -> list[YearTotal]:
    """Activities and hours per calendar year, latest first. Each activity counts once, in
    the year of its last session attended, so a year's hours add up to its activities'."""
    counts: dict[int, int] = defaultdict(int)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        counts[row.year] += 1
        hours[row.year] += row.hours
    return [
        YearTotal(year=year, activities=counts[year], hours=hours[year])
        for year in sorted(counts, reverse=True)
    ]


@dataclass(frozen=True)
class TrainingRow:
    id: int
    course: str
    completed_on: date
    expires_on: date | None
    current: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "course": self.course,
            "completed_on": self.completed_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


def training_rows(
    completions: Iterable[TrainingCompletion], *, today: date | None = None
) -> list[TrainingRow]:
    today = today or timezone.localdate()
    return [
        TrainingRow(
            id=completion.pk,
            course=completion.course.name,
            completed_on=completion.completed_on,
            expires_on=completion.expires_on,
            current=completion.is_current(today),
        )
        for completion in completions
    ]


def total_hours(rows: Iterable[ActivityRow]) -> Decimal:
    return sum((row.hours for row in rows), Decimal("0.00"))


@dataclass(frozen=True)
class SharedActivity:
    title: str
    type: str
    level: str
    role: str
    first_day: date
    last_day: date
    sessions: int
    hours: Decimal


@dataclass(frozen=True)
class SharedTraining:
    course: str
    completed_on: date
    expires_on: date | None


@dataclass(frozen=True)
class SharedCertificate:
    """A certificate's frozen content as the verify page and the PDF print it."""

    name: str
    issued_on: date
    activities: list[SharedActivity]
    training: list[SharedTraining]
    skills: list[str]
    statement: str
    totals: list[YearTotal]
    include_totals: bool

    @property
    def total_hours(self) -> Decimal:
        return sum((total.hours for total in self.totals), Decimal("0.00"))


def shared_certificate(content: dict[str, Any]) -> SharedCertificate:
    """Read back what `records.services.certificate_issue` froze."""
    return SharedCertificate(
        name=content["name"],
        issued_on=date.fromisoformat(content["issued_on"]),
        activities=[
            SharedActivity(
                title=item["title"],
                type=item.get("type", ""),
                level=item["level"],
                role=item.get("role", ""),
                first_day=date.fromisoformat(item["first_day"]),
                last_day=date.fromisoformat(item["last_day"]),
                sessions=int(item["sessions"]),
                hours=Decimal(item["hours"]),
            )
            for item in content.get("activities", [])
        ],
        training=[
            SharedTraining(
                course=item["course"],
                completed_on=date.fromisoformat(item["completed_on"]),
                expires_on=date.fromisoformat(item["expires_on"]) if item.get("expires_on") else None,
            )
            for item in content.get("training", [])
        ],
        skills=list(content.get("skills", [])),
        statement=content.get("statement", ""),
        totals=[
            YearTotal(
                year=int(item["year"]), activities=int(item["activities"]), hours=Decimal(item["hours"])
            )
            for item in content.get("totals", [])
        ],
        include_totals="totals" in content,
    )
