"""The record's forms. They check shape; the services check the rules (an activity is the
person's own, a reference has a named worker to go to)."""

from typing import Any

from django import forms

from involvement.forms import DateField, LengthLimitsMixin
from records.models import SKILLS_MAX, STATEMENT_MAX, ReferencePurpose, Role


class ActivityRoleForm(LengthLimitsMixin, forms.Form):
    role = forms.ChoiceField(
        label="What was your role?",
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your role"},
    )
    other_role = forms.CharField(
        label="If other: what was your role?",
        required=False,
        max_length=80,
        help_text="For example, Mystery shopper",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.OTHER and not (data.get("other_role") or "").strip():
            self.add_error("other_role", "Enter your role")
        return data


class StatementForm(LengthLimitsMixin, forms.Form):
    skills = forms.CharField(
        label="Your skills (optional)",
        required=False,
        max_length=SKILLS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line. For example, Interviewing, Chairing a meeting, Giving feedback",
    )
    statement = forms.CharField(
        label="About your involvement, in your own words (optional)",
        required=False,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you did, what you learned and what it meant to you. A few sentences is enough.",
    )


class CertificateForm(forms.Form):
    """What to put on a certificate, from the person's own record."""

    name = forms.ChoiceField(
        label="Which name should the certificate show?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the name to show",
            "invalid_choice": "Choose one of the names on your account",
        },
    )
    activities = forms.MultipleChoiceField(
        label="Activities to include", required=False, widget=forms.CheckboxSelectMultiple
    )
    training = forms.MultipleChoiceField(
        label="Training to include", required=False, widget=forms.CheckboxSelectMultiple
    )
    include_totals = forms.BooleanField(
        label="Total hours by year, for the activities chosen", required=False
    )
    include_skills = forms.BooleanField(label="Your skills", required=False)
    include_statement = forms.BooleanField(label="Your statement", required=False)

    def __init__(
        self,
        *args: Any,
        names: list[str],
        activities: list[tuple[int, str]],
        training: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = [(name, name) for name in names]
        self.fields["name"].initial = names[0] if names else None
        self.fields["activities"].choices = [(str(pk), label) for pk, label in activities]
        self.fields["training"].choices = [(str(pk), label) for pk, label in training]
        if not activities:
            del self.fields["activities"], self.fields["include_totals"]
        if not training:
            del self.fields["training"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [
            data.get("activities"),
            data.get("training"),
            data.get("include_skills"),
            data.get("include_statement"),
        ]
        if not any(chosen):
            field = (
                "activities"
                if "activities" in self.fields
                else "training"
                if "training" in self.fields
                else None
            )
            self.add_error(field, "Choose at least one activity or course to include")
        return data


class ReferenceRequestForm(LengthLimitsMixin, forms.Form):
    purpose = forms.ChoiceField(
        label="What is the reference for?",
        choices=ReferencePurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the reference is for"},
    )
    role_title = forms.CharField(
        label="The job, course or role",
        max_length=120,
        help_text="For example, Peer support worker",
        error_messages={"required": "Enter the job, course or role"},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=120,
        help_text="Who the reference is for. For example, Leeds City College",
        error_messages={"required": "Enter the organisation"},
    )
    deadline = DateField(
        label="When do you need it by? (optional)",
        required=False,
        help_text="For example, 15 3 2027",
    )
    note = forms.CharField(
        label="Anything your worker should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, who to send it to, or what they asked about",
    )


class ReferenceWriteForm(LengthLimitsMixin, forms.Form):
    body = forms.CharField(
        label="The reference",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="The person will read it, and may give it to the organisation.",
    )
