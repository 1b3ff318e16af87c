"""Training (issue 14): completions recorded by workers, one by one or for everyone who
attended a training activity; whether a person's training is current for an opportunity
that requires a course (asked by the sign-up services under the opportunity's lock, and by
the pages); the next date to take a course; and the reminder a month before training runs out.

The rule at the boundary: training counts for an opportunity if it has not run out by the
day of the opportunity's first session, that is `expires_on` after that day (or none).
Training that runs out on the day itself does not count: "valid for 24 months" means up
to, not including, the day it expires (`TrainingCompletion.is_current`).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from catalogue.models import Course
from involvement.jobs import each_in_own_transaction
from involvement.templatetags.nhs_dates import nhs_date
from notifications.kinds import Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import message_create
from opportunities.models import Attendance, Opportunity
from opportunities.services.states import OpportunityError, State, Status
from opportunities.training import TrainingCompletion

# The expiry reminder goes this many months before the training runs out.
REMIND_MONTHS_BEFORE = 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day where it has fewer:
    31 January plus one month is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def training_needed_on(*, opportunity: Opportunity) -> date:
    """The day on which a required course must still be current: the first session's (in
    the site's time zone), or today while the opportunity has no sessions."""
    if opportunity.starts_at is None:
        return timezone.localdate()
    return timezone.localtime(opportunity.starts_at).date()


def current_training_q(*, on: date) -> Q:
    """Completions that still count on `on` (expires_on after it, or never)."""
    return Q(expires_on__isnull=True) | Q(expires_on__gt=on)


def has_current_training(*, person: User, course: Course, on: date) -> bool:
    return TrainingCompletion.objects.filter(current_training_q(on=on), person=person, course=course).exists()


def next_training(*, course: Course, now: datetime | None = None) -> Opportunity | None:
    """The next date to take the course: the soonest published activity that trains for it
    and is still open for sign-ups."""
    return (
        Opportunity.objects.filter(
            trains_for=course, status=Status.PUBLISHED, signup_deadline__gt=now or timezone.now()
        )
        .order_by("starts_at", "pk")
        .first()
    )


def people_with_current_training(*, opportunity: Opportunity, person_ids: list[int]) -> set[int] | None:
    """Of these people, those whose training counts for the opportunity, in one query; None
    when it requires no course (everyone is eligible). For the workers' pages."""
    if opportunity.required_course_id is None:
        return None
    return set(
        TrainingCompletion.objects.filter(
            current_training_q(on=training_needed_on(opportunity=opportunity)),
            course_id=opportunity.required_course_id,
            person_id__in=person_ids,
        ).values_list("person_id", flat=True)
    )


@dataclass(frozen=True)
class TrainingNeeded:
    """Why a person cannot take part yet: the course, whether they had it (and it ran out),
    and the next date to take it."""

    course: Course
    expired_on: date | None
    next_training: Opportunity | None

    @property
    def message(self) -> str:
        if self.expired_on is not None:
            had = f"Your {self.course.name} runs out on {nhs_date(self.expired_on)}, before this activity"
            if self.expired_on <= timezone.localdate():
                had = f"Your {self.course.name} ran out on {nhs_date(self.expired_on)}"
            return f"{had}. You need it to take part: take the course again first."
        return f"You need to complete {self.course.name} before you can take part in this."


def training_needed(*, opportunity: Opportunity, person: User) -> TrainingNeeded | None:
    """None when the opportunity requires no course, or the person's training is current on
    the day of its first session; otherwise what they need."""
    course = opportunity.required_course
    if course is None:
        return None
    on = training_needed_on(opportunity=opportunity)
    completions = TrainingCompletion.objects.filter(person=person, course=course)
    if completions.filter(current_training_q(on=on)).exists():
        return None
    return TrainingNeeded(
        course=course,
        expired_on=completions.aggregate(latest=Max("expires_on"))["latest"],
        next_training=next_training(course=course),
    )


def check_training(*, opportunity: Opportunity, person: User, whose: str = "You") -> None:
    """Refuse (OpportunityError) a place to someone without the required training. Called
    by the sign-up services with the opportunity locked, so the answer holds for the change."""
    course = opportunity.required_course
    if course is None:
        return
    if has_current_training(person=person, course=course, on=training_needed_on(opportunity=opportunity)):
        return
    if whose == "You":
        needed = training_needed(opportunity=opportunity, person=person)
        raise OpportunityError(needed.message if needed else "")
    raise OpportunityError(
        f"{whose} needs {course.name}, current on the day of the first session, to take part in this."
    )


# --- recording completions -------------------------------------------------------------------


def _expires_on(course: Course, completed_on: date) -> date | None:
    if not course.valid_for_months:
        return None
    return add_months(completed_on, course.valid_for_months)


def training_record(
    *,
    person: User,
    course: Course,
    completed_on: date,
    by: User,
    opportunity: Opportunity | None = None,
) -> tuple[TrainingCompletion, bool]:
    """Record that the person completed the course on the day; returns the completion and
    whether it is new. The same course on the same day again changes nothing. The expiry is
    copied from the course now, so a later change to the course leaves it as it was."""
    if completed_on > timezone.localdate():
        raise OpportunityError("The date must be today or in the past", field="completed_on")
    if not course.is_active:
        raise OpportunityError("This course is no longer offered: choose another", field="course")
    with transaction.atomic():
        completion, created = TrainingCompletion.objects.get_or_create(
            person=person,
            course=course,
            completed_on=completed_on,
            defaults={
                "expires_on": _expires_on(course, completed_on),
                "opportunity": opportunity,
                "recorded_by": by,
            },
        )
    return completion, created


@dataclass(frozen=True)
class TrainingRecorded:
    recorded: int  # new completions
    already: int  # people who had this completion recorded already


def training_record_attended(*, opportunity: Opportunity, by: User) -> TrainingRecorded:
    """Everyone who attended this training activity has completed its course, on the day of
    the last session they attended. Safe to run twice: the second run records nobody again."""
    course = opportunity.trains_for
    if course is None:
        raise OpportunityError("This activity is not marked as training for a course.")
    with transaction.atomic():
        # The opportunity's lock: attendance recorded at the same moment is seen whole.
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        last_attended = (
            Attendance.objects.filter(
                attended=True, signup__opportunity=opportunity, signup__state=State.ATTENDED
            )
            .values("signup__person_id")
            .annotate(last=Max("session__starts_at"))
        )
        days = {row["signup__person_id"]: timezone.localtime(row["last"]).date() for row in last_attended}
        if not days:
            raise OpportunityError("Nobody has been recorded as attending yet: record attendance first.")
        existing = set(
            TrainingCompletion.objects.filter(course=course, person_id__in=list(days)).values_list(
                "person_id", "completed_on"
            )
        )
        new = [
            TrainingCompletion(
                person_id=person_id,
                course=course,
                completed_on=day,
                expires_on=_expires_on(course, day),
                opportunity=opportunity,
                recorded_by=by,
            )
            for person_id, day in days.items()
            if (person_id, day) not in existing
        ]
        # ignore_conflicts: a worker recording the same person by hand at this moment wins.
        TrainingCompletion.objects.bulk_create(new, ignore_conflicts=True)
    return TrainingRecorded(recorded=len(new), already=len(days) - len(new))


# --- the reminder a month before ---------------------------------------------------------------


def training_expiry_reminders_send(*, today: date | None = None) -> int:
    """Tell each person, once, a month before a course of theirs runs out: the message key
    `training_expiring:<completion>` makes a second run send nothing. Training already
    renewed (a later completion of the same course that lasts longer) is not reminded."""
    today = today or timezone.localdate()
    renewed = TrainingCompletion.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")),
        person_id=OuterRef("person_id"),
        course_id=OuterRef("course_id"),
    )
    due = (
        TrainingCompletion.objects.filter(
            expires_on__gt=today, expires_on__lte=add_months(today, REMIND_MONTHS_BEFORE)
        )
        .exclude(Exists(renewed))
        .select_related("course", "person__profile")
    )
    wanted = {f"training_expiring:{completion.pk}": completion for completion in due}
    done = existing_dedupe_keys(keys=list(wanted))
    upcoming: dict[int, Opportunity | None] = {}

    def remind(item: tuple[str, TrainingCompletion]) -> int:
        key, completion = item
        if completion.course_id not in upcoming:
            upcoming[completion.course_id] = next_training(course=completion.course)
        message = message_create(
            recipient=completion.person,
            kind=Kind.TRAINING_EXPIRING,
            dedupe_key=key,
            context={"completion": completion, "next_training": upcoming[completion.course_id]},
        )
        return message is not None

    return each_in_own_transaction(
        [item for item in wanted.items() if item[0] not in done],
        remind,
        job="Training expiry reminders",
        item_id=lambda item: f"completion {item[1].pk}",
    )
