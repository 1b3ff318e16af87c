"""The dashboard's answers in words: plain sentences worked out from the figures of the chosen
period and the previous one (the same length, immediately before) and the Trust's targets.

Numbers in, words out: nothing here queries the database. Whether a change is better or
worse is decided by each measure's better direction, at the precision the sentence shows, so
"the same" never sits beside two different numbers.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

Value = int | float | Decimal | str | None


class Better(StrEnum):
    HIGHER = "Higher"
    LOWER = "Lower"
    NEITHER = "Neither: a count, not a judgement"


class Change(StrEnum):
    BETTER = "Better"
    WORSE = "Worse"
    SAME = "The same"
    NONE = "No comparison"


def rounded(value: int | float | Decimal, places: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def change(current: Value, previous: Value, better: Better, places: int = 1) -> Change:
    """Better, worse or the same, compared at `places` decimals. A figure withheld (None, or
    "fewer than 5") or a measure with no better direction has no comparison."""
    if better is Better.NEITHER or isinstance(current, str) or isinstance(previous, str):
        return Change.NONE
    if current is None or previous is None:
        return Change.NONE
    now, before = rounded(current, places), rounded(previous, places)
    if now == before:
        return Change.SAME
    return Change.BETTER if (now > before) == (better is Better.HIGHER) else Change.WORSE


# --- the sentences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The six figures the answers are about, for one period."""

    top_decile_share: float | None
    first_timers: int | None
    outcome_on_time_share: float | None
    felt_valued: float | None
    follow_up_on_time_share: float | None
    paid_on_time_share: float | None

    @classmethod
    def from_figures(cls, figures: Mapping[str, Mapping[str, Any]]) -> "Headline":
        """From the dashboard's figures (dashboard.metrics), section by section."""
        return cls(
            top_decile_share=figures["reach"]["top_decile_share"],
            first_timers=figures["reach"]["first_timers"],
            outcome_on_time_share=figures["feedback"]["on_time_share"],
            felt_valued=figures["valued"]["mean_felt_valued"],
            follow_up_on_time_share=figures["valued"]["picked_up_in_time_share"],
            paid_on_time_share=figures["payments"]["paid_in_time_share"],
        )


@dataclass(frozen=True)
class TargetValues:
    top_decile_share_max: float
    first_timers_min: int | None
    outcome_on_time_min: float
    felt_valued_min: float
    follow_up_on_time_min: float
    paid_on_time_min: float
    outcome_due_days: int
    follow_up_working_days: int
    payment_days: int


@dataclass(frozen=True)
class Answer:
    text: str
    section: str  # the id of the section it links to
    section_name: str
    change: Change
    target_met: bool | None  # None when there is no figure or no target


def percent(value: float | Decimal) -> str:
    return f"{rounded(value, 0)}%"


@dataclass(frozen=True)
class _Question:
    """How one answer is put: which headline figure and how it is shown, the lead for each
    change, the figure as a phrase, the sentence when there is nothing to compare with, and
    the one when there is no figure."""

    field: str  # the Headline attribute
    show: Callable[[Any], str]
    section: str
    section_name: str
    better: Better
    places: int
    leads: Mapping[Change, str]
    short: str  # "{value}" is the figure, as shown
    alone: str  # the whole figure as a sentence's start, for when nothing compares
    missing: str
    show_before: Callable[[Any], str] | None = None  # when the previous figure reads otherwise


def _answer(
    question: _Question,
    now: int | float | None,
    before: int | float | None,
    show: str,
    show_before: str,
    target_text: str,
    target_met: bool | None,
) -> Answer:
    if now is None:
        return Answer(question.missing, question.section, question.section_name, Change.NONE, None)
    how = change(now, before, question.better, question.places)
    if how is Change.NONE:
        text = f"{question.alone.format(value=show)} (no figure for the previous period; {target_text})."
    else:
        text = (
            f"{question.leads[how]}: {question.short.format(value=show)} "
            f"({show_before} in the previous period; {target_text})."
        )
    return Answer(text, question.section, question.section_name, how, target_met)


def _target(
    value: float | None, target: float | int | None, better: Better, shown: str
) -> tuple[str, bool | None]:
    if target is None:
        return "no target set", None
    if value is None:
        return f"the target is {shown}", None
    met = value < target if better is Better.LOWER else value >= target
    return f"the target is {shown}: {'met' if met else 'not met'}", met


def _mean(value: float | Decimal) -> str:
    return f"{rounded(value, 1)} out of 5"


def answers(now: Headline, before: Headline, targets: TargetValues) -> list[Answer]:
    """The answers at the top of the dashboard, in the order of PRODUCT.md's question: is
    involvement fair (spread, newcomers), and does it make a difference (outcomes, feeling
    valued, support, pay)."""

    def ask(question: _Question, limit: float | int | None, limit_shown: str) -> Answer:
        value, previous = getattr(now, question.field), getattr(before, question.field)
        target, met = _target(value, limit, question.better, limit_shown)
        shown_before = _or(previous, question.show_before or question.show)
        return _answer(question, value, previous, _or(value, question.show), shown_before, target, met)

    days = targets.outcome_due_days
    working_days = targets.follow_up_working_days
    pay_days = targets.payment_days
    return [
        ask(
            _Question(
                "top_decile_share",
                percent,
                "reach",
                "Reach",
                Better.LOWER,
                0,
                {
                    Change.BETTER: "Involvement is spread more evenly than in the previous period",
                    Change.WORSE: "Involvement is spread less evenly than in the previous period",
                    Change.SAME: "Involvement is spread as evenly as in the previous period",
                },
                "the 10% most involved people took {value} of places",
                "The 10% most involved people took {value} of places",
                "No places were taken in this period, so there is no figure for how evenly "
                "involvement is spread.",
            ),
            targets.top_decile_share_max,
            f"under {percent(targets.top_decile_share_max)}",
        ),
        ask(
            _Question(
                "first_timers",
                _people,
                "reach",
                "Reach",
                Better.HIGHER,
                0,
                {
                    Change.BETTER: "More people took part for the first time than in the previous period",
                    Change.WORSE: "Fewer people took part for the first time than in the previous period",
                    Change.SAME: "As many people took part for the first time as in the previous period",
                },
                "{value}",
                "{value} took part for the first time",
                "There is no figure for people taking part for the first time.",
                show_before=str,
            ),
            targets.first_timers_min,
            f"at least {_people(targets.first_timers_min or 0)}",
        ),
        ask(
            _Question(
                "outcome_on_time_share",
                percent,
                "feedback",
                "Feedback loop",
                Better.HIGHER,
                0,
                {
                    Change.BETTER: "More outcomes were fed back on time than in the previous period",
                    Change.WORSE: "Fewer outcomes were fed back on time than in the previous period",
                    Change.SAME: "Outcomes were fed back on time as often as in the previous period",
                },
                f"{{value}} of completed activities due an outcome had one published within {days} days",
                f"{{value}} of completed activities due an outcome had one published within {days} days",
                "No completed activity was due an outcome in this period, so there is no figure for "
                f"outcomes fed back within {days} days.",
            ),
            targets.outcome_on_time_min,
            f"at least {percent(targets.outcome_on_time_min)}",
        ),
        ask(
            _Question(
                "felt_valued",
                _mean,
                "valued",
                "Feeling valued and support",
                Better.HIGHER,
                1,
                {
                    Change.BETTER: "People felt more valued than in the previous period",
                    Change.WORSE: "People felt less valued than in the previous period",
                    Change.SAME: "People felt as valued as in the previous period",
                },
                "the mean answer to “did you feel valued?” was {value}",
                "The mean answer to “did you feel valued?” was {value}",
                "Fewer than 5 check-ins in this period, so how valued people felt is not shown: "
                "it could identify someone.",
            ),
            targets.felt_valued_min,
            f"at least {_mean(targets.felt_valued_min)}",
        ),
        ask(
            _Question(
                "follow_up_on_time_share",
                percent,
                "valued",
                "Feeling valued and support",
                Better.HIGHER,
                0,
                {
                    Change.BETTER: "More follow-ups were picked up on time than in the previous period",
                    Change.WORSE: "Fewer follow-ups were picked up on time than in the previous period",
                    Change.SAME: "Follow-ups were picked up on time as often as in the previous period",
                },
                f"{{value}} were picked up within {working_days} working days",
                f"{{value}} of follow-ups were picked up within {working_days} working days",
                "Fewer than 5 follow-ups were due in this period, so the share picked up within "
                f"{working_days} working days is not shown.",
            ),
            targets.follow_up_on_time_min,
            f"at least {percent(targets.follow_up_on_time_min)}",
        ),
        ask(
            _Question(
                "paid_on_time_share",
                percent,
                "payments",
                "Payments",
                Better.HIGHER,
                0,
                {
                    Change.BETTER: "More claims were paid on time than in the previous period",
                    Change.WORSE: "Fewer claims were paid on time than in the previous period",
                    Change.SAME: "Claims were paid on time as often as in the previous period",
                },
                f"{{value}} were paid within {pay_days} days",
                f"{{value}} of claims due were paid within {pay_days} days",
                "No claims were due in this period, so there is no figure for payment within "
                f"{pay_days} days.",
            ),
            targets.paid_on_time_min,
            f"at least {percent(targets.paid_on_time_min)}",
        ),
    ]


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _or(value: Any, show: Callable[[Any], str]) -> str:
    return "no figure" if value is None else show(value)


# --- the tables' measures ------------------------------------------------------------------

MEASURE_HEADERS = ["Measure", "This period", "Previous period", "Change", "Better when", "What it means"]


@dataclass(frozen=True)
class Measure:
    label: str
    better: Better
    meaning: str
    places: int = 1  # the precision the table shows, and compares at


def measure_row(measure: Measure, current: Value, previous: Value, target: str = "") -> list[Value]:
    """One row of a section's table: the figure, the previous period's, the change in words
    (never only a colour or an arrow), which way is better, and what the figure means."""
    better = measure.better.value + (f" (target: {target})" if target else "")
    how = change(current, previous, measure.better, measure.places)
    return [measure.label, current, previous, how.value, better, measure.meaning]
