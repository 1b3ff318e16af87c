"""The dashboard's filters: a GET form that works without JavaScript."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from catalogue.models import ActivityType, Team
from dashboard.metrics import Scope
from involvement.forms import DateField

PERIODS = [
    ("this_quarter", "This quarter"),
    ("last_12_months", "The last 12 months"),
    ("custom", "Choose dates"),
]


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label="Period", choices=PERIODS, widget=forms.RadioSelect, initial="last_12_months"
    )
    start = DateField(label="From (for chosen dates)", required=False, help_text="For example, 1 4 2026")
    end = DateField(label="To (for chosen dates)", required=False, help_text="For example, 31 3 2027")
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.filter(is_active=True), required=False, empty_label="All teams"
    )
    activity_type = forms.ModelChoiceField(
        label="Type of activity",
        queryset=ActivityType.objects.filter(is_active=True),
        required=False,
        empty_label="All types",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start and "start" not in self.errors:
                self.add_error("start", "Enter the first day of the period")
            if not end and "end" not in self.errors:
                self.add_error("end", "Enter the last day of the period")
            if start and end and end < start:
                self.add_error("end", "The last day must be on or after the first day")
            if start and end and (end - start).days > 366 * 5:
                self.add_error("end", "Choose a period of 5 years or less")
        return cleaned

    def scope(self) -> Scope:
        """The chosen scope; the last 12 months when nothing (or nothing valid) is chosen."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or "last_12_months"
        if period == "this_quarter":
            start, end = quarter_start(today), today
        elif period == "custom":
            start, end = data["start"], data["end"]
        else:
            start, end = today - timedelta(days=365), today
        team, activity_type = data.get("team"), data.get("activity_type")
        return Scope(
            start=start,
            end=end,
            team_id=team.pk if team else None,
            activity_type_id=activity_type.pk if activity_type else None,
        )
