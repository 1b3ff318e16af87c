"""The person's part of a claim at its edges, as mutation testing of claims.py reaches them
(docs/testing.md): each refusal word for word and beside its field, and the amounts, miles and
passengers exactly at their bounds."""

from decimal import Decimal

import pytest

from payments.models import Claim, FeeChoice
from payments.services import ChoiceData, ClaimError, ExpenseData, claim_choose, claim_submit, expense_add
from payments.tests.factories import attended_claim
from payments.tests.receipts import receipt_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(representative) -> Claim:
    """A draft claim with a fee of £23.00 (2 hours at £11.50), on a day with the seeded policy
    (45p a mile, meals up to £10 a day)."""
    return attended_claim(person=representative)


def refusal(call) -> tuple[str, str | None]:
    with pytest.raises(ClaimError) as refused:
        call()
    return refused.value.message, refused.value.field


@pytest.mark.parametrize(
    ("data", "words", "field"),
    [
        (ChoiceData(choice="cash"), "Choose what you would like done with the fee.", "choice"),
        (
            ChoiceData(choice=FeeChoice.REDUCED_FEE),
            "Enter the amount you would like, in pounds and pence.",
            "reduced_amount",
        ),
        (
            ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("0")),
            "The amount must be more than £0. To take nothing, choose “No payment, thank you”.",
            "reduced_amount",
        ),
        (
            ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal("23.01")),
            "The amount must be no more than the fee, £23.00.",
            "reduced_amount",
        ),
        (
            ChoiceData(choice=FeeChoice.CHARITY, charity_name=" "),
            "Enter the name of the charity.",
            "charity_name",
        ),
    ],
)
def test_each_refusal_of_the_choice_about_the_fee_says_why_beside_its_field(
    claim, representative, data, words, field
):
    assert refusal(lambda: claim_choose(claim=claim, by=representative, data=data)) == (words, field)


@pytest.mark.parametrize("amount", ["0.50", "23.00"])
def test_a_smaller_amount_may_be_as_little_as_a_penny_more_than_nothing_or_exactly_the_fee(
    claim, representative, amount
):
    data = ChoiceData(choice=FeeChoice.REDUCED_FEE, reduced_amount=Decimal(amount))
    assert claim_choose(claim=claim, by=representative, data=data).fee_payable == Decimal(amount)


@pytest.mark.parametrize(
    ("data", "words", "field"),
    [
        (ExpenseData(kind="taxi", amount=Decimal("5")), "Choose the kind of expense.", "kind"),
        (ExpenseData(kind="parking"), "Enter the amount, in pounds and pence.", "amount"),
        (ExpenseData(kind="parking", amount=Decimal("0")), "The amount must be more than £0.", "amount"),
        (
            ExpenseData(kind="parking", amount=Decimal("1000.01")),
            "The amount must be £1,000 or less. For more, talk to the involvement team.",
            "amount",
        ),
        (
            ExpenseData(kind="meal", amount=Decimal("10.01")),
            "Meals are repaid up to £10.00 for a day: £10.00 is left on this claim.",
            "amount",
        ),
        (
            ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="boat"),
            "Choose how you travelled.",
            "vehicle",
        ),
        (
            ExpenseData(kind="mileage", vehicle="car"),
            "Enter the miles you travelled, for example 12.5.",
            "miles",
        ),
        (
            ExpenseData(kind="mileage", miles=Decimal("1000.1"), vehicle="car"),
            "Enter 1,000 miles or fewer for one activity.",
            "miles",
        ),
        (
            ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="car", passengers=9),
            "Enter between 0 and 8 passengers.",
            "passengers",
        ),
        (
            ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="car", passengers=-1),
            "Enter between 0 and 8 passengers.",
            "passengers",
        ),
        (
            ExpenseData(kind="mileage", miles=Decimal("3"), vehicle="motorcycle", passengers=1),
            "Passengers are paid only in a car or van.",
            "passengers",
        ),
    ],
)
def test_each_refusal_of_an_expense_says_why_beside_its_field(claim, representative, data, words, field):
    assert refusal(lambda: expense_add(claim=claim, by=representative, data=data)) == (words, field)
    assert not claim.expenses.exists()


def test_only_the_person_may_change_their_claim_and_only_until_it_is_sent(claim, representative, outsider):
    parking = ExpenseData(kind="parking", amount=Decimal("2"))
    assert refusal(lambda: expense_add(claim=claim, by=outsider, data=parking)) == (
        "Only the person claiming can change this claim.",
        None,
    )
    claim_submit(claim=claim, by=representative)
    assert refusal(lambda: expense_add(claim=claim, by=representative, data=parking)) == (
        "This claim has been sent, so it can no longer be changed. "
        "Contact the involvement team if something is wrong.",
        None,
    )


@pytest.mark.parametrize(
    ("data", "amount"),
    [
        (ExpenseData(kind="parking", amount=Decimal("0.50")), Decimal("0.50")),
        (ExpenseData(kind="public_transport", amount=Decimal("1000")), Decimal("1000.00")),
        (ExpenseData(kind="mileage", miles=Decimal("1000"), vehicle="car"), None),
        (ExpenseData(kind="mileage", miles=Decimal("10"), vehicle="car", passengers=8), Decimal("8.50")),
    ],
    ids=["50p", "exactly £1,000", "exactly 1,000 miles", "8 passengers"],
)
def test_an_expense_exactly_at_its_bounds_is_accepted(claim, representative, data, amount):
    line = expense_add(claim=claim, by=representative, data=data)
    if amount is not None:
        assert line.amount == amount
    assert claim.expenses.get().pk == line.pk


def test_a_receipt_keeps_the_name_it_was_sent_with_for_the_person_to_recognise(claim, representative):
    receipt = receipt_png("car-park-ticket.png")
    line = expense_add(
        claim=claim, by=representative, data=ExpenseData(kind="parking", amount=Decimal("4"), receipt=receipt)
    )
    assert line.receipt_name == "car-park-ticket.png"
    assert line.receipt.name.endswith(".png") and "car-park" not in line.receipt.name
