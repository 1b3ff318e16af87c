"""Staff's forms about claims: the worker's (adjust the fee, return a claim) and finance's
(the paid date, the finance system's file, a payroll reference). Forms check shape; the
services check the rules (the most a fee may be, a paid date in the future, a claim not
exported)."""

from django import forms
from django.utils import timezone

from involvement.forms import DateField, LengthLimitsMixin
from payments.models import Claim

# The finance system's file of payments is a short CSV: a line per claim paid.
MOST_PAID_FILE_BYTES = 2 * 1024 * 1024


def money_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}),
        error_messages={
            "required": "Enter the fee, in pounds and pence",
            "invalid": "Enter the fee as a number, like 23.50",
            "max_digits": "Enter a fee of £5,000 or less",
            "max_whole_digits": "Enter a fee of £5,000 or less",
            "max_decimal_places": "Enter the fee in pounds and pence, like 23.50",
        },
    )


class ClaimFilterForm(forms.Form):
    """The review list's filter: waiting for approval unless another state is chosen."""

    ALL = "all"
    state = forms.ChoiceField(
        label="Show claims",
        required=False,
        choices=[
            (Claim.State.SUBMITTED, "Waiting for approval"),
            (Claim.State.RETURNED, "Returned to the person"),
            (Claim.State.DRAFT, "Not sent yet"),
            (Claim.State.APPROVED, "Approved"),
            (Claim.State.EXPORTED, "With finance"),
            (Claim.State.PAID, "Paid"),
            (ALL, "All claims"),
        ],
    )

    def state_or_default(self) -> str | None:
        """The state to show (None: every state); anything unknown falls back to waiting."""
        state = self.cleaned_data.get("state") if self.is_valid() else ""
        if state == self.ALL:
            return None
        return state or Claim.State.SUBMITTED


class AdjustFeeForm(LengthLimitsMixin, forms.Form):
    fee = money_field("New fee (£)", "The fee before the person's choice, in pounds and pence.")
    reason = forms.CharField(
        label="Why are you changing the fee?",
        help_text="The person sees this with their claim.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        error_messages={
            "required": "Enter why you are changing the fee",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )

    def clean_fee(self):
        fee = self.cleaned_data["fee"]
        if fee is not None and fee < 0:
            raise forms.ValidationError("The fee cannot be less than £0")
        return fee


class ReturnForm(LengthLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="What needs to change?",
        help_text="The person sees your words. Say plainly what to change, "
        "for example which receipt is missing.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": "Enter what needs to change",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class PaidDateForm(forms.Form):
    paid_on = DateField(
        label="Date paid",
        help_text="The day finance paid these claims. For example, 27 3 2026",
        error_messages={"required": "Enter the date the claims were paid"},
    )

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError("The date paid must be today or in the past")
        return day


class PaidFileForm(forms.Form):
    file = forms.FileField(
        label="The finance system's file of payments",
        help_text="A CSV file with a header row and the columns claim and paid_on (like 2026-03-27).",
        error_messages={
            "required": "Choose the file of payments",
            "empty": "The file is empty",
            "invalid": "Choose the file of payments",
        },
    )

    def clean_file(self) -> str:
        """The file's text (UTF-8, with or without a byte-order mark, as spreadsheets save it)."""
        upload = self.cleaned_data["file"]
        if upload.size > MOST_PAID_FILE_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV file saved as text (UTF-8)") from None
        if "\x00" in text:
            raise forms.ValidationError("The file must be a CSV file saved as text (UTF-8)")
        return text


class PayrollReferenceForm(LengthLimitsMixin, forms.Form):
    reference = forms.CharField(
        label="Payroll or supplier reference",
        max_length=40,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the payroll or supplier reference",
            "max_length": "The reference must be 40 characters or fewer",
        },
    )
