"""The payments figures (docs/metrics.md, Payments) against claims worked out by hand.

Every claim's fee is 2 hours at £11.50 = £23.00. The target is 14 days.

| claim | team, type | activity    | state     | choice           | expenses     | paid after |
|-------|------------|-------------|-----------|------------------|--------------|------------|
| a     | T1, X      | 60 days ago | paid      | full fee £23.00  | £4.50 + £3   | 10 days    |
| b     | T1, X      | 60 days ago | paid      | reduced to £10   |              | 20 days    |
| c     | T2, Y      | 50 days ago | paid      | decline (£0)     |              | 14 days    |
| d     | T2, Y      | 40 days ago | approved  | full fee         |              | not yet    |
| e1-e5 | T1, X      | 5 days ago  | submitted | full fee         |              | not yet    |
| f     | T1, X      | 5 days ago  | draft     | full fee         |              | not yet    |
| g     | T1, X      | 200 days ago, outside the period: counted nowhere             |

Paid: days 10, 14 and 20, so the median is 14. Due (paid, or unpaid past the target): a, b,
c, d; paid within 14 days: a and c, so 50%. Sent (all but drafts): 9; declined: c, 11.1%.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.tests.factories import ActivityTypeFactory, TeamFactory
from dashboard.metrics import Scope, payments
from payments.models import Claim, FeeChoice
from payments.services import (
    ChoiceData,
    ExpenseData,
    batch_mark_paid,
    claim_approve,
    claim_choose,
    claim_submit,
    expense_add,
    export_batch_create,
)
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PERIOD = Scope(start=TODAY - timedelta(days=120), end=TODAY)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def rep():
    return person(roles=[Role.REPRESENTATIVE])


def submitted(claim: Claim, *, choice: ChoiceData | None = None) -> Claim:
    if choice:
        claim_choose(claim=claim, by=claim.person, data=choice)
    return claim_submit(claim=claim, by=claim.person)


def paid_after(claim: Claim, days: int, finance) -> Claim:
    claim_approve(claim=claim, by=claim.opportunity.lead_worker)
    batch_mark_paid(
        batch=export_batch_create(by=finance), on=claim.activity_date + timedelta(days=days), by=finance
    )
    claim.refresh_from_db()
    return claim


@pytest.fixture
def claims(finance_officer):
    t1, t2 = TeamFactory(name="T1"), TeamFactory(name="T2")
    x, y = ActivityTypeFactory(name="X"), ActivityTypeFactory(name="Y")
    old = held_opportunity(starts_at=days_ago(60), team=t1, activity_type=x, places=5)
    later = held_opportunity(starts_at=days_ago(50), team=t2, activity_type=y, places=5)
    recent = held_opportunity(starts_at=days_ago(40), team=t2, activity_type=y, places=5)
    new = held_opportunity(starts_at=days_ago(5), team=t1, activity_type=x, places=8)
    outside = held_opportunity(starts_at=days_ago(200), team=t1, activity_type=x, places=2)

    a = attended_claim(person=rep(), opportunity=old)
    expense_add(claim=a, by=a.person, data=ExpenseData(kind="mileage", miles=Decimal("10"), vehicle="car"))
    expense_add(claim=a, by=a.person, data=ExpenseData(kind="parking", amount=Decimal("3.00")))
    paid_after(submitted(a), 10, finance_officer)
    b = attended_claim(person=rep(), opportunity=old)
    reduced = ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("10"))
    paid_after(submitted(b, choice=reduced), 20, finance_officer)
    c = attended_claim(person=rep(), opportunity=later)
    paid_after(submitted(c, choice=ChoiceData(choice=FeeChoice.DECLINE)), 14, finance_officer)
    g = attended_claim(person=rep(), opportunity=outside)
    paid_after(submitted(g), 3, finance_officer)
    # Approved after the last export, so still waiting for the next one.
    d = submitted(attended_claim(person=rep(), opportunity=recent))
    claim_approve(claim=d, by=d.opportunity.lead_worker)
    for _ in range(5):
        submitted(attended_claim(person=rep(), opportunity=new))
    attended_claim(person=rep(), opportunity=new)
    return {"t1": t1, "t2": t2, "x": x, "y": y}


def money(text: str) -> Decimal:
    return Decimal(text)


def test_the_payments_figures_for_the_period(claims):
    figures = payments(PERIOD, target_days=14)

    assert figures["by_status"] == [
        {
            "state": "Not sent yet",
            "claims": "fewer than 5",
            "fees": money("23.00"),
            "expenses": money("0.00"),
        },
        {"state": "Waiting for approval", "claims": 5, "fees": money("115.00"), "expenses": money("0.00")},
        {"state": "Returned to you to change", "claims": 0, "fees": money("0.00"), "expenses": money("0.00")},
        {"state": "Approved", "claims": "fewer than 5", "fees": money("23.00"), "expenses": money("0.00")},
        {"state": "With finance", "claims": 0, "fees": money("0.00"), "expenses": money("0.00")},
        {"state": "Paid", "claims": "fewer than 5", "fees": money("33.00"), "expenses": money("7.50")},
    ]
    assert figures["by_team"] == [
        {
            "name": "T1",
            "claims": "fewer than 5",
            "fees": money("33.00"),
            "expenses": money("7.50"),
            "total": money("40.50"),
        },
        {
            "name": "T2",
            "claims": "fewer than 5",
            "fees": money("0.00"),
            "expenses": money("0.00"),
            "total": money("0.00"),
        },
    ]
    assert [(row["name"], row["total"]) for row in figures["by_type"]] == [
        ("X", money("40.50")),
        ("Y", money("0.00")),
    ]
    assert figures["median_days_to_pay"] == 14.0
    assert figures["paid_in_time_share"] == 50.0
    assert figures["declined_share"] == 11.1
    assert figures["target_days"] == 14


def test_the_team_and_type_filters_apply_to_the_payments_figures(claims):
    team = payments(Scope(start=PERIOD.start, end=PERIOD.end, team_id=claims["t2"].pk), target_days=14)
    # c (paid after 14 days, declined) and d (approved, past the target).
    assert team["median_days_to_pay"] == 14.0
    assert team["paid_in_time_share"] == 50.0
    assert team["declined_share"] == 50.0
    assert [row["name"] for row in team["by_team"]] == ["T2"]

    kind = payments(
        Scope(start=PERIOD.start, end=PERIOD.end, activity_type_id=claims["x"].pk), target_days=14
    )
    # a (10 days) and b (20 days) paid; the median of two is their mean.
    assert kind["median_days_to_pay"] == 15.0
    assert kind["paid_in_time_share"] == 50.0
    assert kind["declined_share"] == 0.0


def test_a_longer_target_counts_more_claims_as_paid_in_time(claims):
    # With 20 days, a, b and c are in time; d (40 days ago) is still late.
    assert payments(PERIOD, target_days=20)["paid_in_time_share"] == 75.0


def test_a_claim_paid_before_its_target_day_counts_at_once(finance_officer):
    """Paid 3 days after an activity 5 days ago: due (it is paid) and in time, though its
    14th day has not come: 1 of 1, 100%, not "no figure"."""
    claim = attended_claim(person=rep(), opportunity=held_opportunity(starts_at=days_ago(5)))
    paid_after(submitted(claim), 3, finance_officer)
    assert payments(PERIOD, target_days=14)["paid_in_time_share"] == 100.0


def test_a_decline_not_yet_sent_is_not_counted_as_declined(db):
    """Sent: 2 claims, 1 of them declined, 50%. A draft whose person has chosen to decline
    is counted nowhere: they may still change their mind before sending it."""
    submitted(attended_claim(person=rep()), choice=ChoiceData(choice=FeeChoice.DECLINE))
    submitted(attended_claim(person=rep()))
    draft = attended_claim(person=rep())
    claim_choose(claim=draft, by=draft.person, data=ChoiceData(choice=FeeChoice.DECLINE))
    assert payments(PERIOD, target_days=14)["declined_share"] == 50.0


def test_with_no_claims_the_figures_say_there_is_nothing(db):
    figures = payments(PERIOD, target_days=14)
    assert figures["median_days_to_pay"] is None
    assert figures["paid_in_time_share"] is None
    assert figures["declined_share"] is None
    assert figures["by_team"] == [] and figures["by_type"] == []
    assert all(row["claims"] == 0 for row in figures["by_status"])


def test_a_period_that_has_ended_counts_no_claim_for_an_activity_after_it(claims):
    # From 120 to 45 days ago: a, b (60 days ago) and c (50); not d (40), e1-e5 or f (5).
    ended = payments(Scope(start=TODAY - timedelta(days=120), end=TODAY - timedelta(days=45)), target_days=14)
    assert [(row["state"], row["claims"]) for row in ended["by_status"]] == [
        ("Not sent yet", 0),
        ("Waiting for approval", 0),
        ("Returned to you to change", 0),
        ("Approved", 0),
        ("With finance", 0),
        ("Paid", "fewer than 5"),
    ]
    assert ended["declined_share"] == 33.3  # c of the three sent
