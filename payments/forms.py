"""The person's forms about their claims and earnings limit. Forms check shape (a number is
a number); the services check the rules (more than £0, no more than the fee, the limit)."""

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from catalogue.models import Vehicle
from involvement.forms import LengthLimitsMixin
from payments.models import ExpenseKind, FeeChoice, LimitPeriod

# Pounds and pence as people type them: "12", "12.5", "12.50", "£1,200.00", "-3" (a minus
# sign reaches the service, which says plainly that the amount must be more than £0).
_MONEY = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,2})?", re.ASCII)
_MILES = re.compile(r"-?[0-9]{1,9}(\.[0-9])?", re.ASCII)


class MoneyField(forms.CharField):
    """An amount in pounds and pence, as a Decimal: never a float, never "1e9"."""

    pattern = _MONEY
    invalid = "Enter the amount in pounds and pence, like 12.50"

    def __init__(self, *, invalid: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(**kwargs)
        if invalid:
            self.invalid = invalid

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        text = text.replace("£", "").replace(",", "").replace(" ", "")
        if not text:
            return None
        if not self.pattern.fullmatch(text):
            raise ValidationError(self.invalid, code="invalid")
        return Decimal(text)


class MilesField(MoneyField):
    pattern = _MILES
    invalid = "Enter the miles as a number, like 12.5"


class ClaimChoiceForm(LengthLimitsMixin, forms.Form):
    """What the person would like done with the fee. The box "I know this takes me past my
    limit" is there only when the fee would take them past their own limit."""

    choice = forms.ChoiceField(
        label="What would you like done with the fee?",
        choices=FeeChoice.choices,
        widget=forms.RadioSelect,
        help_text="Vouchers count as earnings for benefits, just like money.",
        error_messages={"required": "Choose what you would like done with the fee"},
    )
    reduced_amount = MoneyField(
        label="If you chose a smaller amount: how much? (£)",
        required=False,
        help_text="In pounds and pence, no more than the fee. For example, 20.00",
    )
    charity_name = forms.CharField(
        label="If you chose a charity: its name",
        required=False,
        max_length=120,
    )
    past_limit_confirmed = forms.BooleanField(
        label="I know this takes me past my limit",
        required=False,
        help_text="Tick this only if you still want a fee that takes you past the limit you set.",
    )

    def __init__(self, *args: Any, limit_relevant: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not limit_relevant:
            del self.fields["past_limit_confirmed"]


class ExpenseForm(LengthLimitsMixin, forms.Form):
    """One expense. Mileage needs the miles and how they travelled; everything else the amount."""

    kind = forms.ChoiceField(
        label="What is the expense for?",
        choices=ExpenseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the expense is for"},
    )
    amount = MoneyField(
        label="Amount (£)",
        required=False,
        help_text="Not for mileage: we work that out from the miles. For example, 4.50",
    )
    miles = MilesField(
        label="Miles (for mileage)",
        required=False,
        help_text="There and back. For example, 12.5",
    )
    vehicle = forms.ChoiceField(
        label="How did you travel? (for mileage)",
        choices=Vehicle.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    passengers = forms.IntegerField(
        label="Passengers who came with you (for mileage by car)",
        required=False,
        min_value=0,
        max_value=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}),
        error_messages={
            "invalid": "Enter the number of passengers, like 1",
            "min_value": "Enter between 0 and 8 passengers",
            "max_value": "Enter between 0 and 8 passengers",
        },
    )
    description = forms.CharField(
        label="Details (optional)",
        required=False,
        max_length=200,
        help_text="For example, the bus from Bedford to the hospital and back.",
    )
    receipt = forms.FileField(
        label="Receipt (optional)",
        required=False,
        help_text="A photo (JPEG, PNG or WebP) or a PDF, of 10 MB at most.",
        error_messages={
            "empty": "The receipt you chose is empty. Choose another file",
            "invalid": "The receipt could not be read. Choose the file again",
        },
    )


class EarningsLimitForm(forms.Form):
    earnings_limit = MoneyField(
        label="Your earnings limit (£)",
        required=False,
        help_text="Leave it empty to have no limit. For example, 195.50",
    )
    limit_period = forms.ChoiceField(
        label="Is that for each week or each month?",
        choices=LimitPeriod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a week or a month"},
    )
