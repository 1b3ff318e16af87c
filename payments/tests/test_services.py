"""Payments' services at their edges: the fee a rate gives, who may approve, the order of
states, the export, payment by hand and from finance's file."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import RateUnit
from opportunities.models import SignUp
from payments.models import Claim, ClaimEvent, FeeChoice
from payments.services import (
    ChoiceData,
    ClaimError,
    ExpenseData,
    batch_mark_paid,
    claim_adjust_fee,
    claim_approve,
    claim_choose,
    claim_open,
    claim_return,
    claim_submit,
    claims_open,
    expense_add,
    export_batch_create,
    fee_for,
    paid_file_record,
)
from payments.tests.factories import attended_claim, held_opportunity, rate_card

pytestmark = pytest.mark.django_db


def hour_fee(hours: str, preparation: str = "0") -> Decimal:
    return fee_for(
        unit=RateUnit.HOUR,
        amount=Decimal("11.50"),
        block_hours=None,
        preparation_hours=Decimal(preparation),
        hours=Decimal(hours),
    )


def block_fee(hours: str) -> Decimal:
    return fee_for(
        unit=RateUnit.BLOCK,
        amount=Decimal("20"),
        block_hours=Decimal("3"),
        preparation_hours=Decimal("0"),
        hours=Decimal(hours),
    )


def test_an_hourly_rate_pays_each_hour_and_the_preparation_it_adds():
    assert hour_fee("2") == Decimal("23.00")
    assert hour_fee("2", preparation="1") == Decimal("34.50")
    assert hour_fee("1.25") == Decimal("14.38")  # 14.375 rounds half up to the penny


def test_a_block_rate_pays_each_block_begun():
    assert block_fee("3") == Decimal("20.00")
    assert block_fee("3.01") == Decimal("40.00")
    assert block_fee("0.5") == Decimal("20.00")


def test_a_fixed_fee_is_the_same_however_long_and_no_time_is_no_fee():
    fixed = dict(unit=RateUnit.FIXED, amount=Decimal("495"), block_hours=None, preparation_hours=Decimal(0))
    assert fee_for(**fixed, hours=Decimal("7")) == Decimal("495.00")
    assert fee_for(**fixed, hours=Decimal("0")) == Decimal("0.00")


def test_a_claim_takes_the_rate_promised_not_the_rate_today(representative):
    card = rate_card(
        name="Changing", amount="10.00", effective_from=timezone.localdate() - timedelta(days=100)
    )
    opportunity = held_opportunity(card=card, hours=3)
    # A later, higher rate on the same card: the opportunity was published at £10.
    rate_card(name="Changing", amount="12.00", effective_from=timezone.localdate() - timedelta(days=5))
    claim = attended_claim(person=representative, opportunity=opportunity)
    assert claim.fee == Decimal("30.00")


def test_an_unpaid_activity_opens_a_claim_for_expenses_only(representative):
    claim = attended_claim(person=representative, is_paid=False)
    assert claim.fee == Decimal("0.00") and claim.hours == Decimal("2.00")


def test_the_claim_starts_with_the_persons_usual_choice(representative):
    representative.profile.payment_preference = "charity"
    representative.profile.save()
    assert attended_claim(person=representative).choice == FeeChoice.CHARITY


def test_claims_open_only_for_attended_sign_ups_of_activities_that_have_ended(representative, outsider):
    claim = attended_claim(person=representative)
    opportunity = claim.opportunity
    claim.delete()
    missed = SignUp.objects.create(
        opportunity=opportunity, person=outsider, state=SignUp.State.NO_SHOW, place_number=2
    )
    assert claims_open(now=opportunity.ends_at - timedelta(minutes=1)) == 0
    assert claims_open(now=opportunity.ends_at + timedelta(minutes=1)) == 1
    assert claim_open(signup=missed) is None
    assert list(Claim.objects.values_list("person", flat=True)) == [representative.pk]


def test_only_the_lead_worker_or_a_manager_approves_and_never_their_own_claim(
    representative, worker, manager
):
    claim = attended_claim(person=representative)
    claim_submit(claim=claim, by=representative)
    # `worker` is the representative's named worker: they see the claim, they do not approve it.
    with pytest.raises(ClaimError, match="lead worker or a manager"):
        claim_approve(claim=claim, by=worker)
    claim_approve(claim=claim, by=manager)
    assert Claim.objects.get(pk=claim.pk).approved_by == manager

    # A worker who also claims (a representative later employed) cannot approve their own.
    lead_and_claimant = person(roles=[Role.WORKER, Role.REPRESENTATIVE])
    own = attended_claim(person=lead_and_claimant, lead_worker=lead_and_claimant)
    claim_submit(claim=own, by=lead_and_claimant)
    with pytest.raises(ClaimError):
        claim_approve(claim=own, by=lead_and_claimant)


def test_a_draft_cannot_be_approved_and_an_approved_claim_not_changed(representative):
    claim = attended_claim(person=representative)
    lead = claim.opportunity.lead_worker
    with pytest.raises(ClaimError, match="cannot be changed that way"):
        claim_approve(claim=claim, by=lead)
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=lead)
    with pytest.raises(ClaimError, match="already been approved"):
        claim_approve(claim=claim, by=lead)
    with pytest.raises(ClaimError, match="no longer be changed"):
        claim_choose(claim=claim, by=representative, data=ChoiceData(choice=FeeChoice.DECLINE))
    with pytest.raises(ClaimError, match="cannot change once"):
        claim_adjust_fee(claim=claim, by=lead, fee=Decimal("1"), reason="Late")


def test_every_change_of_state_is_recorded_with_who_made_it(representative):
    claim = attended_claim(person=representative)
    lead = claim.opportunity.lead_worker
    claim_submit(claim=claim, by=representative)
    claim_return(claim=claim, by=lead, reason="Add the parking receipt")
    claim_submit(claim=claim, by=representative)
    claim_approve(claim=claim, by=lead)
    events = list(ClaimEvent.objects.filter(claim=claim).values_list("from_state", "to_state", "actor"))
    assert events == [
        ("draft", "submitted", representative.pk),
        ("submitted", "returned", lead.pk),
        ("returned", "submitted", representative.pk),
        ("submitted", "approved", lead.pk),
    ]


def test_returning_needs_a_reason_and_adjusting_needs_a_reason_and_a_sane_fee(representative):
    claim = attended_claim(person=representative)
    lead = claim.opportunity.lead_worker
    claim_submit(claim=claim, by=representative)
    with pytest.raises(ClaimError, match="Say what needs to change"):
        claim_return(claim=claim, by=lead, reason="  ")
    with pytest.raises(ClaimError, match="Give a reason"):
        claim_adjust_fee(claim=claim, by=lead, fee=Decimal("30"), reason="")
    with pytest.raises(ClaimError, match="less than £0"):
        claim_adjust_fee(claim=claim, by=lead, fee=Decimal("-1"), reason="Typo")
    with pytest.raises(ClaimError, match="£5,000 or less"):
        claim_adjust_fee(claim=claim, by=lead, fee=Decimal("100000"), reason="Typo")
    claim_adjust_fee(claim=claim, by=lead, fee=Decimal("34.50"), reason="The meeting ran an hour over")
    claim.refresh_from_db()
    assert claim.fee == Decimal("34.50") and claim.calculated_fee == Decimal("23.00")


def test_the_persons_choice_decides_what_is_paid_and_what_counts_as_earnings(representative):
    claim = attended_claim(person=representative)  # a £23.00 fee
    expected = {
        FeeChoice.FULL_FEE: (Decimal("23.00"), Decimal("23.00")),
        FeeChoice.DECLINE: (Decimal("0.00"), Decimal("0.00")),
        FeeChoice.CHARITY: (Decimal("23.00"), Decimal("0.00")),
        FeeChoice.VOUCHER: (Decimal("23.00"), Decimal("23.00")),
    }
    for choice, (payable, earnings) in expected.items():
        claim = claim_choose(
            claim=claim, by=representative, data=ChoiceData(choice=choice, charity_name="Mind")
        )
        assert (claim.fee_payable, claim.earnings) == (payable, earnings), choice
    claim = claim_choose(
        claim=claim,
        by=representative,
        data=ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("5")),
    )
    assert (claim.fee_payable, claim.earnings) == (Decimal("5.00"), Decimal("5.00"))


@pytest.mark.parametrize(
    "data, field",
    [
        (ChoiceData(choice=FeeChoice.REDUCED_FEE), "reduced_amount"),
        (ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("-1")), "reduced_amount"),
        (ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("23.01")), "reduced_amount"),
        (ChoiceData(choice=FeeChoice.CHARITY, charity_name=" "), "charity_name"),
        (ChoiceData(choice="cash in hand"), "choice"),
    ],
)
def test_a_choice_that_makes_no_sense_is_refused_beside_its_field(representative, data, field):
    claim = attended_claim(person=representative)
    with pytest.raises(ClaimError) as refused:
        claim_choose(claim=claim, by=representative, data=data)
    assert refused.value.field == field


def test_expenses_are_refused_when_they_make_no_sense(representative, outsider):
    claim = attended_claim(person=representative)
    refusals = [
        (ExpenseData(kind="parking", amount=Decimal("-2")), "amount"),
        (ExpenseData(kind="parking"), "amount"),
        (ExpenseData(kind="parking", amount=Decimal("1000.01")), "amount"),
        (ExpenseData(kind="mileage", miles=Decimal("100000"), vehicle="car"), "miles"),
        (ExpenseData(kind="mileage", miles=Decimal("0"), vehicle="car"), "miles"),
        (ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="bicycle", passengers=1), "passengers"),
        (ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="hovercraft"), "vehicle"),
        (ExpenseData(kind="meal", amount=Decimal("10.01")), "amount"),
        (ExpenseData(kind="champagne", amount=Decimal("1")), "kind"),
    ]
    for data, field in refusals:
        with pytest.raises(ClaimError) as refused:
            expense_add(claim=claim, by=representative, data=data)
        assert refused.value.field == field, data
    with pytest.raises(ClaimError, match="Only the person claiming"):
        expense_add(claim=claim, by=outsider, data=ExpenseData(kind="parking", amount=Decimal("2")))
    assert not claim.expenses.exists()


def test_meals_are_repaid_up_to_the_days_limit_across_lines(representative):
    claim = attended_claim(person=representative)
    expense_add(claim=claim, by=representative, data=ExpenseData(kind="meal", amount=Decimal("6")))
    with pytest.raises(ClaimError, match="£4.00 is left"):
        expense_add(claim=claim, by=representative, data=ExpenseData(kind="meal", amount=Decimal("4.01")))
    expense_add(claim=claim, by=representative, data=ExpenseData(kind="meal", amount=Decimal("4")))


def _approved(person_, **fields) -> Claim:
    claim = attended_claim(person=person_, **fields)
    claim_submit(claim=claim, by=person_)
    return claim_approve(claim=claim, by=claim.opportunity.lead_worker)


def test_an_export_takes_every_approved_claim_once(representative, outsider, finance_officer):
    first, second = _approved(representative), _approved(outsider)
    draft = attended_claim(person=representative)
    batch = export_batch_create(by=finance_officer)
    assert set(batch.claims.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert batch.claim_count == 2 and batch.total == Decimal("46.00")
    assert Claim.objects.get(pk=draft.pk).batch is None
    with pytest.raises(ClaimError, match="no approved claims"):
        export_batch_create(by=finance_officer)


def test_marking_a_batch_paid_twice_pays_once_and_keeps_the_first_date(representative, finance_officer):
    _approved(representative)
    batch = export_batch_create(by=finance_officer)
    yesterday = timezone.localdate() - timedelta(days=1)
    assert batch_mark_paid(batch=batch, on=yesterday, by=finance_officer) == 1
    assert batch_mark_paid(batch=batch, on=timezone.localdate(), by=finance_officer) == 0
    assert Claim.objects.get(batch=batch).paid_on == yesterday
    with pytest.raises(ClaimError, match="future"):
        batch_mark_paid(batch=batch, on=timezone.localdate() + timedelta(days=1), by=finance_officer)


def test_finances_file_pays_what_it_can_and_reports_each_line_it_cannot(
    representative, outsider, finance_officer
):
    exported = _approved(representative)
    export_batch_create(by=finance_officer)
    approved_only = _approved(outsider)
    content = (
        "claim,paid_on\n"
        f"{exported.pk},{timezone.localdate():%d/%m/%Y}\n"
        f"{approved_only.pk},{timezone.localdate().isoformat()}\n"
        "999999,2026-01-01\n"
        f"{exported.pk},not a date\n"
    )
    result = paid_file_record(content=content, by=finance_officer)
    assert result.paid == 1
    assert [problem.split(":")[0] for problem in result.problems] == ["Line 3", "Line 4", "Line 5"]
    assert "has not been exported" in result.problems[0]
    assert Claim.objects.get(pk=exported.pk).state == Claim.State.PAID
    assert Claim.objects.get(pk=approved_only.pk).state == Claim.State.APPROVED
    with pytest.raises(ClaimError, match="header row"):
        paid_file_record(content="id,date\n1,2026-01-01\n", by=finance_officer)


def test_a_paid_activity_published_without_a_rate_needs_its_fee_set_before_approval(representative):
    claim = attended_claim(person=representative, fee_amount=None)
    lead = claim.opportunity.lead_worker
    assert claim.fee == Decimal("0.00")
    claim_submit(claim=claim, by=representative)
    with pytest.raises(ClaimError, match="fee is not set"):
        claim_approve(claim=claim, by=lead)
    claim_adjust_fee(claim=claim, by=lead, fee=Decimal("25"), reason="The advert said £25 for the session")
    assert claim_approve(claim=claim, by=lead).fee == Decimal("25.00")


def _sent_claim(someone, *, day: int, hours: float, **fields) -> Claim:
    starts = timezone.make_aware(datetime(2026, 11, day, 10, 0))
    claim = attended_claim(person=someone, starts_at=starts, hours=hours, **fields)
    return claim_submit(claim=claim, by=someone)


def test_paid_hours_past_the_monthly_cap_are_flagged_for_the_approver(representative):
    # The seeded policy caps paid hours at 30 a calendar month.
    _sent_claim(representative, day=2, hours=20)
    within = _sent_claim(representative, day=5, hours=10)
    assert within.over_hours_cap is False  # exactly 30 hours
    over = _sent_claim(representative, day=9, hours=0.5)
    assert over.over_hours_cap is True
    # Hours not paid (the fee declined) do not count, and another month starts afresh.
    declined = attended_claim(
        person=representative, starts_at=timezone.make_aware(datetime(2026, 11, 11, 10, 0)), hours=3
    )
    claim_choose(claim=declined, by=representative, data=ChoiceData(choice=FeeChoice.DECLINE))
    assert claim_submit(claim=declined, by=representative).over_hours_cap is False
    october = attended_claim(
        person=representative, starts_at=timezone.make_aware(datetime(2026, 10, 30, 10, 0)), hours=2
    )
    assert claim_submit(claim=october, by=representative).over_hours_cap is False
