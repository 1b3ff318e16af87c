"""The answers at the top of the dashboard, worked by hand: from numbers (presenters), and from
the hand-worked data set over two periods (the dashboard's own page)."""

import re
from datetime import date

import pytest
import time_machine

from dashboard.presenters import (
    Answer,
    Better,
    Change,
    Headline,
    Measure,
    TargetValues,
    answers,
    change,
    measure_row,
    percent,
)
from dashboard.tests.test_metrics import at, world  # noqa: F401  (the hand-worked data set)
from dashboard.tests.test_metrics_follow_up_target import TODAY, follow_ups, london  # noqa: F401
from dashboard.tests.test_metrics_payments import claims  # noqa: F401  (claims worked out by hand)
from dashboard.tests.test_views import PERIOD, payments_period

TARGETS = TargetValues(
    top_decile_share_max=30,
    first_timers_min=None,
    outcome_on_time_min=90,
    felt_valued_min=4.0,
    follow_up_on_time_min=90,
    paid_on_time_min=90,
    outcome_due_days=28,
    follow_up_working_days=2,
    payment_days=14,
)
EMPTY = Headline(None, None, None, None, None, None)


@pytest.mark.parametrize(
    "now,before,better,expected",
    [
        (33.3, 41.0, Better.LOWER, Change.BETTER),
        (41.0, 33.3, Better.LOWER, Change.WORSE),
        (41.0, 33.3, Better.HIGHER, Change.BETTER),
        (33.3, 41.0, Better.HIGHER, Change.WORSE),
        (33.34, 33.25, Better.HIGHER, Change.SAME),  # both 33.3 as shown
        (5, 5, Better.HIGHER, Change.SAME),
        (5, None, Better.HIGHER, Change.NONE),
        (None, 5, Better.HIGHER, Change.NONE),
        ("fewer than 5", 7, Better.HIGHER, Change.NONE),
        (7, 3, Better.NEITHER, Change.NONE),
    ],
)
def test_better_or_worse_follows_each_measures_direction(now, before, better, expected):
    assert change(now, before, better) is expected


def test_a_table_compares_each_measure_at_the_precision_it_shows():
    """The Gini coefficient shows 3 decimals and the means 2: 0.375 against 0.36 is worse
    (lower is better), 3.83 against 3.8 is better, though both pairs read alike at 1 decimal."""
    gini = Measure("Gini coefficient", Better.LOWER, "", 3)
    mean = Measure("Mean 'felt valued' (1 to 5)", Better.HIGHER, "", 2)
    assert measure_row(gini, 0.375, 0.36)[3] == "Worse"
    assert measure_row(mean, 3.83, 3.8)[3] == "Better"
    assert measure_row(mean, 3.834, 3.826)[3] == "The same"  # both 3.83


def test_percentages_round_half_up_not_to_even():
    assert (percent(32.5), percent(33.3), percent(0), percent(66.7)) == ("33%", "33%", "0%", "67%")


def texts(result: list[Answer]) -> list[str]:
    return [answer.text for answer in result]


def test_every_answer_compares_with_the_previous_period_and_the_target():
    now = Headline(33.3, 12, 75.0, 4.23, 80.0, 95.0)
    before = Headline(41.0, 8, 80.0, 3.9, 80.0, 95.0)
    result = answers(now, before, TargetValues(**{**TARGETS.__dict__, "first_timers_min": 10}))
    assert texts(result) == [
        "Involvement is spread more evenly than in the previous period: the 10% most involved "
        "people took 33% of places (41% in the previous period; the target is under 30%: not met).",
        "More people took part for the first time than in the previous period: 12 people "
        "(8 in the previous period; the target is at least 10 people: met).",
        "Fewer outcomes were fed back on time than in the previous period: 75% of completed "
        "activities due an outcome had one published within 28 days (80% in the previous "
        "period; the target is at least 90%: not met).",
        "People felt more valued than in the previous period: the mean answer to “did you feel "
        "valued?” was 4.2 out of 5 (3.9 out of 5 in the previous period; the target is at least "
        "4.0 out of 5: met).",
        "Follow-ups were picked up on time as often as in the previous period: 80% were picked "
        "up within 2 working days (80% in the previous period; the target is at least 90%: not met).",
        "Claims were paid on time as often as in the previous period: 95% were paid within 14 "
        "days (95% in the previous period; the target is at least 90%: met).",
    ]
    assert [answer.section for answer in result] == [
        "reach",
        "reach",
        "feedback",
        "valued",
        "valued",
        "payments",
    ]
    assert [answer.change for answer in result] == [
        Change.BETTER,
        Change.BETTER,
        Change.WORSE,
        Change.BETTER,
        Change.SAME,
        Change.SAME,
    ]
    assert [answer.target_met for answer in result] == [False, True, False, True, False, True]


def test_a_fairness_target_is_met_only_below_it():
    """ "Under 30%": 30% itself misses it."""
    at_target = answers(Headline(30.0, 1, None, None, None, None), EMPTY, TARGETS)[0]
    assert at_target.target_met is False and at_target.text.endswith("the target is under 30%: not met).")


def test_an_at_least_target_is_met_exactly_at_it():
    """ "At least 90%": 90% itself meets it, and so does exactly 10 people or 4.0 out of 5."""
    at_targets = Headline(None, 10, 90.0, 4.0, 90.0, 90.0)
    result = answers(at_targets, EMPTY, TargetValues(**{**TARGETS.__dict__, "first_timers_min": 10}))
    assert [answer.target_met for answer in result[1:]] == [True] * 5
    assert [answer.text.rsplit(";", 1)[1] for answer in result[1:]] == [
        " the target is at least 10 people: met).",
        " the target is at least 90%: met).",
        " the target is at least 4.0 out of 5: met).",
        " the target is at least 90%: met).",
        " the target is at least 90%: met).",
    ]


def test_a_first_timers_target_of_0_reads_0_people():
    """An administrator may set 0 (the field takes any whole number): the sentence says so."""
    result = answers(
        Headline(None, 3, None, None, None, None),
        EMPTY,
        TargetValues(**{**TARGETS.__dict__, "first_timers_min": 0}),
    )
    assert result[1].text == (
        "3 people took part for the first time (no figure for the previous period; the target is "
        "at least 0 people: met)."
    )


def test_two_figures_shown_the_same_are_the_same_whatever_their_hidden_decimals():
    """33.4% and 33.3% both read 33%, 4.24 and 4.16 both read 4.2 out of 5: the sentence says
    "as evenly", "as valued", never better or worse beside two equal numbers."""
    now = Headline(33.4, None, 66.6, 4.24, 80.4, 95.4)
    before = Headline(33.3, None, 67.4, 4.16, 79.6, 94.6)
    result = answers(now, before, TARGETS)
    assert [answer.change for answer in result] == [
        Change.SAME,
        Change.NONE,
        Change.SAME,
        Change.SAME,
        Change.SAME,
        Change.SAME,
    ]
    assert texts(result)[0] == (
        "Involvement is spread as evenly as in the previous period: the 10% most involved people "
        "took 33% of places (33% in the previous period; the target is under 30%: not met)."
    )
    assert texts(result)[3] == (
        "People felt as valued as in the previous period: the mean answer to “did you feel "
        "valued?” was 4.2 out of 5 (4.2 out of 5 in the previous period; the target is at least "
        "4.0 out of 5: met)."
    )
    assert texts(result)[5] == (
        "Claims were paid on time as often as in the previous period: 95% were paid within 14 "
        "days (95% in the previous period; the target is at least 90%: met)."
    )


@pytest.mark.parametrize(
    "now,before,leads",
    [
        (
            Headline(20.0, 12, 95.0, 4.5, 95.0, 95.0),
            Headline(40.0, 8, 70.0, 3.5, 70.0, 70.0),
            [
                "Involvement is spread more evenly than in the previous period",
                "More people took part for the first time than in the previous period",
                "More outcomes were fed back on time than in the previous period",
                "People felt more valued than in the previous period",
                "More follow-ups were picked up on time than in the previous period",
                "More claims were paid on time than in the previous period",
            ],
        ),
        (
            Headline(40.0, 8, 70.0, 3.5, 70.0, 70.0),
            Headline(20.0, 12, 95.0, 4.5, 95.0, 95.0),
            [
                "Involvement is spread less evenly than in the previous period",
                "Fewer people took part for the first time than in the previous period",
                "Fewer outcomes were fed back on time than in the previous period",
                "People felt less valued than in the previous period",
                "Fewer follow-ups were picked up on time than in the previous period",
                "Fewer claims were paid on time than in the previous period",
            ],
        ),
        (
            Headline(20.0, 8, 70.0, 3.5, 70.0, 70.0),
            Headline(20.0, 8, 70.0, 3.5, 70.0, 70.0),
            [
                "Involvement is spread as evenly as in the previous period",
                "As many people took part for the first time as in the previous period",
                "Outcomes were fed back on time as often as in the previous period",
                "People felt as valued as in the previous period",
                "Follow-ups were picked up on time as often as in the previous period",
                "Claims were paid on time as often as in the previous period",
            ],
        ),
    ],
    ids=["better", "worse", "the same"],
)
def test_each_answer_says_better_worse_or_the_same_in_its_own_words(now, before, leads):
    assert [text.split(":", 1)[0] for text in texts(answers(now, before, TARGETS))] == leads


def test_without_figures_each_answer_says_why_not():
    result = answers(EMPTY, EMPTY, TARGETS)
    assert texts(result) == [
        "No places were taken in this period, so there is no figure for how evenly involvement is spread.",
        "There is no figure for people taking part for the first time.",
        "No completed activity was due an outcome in this period, so there is no figure for "
        "outcomes fed back within 28 days.",
        "Fewer than 5 check-ins in this period, so how valued people felt is not shown: it could "
        "identify someone.",
        "Fewer than 5 follow-ups were due in this period, so the share picked up within 2 "
        "working days is not shown.",
        "No claims were due in this period, so there is no figure for payment within 14 days.",
    ]
    assert {answer.change for answer in result} == {Change.NONE}


def test_a_figure_with_nothing_before_it_says_so():
    result = answers(Headline(50.0, 1, 75.0, 4.0, 80.0, 95.0), EMPTY, TARGETS)
    assert texts(result) == [
        "The 10% most involved people took 50% of places (no figure for the previous period; "
        "the target is under 30%: not met).",
        "1 person took part for the first time (no figure for the previous period; no target set).",
        "75% of completed activities due an outcome had one published within 28 days (no figure "
        "for the previous period; the target is at least 90%: not met).",
        "The mean answer to “did you feel valued?” was 4.0 out of 5 (no figure for the previous "
        "period; the target is at least 4.0 out of 5: met).",
        "80% of follow-ups were picked up within 2 working days (no figure for the previous "
        "period; the target is at least 90%: not met).",
        "95% of claims due were paid within 14 days (no figure for the previous period; the "
        "target is at least 90%: met).",
    ]
    assert {answer.change for answer in result} == {Change.NONE}


@pytest.mark.django_db
def test_the_dashboard_answers_for_the_hand_worked_periods(client, manager, world):  # noqa: F811
    """January to June 2026 against the 181 days before it (4 July to 31 December 2025).

    This period: places A 2, B 1, C 1, D 0, so the 10% most involved (one of four, A) took
    2 of 4 = 50%; A took part for the first time; o1 and o2 had outcomes in 10 and 3 days
    and o4 none (due): 2 of 3 = 67% within 28 days. The previous period: B alone took a place
    (o0, October 2025): 1 of 1 = 100%; B took part for the first time; o0 has no outcome: 0
    of 1 within 28 days. No check-ins, follow-ups or claims in either."""
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD)
    assert page.context["previous_scope"].start == at(7, 4, year=2025).date()
    assert texts(page.context["answers"]) == [
        "Involvement is spread more evenly than in the previous period: the 10% most involved "
        "people took 50% of places (100% in the previous period; the target is under 30%: not met).",
        "As many people took part for the first time as in the previous period: 1 person "
        "(1 in the previous period; no target set).",
        "More outcomes were fed back on time than in the previous period: 67% of completed "
        "activities due an outcome had one published within 28 days (0% in the previous period; "
        "the target is at least 90%: not met).",
        "Fewer than 5 check-ins in this period, so how valued people felt is not shown: it could "
        "identify someone.",
        "Fewer than 5 follow-ups were due in this period, so the share picked up within 2 "
        "working days is not shown.",
        "No claims were due in this period, so there is no figure for payment within 14 days.",
    ]
    html = page.content.decode()
    # Each answer links to its section, which is on the page.
    for section in ("reach", "feedback", "valued", "payments"):
        assert f'href="#{section}"' in html and f'id="{section}"' in html


@pytest.mark.django_db
def test_an_administrators_targets_change_the_answers(client, manager, world):  # noqa: F811
    from dashboard.models import Targets

    targets = Targets.current()
    targets.top_decile_share_max = 60
    targets.save()
    client.force_login(manager)
    first = client.get("/dashboard/", PERIOD).context["answers"][0]
    assert first.text.endswith("(100% in the previous period; the target is under 60%: met).")
    assert first.target_met is True


def section_links(html: str) -> list[tuple[str, str]]:
    """Each answer's link: where it goes, and what it says (less the hidden " figures")."""
    answers_html = html.split('<h2 id="answers-heading">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="#([\w-]+)">See ([^<]*)<span', answers_html)


@pytest.mark.django_db
def test_each_answer_links_to_its_section_by_the_sections_name(client, manager, world):  # noqa: F811
    """The first three answers have figures, the last three say why not: both kinds link to
    their section, named as its heading is."""
    client.force_login(manager)
    html = client.get("/dashboard/", PERIOD).content.decode()
    assert section_links(html) == [
        ("reach", "Reach"),
        ("reach", "Reach"),
        ("feedback", "Feedback loop"),
        ("valued", "Feeling valued and support"),
        ("valued", "Feeling valued and support"),
        ("payments", "Payments"),
    ]
    for heading in ("Reach", "Feedback loop", "Feeling valued and support", "Payments"):
        assert f">{heading}</h2>" in html


@time_machine.travel(TODAY, tick=False)
@pytest.mark.django_db
def test_the_answers_on_feeling_valued_and_follow_ups_come_from_the_check_ins(
    client,
    manager,
    follow_ups,  # noqa: F811
):
    """March to June 2026: five requests for a chat, each from a check-in that felt valued 3
    out of 5, all picked up in time: a mean of 3.0 out of 5 and 100% on time. Nothing in the
    previous period."""
    for _ in range(5):
        follow_ups(date(2026, 3, 10), picked_up_at=london(2026, 3, 9, 10))
    client.force_login(manager)
    period = {**PERIOD, "start_month": "3"}
    result = client.get("/dashboard/", period).context["answers"]
    assert texts(result)[3:5] == [
        "The mean answer to “did you feel valued?” was 3.0 out of 5 (no figure for the previous "
        "period; the target is at least 4.0 out of 5: not met).",
        "100% of follow-ups were picked up within 2 working days (no figure for the previous "
        "period; the target is at least 90%: met).",
    ]


@pytest.mark.django_db
def test_the_answer_on_payment_comes_from_the_claims(client, manager, claims):  # noqa: F811
    """The claims worked by hand (test_metrics_payments): 2 of the 4 due paid within 14 days,
    50%. The previous period, the 121 days before, has g alone, paid after 3 days: 100%."""
    client.force_login(manager)
    result = client.get("/dashboard/", payments_period()).context["answers"]
    assert result[5].text == (
        "Fewer claims were paid on time than in the previous period: 50% were paid within 14 "
        "days (100% in the previous period; the target is at least 90%: not met)."
    )
    assert (result[5].change, result[5].target_met) == (Change.WORSE, False)
