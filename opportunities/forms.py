"""Forms check shape; services check rules. The session forms are in session_forms.py."""

from datetime import time

from django import forms
from django.db.models import Q
from django.utils import timezone

from accounts.selectors import workers
from catalogue.models import ActivityType, Course, RateCard, Team, describe_rate
from involvement.forms import DateField, LengthLimitsMixin
from opportunities.models import (
    PARTICIPANT_MESSAGE_BODY_MAX,
    PARTICIPANT_MESSAGE_SUBJECT_MAX,
    AttendanceMode,
    Opportunity,
    ParticipantGroup,
    SignUp,
)
from opportunities.services import OFFER_REASON_MAX_LENGTH
from opportunities.session_forms import latest_session_year, local_datetime


class OpportunityForm(LengthLimitsMixin, forms.ModelForm):
    signup_deadline_date = DateField(
        label="Sign-up deadline",
        max_year=latest_session_year,
        help_text="People can sign up until the end of this day. It must be before the first session. "
        "For example, 27 3 2027",
    )

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "summary",
            "description",
            "activity_type",
            "involvement_level",
            "team",
            "format",
            "accessibility",
            "is_paid",
            "rate_card",
            "payment",
            "places",
            "selection_method",
            "required_course",
            "trains_for",
            "lead_worker",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility": forms.Textarea(attrs={"rows": 4}),
            "involvement_level": forms.RadioSelect,
            "format": forms.RadioSelect,
            "selection_method": forms.RadioSelect,
            "places": forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        }
        labels = {
            "is_paid": "This activity is paid",
            "rate_card": "Rate card",
            "payment": "What is paid besides the fee (optional)",
        }
        help_texts = {
            "payment": "For example, travel expenses, or lunch provided. The fee comes from the rate card.",
        }
        error_messages = {
            "title": {"required": "Enter a title"},
            "summary": {"required": "Enter a plain-language summary"},
            "description": {"required": "Enter a full description"},
            "activity_type": {"required": "Select the type of activity"},
            "involvement_level": {"required": "Select how much say people will have"},
            "team": {"required": "Select the team"},
            "format": {"required": "Select where it happens"},
            "accessibility": {"required": "Describe the accessibility: step-free access, breaks, captions"},
            "places": {
                "required": "Enter the number of places",
                "invalid": "Enter the number of places as a whole number",
                "min_value": "There must be at least 1 place",
                "max_value": "There can be at most 32,767 places",
            },
            "lead_worker": {"required": "Select the lead worker"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["team"].queryset = Team.objects.filter(is_active=True)
        self.fields["lead_worker"].queryset = workers()
        self.fields["lead_worker"].label_from_instance = lambda user: user.get_full_name() or user.email
        self.fields["lead_worker"].help_text = (
            "The lead worker can read the notes of the people taking part. You lead it unless you "
            "choose someone else; after that, only the lead worker or a manager can change it."
        )
        self.fields[
            "involvement_level"
        ].help_text = "Be honest: say how much influence people will really have."
        self._set_up_rate_card()
        for name in ("required_course", "trains_for"):
            # Active courses, and the one already chosen even if it has since been retired.
            chosen = getattr(self.instance, f"{name}_id", None)
            self.fields[name].queryset = Course.objects.filter(Q(is_active=True) | Q(pk=chosen))
            self.fields[name].empty_label = "None"
        if self.instance.pk and self.instance.signup_deadline:
            self.initial.setdefault(
                "signup_deadline_date", timezone.localtime(self.instance.signup_deadline).date()
            )

    def _set_up_rate_card(self) -> None:
        """Active cards, each with the rate it pays today. Once published, the card is fixed:
        the rate was copied then, and what was promised stays promised (issue 12)."""
        field = self.fields["rate_card"]
        instance = self.instance
        if instance.pk and instance.status != Opportunity.Status.DRAFT:
            field.disabled = True
            field.required = False
            field.queryset = RateCard.objects.filter(pk=instance.rate_card_id)
            field.help_text = (
                f"The rate was fixed when this was published: {instance.promised_fee}."
                if instance.promised_fee
                else "This was published without a rate card, so it keeps what it says below."
            )
            return
        today = timezone.localdate()
        # The card already chosen stays a choice even if an administrator has since retired it.
        field.queryset = (
            RateCard.objects.filter(Q(is_active=True) | Q(pk=instance.rate_card_id))
            .prefetch_related("rates")
            .order_by("name")
        )
        field.empty_label = "Choose a rate card"
        field.help_text = (
            "How the fee is worked out, preparation time included. The rate in force is fixed when you "
            "publish, so a later change to the card never changes what people were promised."
        )

        def label(card: RateCard) -> str:
            # The prefetched rates, newest first: no query per card.
            rate = next((rate for rate in card.rates.all() if rate.effective_from <= today), None)
            if rate is None:
                return f"{card.name}: no rate in force yet"
            return f"{card.name}: " + describe_rate(
                rate.unit, rate.amount, rate.block_hours, rate.preparation_hours
            )

        field.label_from_instance = label

    def clean_trains_for(self):
        trains_for = self.cleaned_data.get("trains_for")
        if trains_for is not None and trains_for == self.cleaned_data.get("required_course"):
            raise forms.ValidationError(
                "An activity cannot need the course it trains people for: choose one or the other"
            )
        return trains_for

    def clean_places(self):
        places = self.cleaned_data["places"]
        if places is not None and places < 1:
            raise forms.ValidationError("There must be at least 1 place")
        return places

    def _deadline_unchanged(self, day) -> bool:
        """A running opportunity's deadline may have passed: left as it is, it must not stop
        the rest of the opportunity being edited, nor be moved to the end of that day."""
        deadline = self.instance.signup_deadline if self.instance.pk else None
        return bool(deadline and day == timezone.localtime(deadline).date())

    def clean_signup_deadline_date(self):
        day = self.cleaned_data["signup_deadline_date"]
        if day and day < timezone.localdate() and not self._deadline_unchanged(day):
            raise forms.ValidationError("The sign-up deadline must be today or in the future")
        return day

    def clean(self):
        cleaned = super().clean()
        if not self.fields["rate_card"].disabled:
            if cleaned.get("is_paid") and not cleaned.get("rate_card") and "rate_card" not in self.errors:
                self.add_error("rate_card", "Choose a rate card: it sets the fee people are paid")
            elif not cleaned.get("is_paid"):
                # Unpaid: no card, so nothing is copied when it is published.
                cleaned["rate_card"] = None
        day = cleaned.get("signup_deadline_date")
        if day and not self._deadline_unchanged(day):
            self.instance.signup_deadline = local_datetime(day, time(23, 59, 59))
        return cleaned


class LeadWorkerForm(LengthLimitsMixin, forms.Form):
    lead_worker = forms.ModelChoiceField(
        label="New lead worker",
        queryset=None,
        error_messages={
            "required": "Select the new lead worker",
            "invalid_choice": "Select an involvement worker from the list",
        },
    )
    reason = forms.CharField(
        label="Reason (optional)",
        help_text="Recorded in the opportunity's history and sent to both lead workers.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        required=False,
        error_messages={"max_length": "The reason must be 300 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The name the history and messages use, so the list matches what people read there.
        self.fields["lead_worker"].queryset = workers().select_related("profile")
        self.fields["lead_worker"].label_from_instance = lambda user: (
            getattr(getattr(user, "profile", None), "display_name", "") or user.get_full_name() or user.email
        )


class SignUpForm(LengthLimitsMixin, forms.ModelForm):
    """The note, and for a hybrid opportunity how the person will join (the lead worker's
    register says who to expect in the room)."""

    class Meta:
        model = SignUp
        fields = ["note", "attendance_mode"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "attendance_mode": forms.RadioSelect}
        error_messages = {"attendance_mode": {"required": "Choose in person or online"}}

    def __init__(self, *args, hybrid: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if hybrid:
            field = self.fields["attendance_mode"]
            field.required = True
            field.choices = AttendanceMode.choices
            field.help_text = "You can be in the room or join online. Tell us which, so we can plan the day."
        else:
            del self.fields["attendance_mode"]


class OfferForm(LengthLimitsMixin, forms.Form):
    """Offering a place by hand: on a fair-share opportunity the reason is required."""

    reason = forms.CharField(
        label="Why are you offering this place by hand?",
        help_text="Kept in the sign-up's history, so the decision can be explained later.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=OFFER_REASON_MAX_LENGTH,
        error_messages={
            "required": "Enter a reason for offering this place by hand",
            "max_length": f"The reason must be {OFFER_REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if not reason_required:
            self.fields["reason"].label = "Why are you offering this place by hand? (optional)"


class ReasonForm(LengthLimitsMixin, forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        error_messages={
            "required": "Enter a reason",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


class ParticipantMessageForm(LengthLimitsMixin, forms.Form):
    """The lead worker's message to the people taking part. `send_key` is made when the form
    is first shown and comes back with it: the service sends each key once, so a double
    click sends one message."""

    groups = forms.MultipleChoiceField(
        label="Who is it for?",
        help_text="Select all that apply.",
        choices=ParticipantGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose who the message is for",
            "invalid_choice": "Choose who the message is for from the list",
        },
    )
    subject = forms.CharField(
        label="Subject",
        max_length=PARTICIPANT_MESSAGE_SUBJECT_MAX,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"The subject must be {PARTICIPANT_MESSAGE_SUBJECT_MAX} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Message",
        help_text=(
            "Practical news about the activity: times, places, what to bring. Never write anything "
            "about anyone's health, support needs or personal circumstances: it goes to everyone you "
            "choose, by e-mail and to their inbox."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=PARTICIPANT_MESSAGE_BODY_MAX,
        error_messages={
            "required": "Enter your message",
            "max_length": f"The message must be {PARTICIPANT_MESSAGE_BODY_MAX} characters or fewer",
        },
    )
    send_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form could not be read. Check the message and send it again.",
            "invalid": "This form could not be read. Check the message and send it again.",
        },
    )


class PackForm(forms.Form):
    """The preparation pack: checked by its content in the service (services/packs.py)."""

    pack = forms.FileField(
        label="Preparation pack",
        help_text="A PDF or an image (JPEG, PNG or WebP), 10 MB or smaller. Only people with a "
        "place, and workers, can download it.",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file is empty: choose another",
            "invalid": "Choose a file to upload",
        },
    )


class TrainingCompletionForm(forms.Form):
    """A worker recording one person's training: the course and the day it was completed."""

    course = forms.ModelChoiceField(
        label="Course",
        queryset=Course.objects.none(),
        empty_label="Choose a course",
        error_messages={
            "required": "Choose the course they completed",
            "invalid_choice": "Choose a course from the list",
        },
    )
    completed_on = DateField(
        label="Date completed",
        help_text="For example, 27 11 2026",
        error_messages={"required": "Enter the date they completed it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True)

    def clean_completed_on(self):
        completed_on = self.cleaned_data["completed_on"]
        if completed_on and completed_on > timezone.localdate():
            raise forms.ValidationError("The date completed must be today or in the past")
        return completed_on
