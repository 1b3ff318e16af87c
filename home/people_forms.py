"""The forms on the people pages: shape only; the services check the rules (accounts.caseload)."""

from django import forms
from django.utils import timezone

from accounts.caseload import REASON_MAX, SUMMARY_MAX
from accounts.models import ContactChannel, User
from involvement.forms import DateField, LengthLimitsMixin


class ContactLogForm(LengthLimitsMixin, forms.Form):
    contacted_on = DateField(
        label="Date of contact",
        help_text="For example, 27 11 2026",
        error_messages={"required": "Enter the date of contact"},
    )
    channel = forms.ChoiceField(
        label="How were you in contact?",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you were in contact",
            "invalid_choice": "Choose how you were in contact",
        },
    )
    summary = forms.CharField(
        label="Summary",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            f"A few words about what was said or agreed, up to {SUMMARY_MAX} characters. Do not write "
            "health details or anything the person told you in confidence here."
        ),
        error_messages={"required": "Write a short summary of the contact"},
    )

    def clean_contacted_on(self):
        contacted_on = self.cleaned_data["contacted_on"]
        if contacted_on and contacted_on > timezone.localdate():
            raise forms.ValidationError("The date of contact must be today or in the past")
        return contacted_on


class NamedWorkerForm(LengthLimitsMixin, forms.Form):
    worker = forms.ModelChoiceField(
        label="Named involvement worker",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={
            "required": "Choose an involvement worker",
            "invalid_choice": "Choose an involvement worker",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=REASON_MAX,
        help_text="For the workers only: the person is told who their worker is, not why.",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = workers
        field.label_from_instance = lambda user: (
            getattr(getattr(user, "profile", None), "display_name", "") or user.get_full_name() or user.email
        )
