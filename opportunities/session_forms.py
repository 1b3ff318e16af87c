"""The sessions of an opportunity as a worker types them: one form per session, and the formset
that adds and removes them. Forms check shape; services check rules. A session that
has started while the opportunity runs is a record of what happened, so its form refuses changes.
"""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.utils import timezone

from involvement.forms import DateField, LengthLimitsMixin, years_from_now
from opportunities.models import Opportunity, Session
from opportunities.services import SessionData
from opportunities.services.sessions import WHAT_TO_EXPECT

TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I.%M%p", "%I%p", "%H%M"]


class TimeField(forms.TimeField):
    """A time typed as people write it: 14:30, 2.30pm, 2pm."""

    widget = forms.TextInput(
        attrs={"class": "nhsuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}
    )

    def __init__(self, **kwargs):
        super().__init__(input_formats=TIME_FORMATS, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().replace(" ", "")
        return super().to_python(value)


def local_datetime(day, at: time) -> datetime:
    """A day and a time typed on a form, in the site's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, at))


def latest_session_year() -> int:
    """Sessions and deadlines are planned at most this far ahead (settings.SESSION_MAX_YEARS_AHEAD):
    a year-9999 session would be stored and then overflow every page that counts from it."""
    return years_from_now(settings.SESSION_MAX_YEARS_AHEAD)()


class SessionForm(LengthLimitsMixin, forms.Form):
    # Keeps an edited session the same row, so its attendance and reminders survive.
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    date = DateField(label="Date", max_year=latest_session_year, help_text="For example, 3 4 2027")
    start_time = TimeField(label="Start time", help_text="For example, 10:00 or 2pm")
    end_time = TimeField(label="End time", help_text="For example, 12:30 or 4pm")
    area = forms.CharField(
        label="Area (shown to everyone)",
        max_length=120,
        required=False,
        help_text="For example, Central Leeds, or Online. Visitors see this, not the address.",
    )
    location = forms.CharField(
        label="Exact address (optional)",
        max_length=300,
        required=False,
        help_text="Only people who are signed in see the address.",
    )
    joining_link = forms.URLField(
        assume_scheme="https",
        label="Joining link (optional)",
        max_length=Session._meta.get_field("joining_link").max_length,
        required=False,
        help_text="For online sessions.",
    )
    # What to expect on the day (issue 14): for the people taking part, signed in.
    meet_by = forms.CharField(
        label="Who will meet you (optional)",
        max_length=200,
        required=False,
        help_text="For example, Sam from the involvement team, at the main reception.",
    )
    what_to_bring = forms.CharField(
        label="What to bring (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, your reading glasses and the papers we sent you.",
    )
    directions = forms.CharField(
        label="How to get there (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Buses, parking, the entrance to use, and step-free routes.",
    )
    map_link = forms.URLField(
        assume_scheme="https",
        label="Map link (optional)",
        max_length=Session._meta.get_field("map_link").max_length,
        required=False,
        help_text="A web address starting https://, for example a link to the place on a map.",
    )
    breaks = forms.CharField(
        label="Breaks (optional)",
        max_length=300,
        required=False,
        help_text="For example, a 15-minute break every hour, and lunch at 12:30.",
    )

    def __init__(self, *args, originals: dict | None = None, running: bool = False, **kwargs):
        # `originals`: the opportunity's sessions by id; `running`: published or closed, when
        # a session that has started is a record of what happened and cannot change.
        super().__init__(*args, **kwargs)
        self.originals = originals or {}
        self.running = running

    @property
    def original(self):
        """The stored session this form edits, if any (only this opportunity's own)."""
        raw = self.data.get(self.add_prefix("id")) if self.is_bound else self.initial.get("id")
        try:
            return self.originals.get(int(raw))
        except (TypeError, ValueError):
            return None

    @property
    def is_frozen(self) -> bool:
        return self.running and self.original is not None and self.original.has_started

    def _as_typed(self, session) -> dict:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "date": starts.date(),
            "start_time": starts.time().replace(second=0, microsecond=0),
            "end_time": ends.time().replace(second=0, microsecond=0),
            "area": session.area,
            "location": session.location,
            "joining_link": session.joining_link,
        }

    def clean(self):
        cleaned = super().clean()
        self._check_map_link(cleaned)
        if self.is_frozen:
            stored = self._as_typed(self.original)
            for name, label in FROZEN_FIELD_NAMES.items():
                if name in cleaned and cleaned[name] != stored[name]:
                    self.add_error(
                        name, f"This session has already started, so its {label} cannot be changed"
                    )
            if cleaned.get("DELETE"):
                self.add_error("DELETE", "This session has already started, so it cannot be removed")
            return cleaned
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and day < timezone.localdate():
            self.add_error("date", "The date must be today or in the future")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time")
        return cleaned

    def _check_map_link(self, cleaned: dict) -> None:
        # A map link goes to people's phones: only https, never a script or a plain-http page.
        link = cleaned.get("map_link")
        if link and not link.lower().startswith("https://"):
            self.add_error("map_link", "Enter a map link that starts with https://")

    def to_session(self) -> SessionData:
        data = self.cleaned_data
        starts_at = local_datetime(data["date"], data["start_time"])
        ends_at = local_datetime(data["date"], data["end_time"])
        original = self.original
        if original is not None:
            # The form shows times to the minute: a time left as it was keeps the stored
            # value exactly, so an edit elsewhere is not mistaken for a move of the session.
            typed = self._as_typed(original)
            if (data["date"], data["start_time"]) == (typed["date"], typed["start_time"]):
                starts_at = original.starts_at
            if (data["date"], data["end_time"]) == (typed["date"], typed["end_time"]):
                ends_at = original.ends_at
        return SessionData(
            starts_at=starts_at,
            ends_at=ends_at,
            area=data["area"],
            location=data["location"],
            joining_link=data["joining_link"],
            id=data.get("id"),
            **{name: data.get(name, "") for name in WHAT_TO_EXPECT},
        )


# The details of a session that has started, which can no longer change, as a person says them.
FROZEN_FIELD_NAMES = {
    "date": "date",
    "start_time": "start time",
    "end_time": "end time",
    "area": "area",
    "location": "address",
    "joining_link": "joining link",
}


# "Add another session" stops here. The formset refuses more too: the number of forms comes
# from the posted TOTAL_FORMS, and Django would otherwise build (and show again) up to 2,000.
MAX_SESSIONS = 50


class BaseSessionFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": "An opportunity can have at most %(num)d sessions",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this session"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.sessions():
            raise forms.ValidationError("Add at least one session")

    def sessions(self) -> list[SessionData]:
        """The sessions typed in, skipping blank extra forms and those marked for removal."""
        return [
            form.to_session()
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("date")
            and not self._should_delete_form(form)
        ]


SessionFormSet = forms.formset_factory(
    SessionForm,
    formset=BaseSessionFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SESSIONS,
    absolute_max=MAX_SESSIONS,
    validate_max=True,
)


def session_formset(*, data=None, opportunity: Opportunity | None = None, extra: int = 1) -> SessionFormSet:
    initial = []
    originals = {}
    if opportunity is not None and opportunity.pk:
        for session in opportunity.sessions.all():
            originals[session.pk] = session
            starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            initial.append(
                {
                    "id": session.pk,
                    "date": starts.date(),
                    "start_time": starts.strftime("%H:%M"),
                    "end_time": ends.strftime("%H:%M"),
                    "area": session.area,
                    "location": session.location,
                    "joining_link": session.joining_link,
                    **{name: getattr(session, name) for name in WHAT_TO_EXPECT},
                }
            )
    formset_class = forms.formset_factory(
        SessionForm,
        formset=BaseSessionFormSet,
        extra=extra if not initial else max(extra - 1, 0) + 1,
        can_delete=True,
        max_num=MAX_SESSIONS,
        absolute_max=MAX_SESSIONS,
        validate_max=True,
    )
    running = opportunity is not None and opportunity.status in {
        Opportunity.Status.PUBLISHED,
        Opportunity.Status.CLOSED,
    }
    return formset_class(
        data=data,
        initial=initial,
        prefix="sessions",
        form_kwargs={"originals": originals, "running": running},
    )
