"""Every table on the dashboard, as (headers, rows): the page and the CSV exports share them.
A section's measures each come with the previous period's figure, the change in words, the
better direction (and target) and a one-line meaning (docs/metrics.md has the full
definitions, on /dashboard/definitions/)."""

from dashboard.metrics import Impact
from dashboard.models import Targets
from dashboard.presenters import MEASURE_HEADERS, Better, Measure, Value, measure_row

Table = tuple[list[str], list[list[Value]]]

H, L, N = Better.HIGHER, Better.LOWER, Better.NEITHER


def _rows(now: dict, before: dict, measures: list[tuple[str, Measure, str]]) -> Table:
    return (
        MEASURE_HEADERS,
        [measure_row(measure, now[key], before[key], target) for key, measure, target in measures],
    )


def measure_tables(figures: dict, previous: dict, targets: Targets) -> dict[str, Table]:
    due_days = figures["feedback"]["outcome_due_days"]
    working_days = figures["valued"]["follow_up_target_days"]
    pay_days = figures["payments"]["target_days"]
    first_timers = f"at least {targets.first_timers_min}" if targets.first_timers_min is not None else ""
    return {
        "reach": _rows(
            figures["reach"],
            previous["reach"],
            [
                (
                    "active",
                    Measure(
                        "Active representatives",
                        N,
                        "People with the Representative role whose account is open.",
                        0,
                    ),
                    "",
                ),
                (
                    "involved_share",
                    Measure(
                        "Involved at least once in the 6 months to the period's end (%)",
                        H,
                        "Of active representatives, the share who attended something in those 6 months.",
                    ),
                    "",
                ),
                (
                    "first_timers",
                    Measure(
                        "First-time participants",
                        H,
                        "People who took part in this period and never before.",
                        0,
                    ),
                    first_timers,
                ),
                (
                    "invited_first_timers",
                    Measure(
                        "First-timers who came through an invitation",
                        H,
                        "Sign-ups by people new to involvement, made after an invitation to that activity.",
                        0,
                    ),
                    "",
                ),
                (
                    "top_decile_share",
                    Measure(
                        "Share of places taken by the 10% most involved (%)",
                        L,
                        "10% would mean everyone took part equally; 100% means they took every place.",
                    ),
                    f"under {targets.top_decile_share_max}%",
                ),
                (
                    "gini",
                    Measure(
                        "Gini coefficient of places per active representative",
                        L,
                        "0 means everyone took part equally, 1 means one person took every place.",
                        3,
                    ),
                    "",
                ),
            ],
        ),
        "activity": _rows(
            figures["activity"],
            previous["activity"],
            [
                (
                    "opportunities",
                    Measure(
                        "Opportunities",
                        N,
                        "Activities whose first session is in the period (drafts left out).",
                        0,
                    ),
                    "",
                ),
                (
                    "places_offered",
                    Measure("Places offered", N, "Places on activities that went ahead.", 0),
                    "",
                ),
                ("places_taken", Measure("Places taken", N, "Of those, the places people took.", 0), ""),
                ("fill_rate", Measure("Fill rate (%)", H, "Places taken out of places offered.", 1), ""),
                (
                    "cancelled",
                    Measure(
                        "Cancelled opportunities", L, "Activities cancelled after they were published.", 0
                    ),
                    "",
                ),
                (
                    "no_show_rate",
                    Measure(
                        "No-show rate (%)",
                        L,
                        "Of those expected, the share who did not come (never held against them).",
                    ),
                    "",
                ),
            ],
        ),
        "feedback": _rows(
            figures["feedback"],
            previous["feedback"],
            [
                (
                    "completed",
                    Measure("Completed opportunities", N, "Activities in the period that have finished.", 0),
                    "",
                ),
                (
                    "outcome_share",
                    Measure(
                        "With a published outcome (%)",
                        H,
                        "Of completed activities, the share whose “You said, we did” is published.",
                    ),
                    "",
                ),
                (
                    "on_time_share",
                    Measure(
                        f"Outcome published within {due_days} days (%)",
                        H,
                        f"Of completed activities due an outcome, the share out within {due_days} days.",
                    ),
                    f"at least {targets.outcome_on_time_min}%",
                ),
                (
                    "median_days_to_outcome",
                    Measure(
                        "Median days from last session to outcome",
                        L,
                        "Half of the outcomes were published sooner than this, half later.",
                    ),
                    "",
                ),
                (
                    "overdue",
                    Measure(
                        "Outcomes overdue",
                        L,
                        f"Completed activities over {due_days} days past their end, with no outcome yet.",
                        0,
                    ),
                    "",
                ),
            ],
        ),
        "valued": _rows(
            figures["valued"],
            previous["valued"],
            [
                (
                    "check_ins",
                    Measure(
                        "Check-ins submitted", N, "Answers to the questions asked after each activity.", 0
                    ),
                    "",
                ),
                (
                    "mean_felt_valued",
                    Measure(
                        "Mean 'felt valued' (1 to 5)",
                        H,
                        "The average answer to “did you feel valued?”: 1 not at all, 5 very much.",
                        2,
                    ),
                    f"at least {targets.felt_valued_min}",
                ),
                (
                    "mean_how_it_went",
                    Measure(
                        "Mean 'how it went' (1 to 5)",
                        H,
                        "The average answer to “how did it go?”: 1 badly, 5 very well.",
                        2,
                    ),
                    "",
                ),
                (
                    "follow_ups",
                    Measure(
                        "Follow-ups requested",
                        N,
                        "Check-ins asking for a chat with an involvement worker.",
                        0,
                    ),
                    "",
                ),
                (
                    "median_hours_to_follow_up",
                    Measure(
                        "Median hours to follow-up",
                        L,
                        "Half of the chats asked for were closed sooner than this, half later.",
                    ),
                    "",
                ),
                (
                    "picked_up_in_time_share",
                    Measure(
                        f"Picked up within {working_days} working days (%)",
                        H,
                        f"Of follow-ups due, the share first answered within {working_days} working days.",
                    ),
                    f"at least {targets.follow_up_on_time_min}%",
                ),
            ],
        ),
        "payments": _rows(
            figures["payments"],
            previous["payments"],
            [
                (
                    "median_days_to_pay",
                    Measure(
                        "Median days from the activity to payment",
                        L,
                        "Half of the claims paid were paid sooner than this, half later.",
                    ),
                    "",
                ),
                (
                    "paid_in_time_share",
                    Measure(
                        f"Paid within {pay_days} days (%)",
                        H,
                        f"Of claims due, the share paid within {pay_days} days of the activity.",
                    ),
                    f"at least {targets.paid_on_time_min}%",
                ),
                (
                    "declined_share",
                    Measure(
                        "Claims where the person chose not to be paid (%)",
                        N,
                        "A person's own choice: neither better nor worse.",
                    ),
                    "",
                ),
            ],
        ),
    }


def breakdown_tables(figures: dict) -> dict[str, Table]:
    """Tables of one period only: breakdowns, the trend and the payments' amounts."""
    payments_ = figures["payments"]

    def paid_by(first: str, rows: list[dict]) -> Table:
        return (
            [first, "Claims paid", "Fees (£)", "Expenses (£)", "Total (£)"],
            [[row["name"], row["claims"], row["fees"], row["expenses"], row["total"]] for row in rows],
        )

    return {
        **{
            f"who_we_reach_{group['field']}": (
                [
                    group["name"],
                    "Involved in the period",
                    "Involved (%)",
                    "All registered",
                    "Registered (%)",
                    "Population served (%)",
                ],
                [
                    [
                        row["category"],
                        row["involved"],
                        row["involved_share"],
                        row["registered"],
                        row["registered_share"],
                        "No figure entered" if row["population"] is None else row["population"],
                    ]
                    for row in group["rows"]
                ],
            )
            for group in figures["who_we_reach"]
        },
        "activity_by_type": (
            ["Type of activity", "Involvement level", "Opportunities"],
            [[row["type"], row["level"], row["count"]] for row in figures["activity"]["by_type"]],
        ),
        "trend": (
            ["Month", "Places taken", "People taking part", "Outcomes published"],
            [
                [row["month"].strftime("%B %Y"), row["places"], row["people"], row["outcomes"]]
                for row in figures["trend"]
            ],
        ),
        "payments_by_status": (
            ["Status", "Claims", "Fees (£)", "Expenses (£)"],
            [[row["state"], row["claims"], row["fees"], row["expenses"]] for row in payments_["by_status"]],
        ),
        "paid_by_team": paid_by("Team", payments_["by_team"]),
        "paid_by_type": paid_by("Type of activity", payments_["by_type"]),
        "impact": impact_table(figures["impact"]),
    }


def impact_table(impact: list[Impact]) -> Table:
    return (
        ["Team", "Type of activity", "Activity", "You said", "We did", "Published"],
        [
            [row.team, row.activity_type, row.title, row.you_said, row.we_did, f"{row.published:%d %B %Y}"]
            for row in impact
        ],
    )
