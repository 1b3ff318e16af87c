"""Forms check shape; services check rules."""

from django import forms
from django.conf import settings

from feedback.models import CheckIn, FollowUp, Outcome
from involvement.forms import DateField, LengthLimitsMixin

SCORES = [(5, "5: very well"), (4, "4: well"), (3, "3: all right"), (2, "2: not well"), (1, "1: badly")]
VALUED = [
    (5, "5: very valued"),
    (4, "4: valued"),
    (3, "3: somewhat"),
    (2, "2: not much"),
    (1, "1: not at all"),
]


class OutcomeForm(LengthLimitsMixin, forms.ModelForm):
    evidence_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="Link to evidence (optional)",
        max_length=Outcome._meta.get_field("evidence_url").max_length,
        help_text="For example, the new policy or the published report.",
        error_messages={"invalid": "Enter a web address, like https://www.example.nhs.uk/report"},
    )
    follow_up_on = DateField(
        label="When we will tell you more (optional)",
        required=False,
        help_text="If the change is still to come, the date you will report back by. For example, 1 6 2027",
    )

    class Meta:
        model = Outcome
        fields = ["you_said", "we_did", "evidence_url", "follow_up_on"]
        widgets = {"you_said": forms.Textarea(attrs={"rows": 6}), "we_did": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "you_said": {"required": "Write what representatives contributed"},
            "we_did": {"required": "Write what changed, or will change, because of it"},
        }


class CheckInForm(LengthLimitsMixin, forms.ModelForm):
    how_it_went = forms.TypedChoiceField(
        label="How did it go?",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it went, from 1 to 5"},
    )
    felt_valued = forms.TypedChoiceField(
        label="Did you feel valued?",
        choices=VALUED,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how valued you felt, from 1 to 5"},
    )

    class Meta:
        model = CheckIn
        fields = ["how_it_went", "felt_valued", "went_well", "could_be_better", "wants_chat"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 3}),
            "could_be_better": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"wants_chat": "Yes, I would like a chat with my involvement worker"}
        help_texts = {
            "wants_chat": "We will tell your worker you would like a chat. "
            "We will not send them what you wrote here by e-mail.",
        }

    # Not a field of the check-in: the follow-up records it (feedback.models.FollowUp).
    urgency = forms.ChoiceField(
        label="If you would like a chat, how soon?",
        choices=FollowUp.Urgency.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = settings.FOLLOW_UP_TARGET_WORKING_DAYS
        self.fields["urgency"].help_text = (
            f"Your worker will aim to call within {days} working day{'s' if days != 1 else ''}. "
            "If you need help sooner, use the urgent help numbers on this page."
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_chat") and not cleaned.get("urgency"):
            self.add_error("urgency", "Choose how soon you would like a chat")
        return cleaned


class FollowUpPickUpForm(forms.Form):
    call_by = DateField(
        label="I will call you by",
        help_text="The person will see this date and be told it. For example, 3 12 2026",
        error_messages={"required": "Enter the date you will call by"},
    )


class FollowUpCloseForm(LengthLimitsMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["action_taken"]
        widgets = {"action_taken": forms.Textarea(attrs={"rows": 4})}
        labels = {"action_taken": "What did you do?"}
        help_texts = {"action_taken": "For example, phoned on Tuesday and arranged to meet. Keep it brief."}
        error_messages = {"action_taken": {"required": "Write what you did"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_taken"].required = True
