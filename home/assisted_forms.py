"""The forms for assisted digital and calls as tasks (issue 13, items 4 and 7): shape only;
the services check the rules (accounts.assisted, opportunities' sign-ups, notifications'
contact tasks)."""

from django import forms
from django.conf import settings

from accounts.assisted import ADDRESS_MAX, NAME_MAX, NOTES_MAX
from accounts.forms import MobileNumberForm
from involvement.forms import LengthLimitsMixin
from notifications.models import ContactTask
from notifications.services.contact_tasks import NOTE_MAX, OUTCOMES_FOR
from opportunities.models import Opportunity


class AssistedRegistrationForm(LengthLimitsMixin, forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=NAME_MAX, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=NAME_MAX, error_messages={"required": "Enter their last name"}
    )
    display_name = forms.CharField(
        label="What should we call them? (optional)",
        max_length=80,
        required=False,
        help_text="A first name or a nickname. We use their first name if you leave this empty.",
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="We will call them on this number. Give a phone number, a postal address, or both.",
    )
    postal_address = forms.CharField(
        label="Postal address",
        max_length=ADDRESS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For letters, if they have no phone or prefer post.",
    )
    contact_notes = forms.CharField(
        label="Anything else about contacting them (optional)",
        max_length=NOTES_MAX,
        required=False,
        help_text="For example, the best times to call. Do not write health details here.",
    )
    privacy_notice_read = forms.BooleanField(
        required=False,
        label=f"I have read them the privacy notice (version {settings.PRIVACY_NOTICE_VERSION})",
    )
    consent = forms.BooleanField(
        required=False,
        label="They agreed to us keeping their details as the privacy notice describes",
    )

    def clean(self):
        cleaned = super().clean()
        # Said beside the fields here as well as by the service, so that every mistake shows
        # at once rather than one per try.
        if not (cleaned.get("phone") or "").strip() and not (cleaned.get("postal_address") or "").strip():
            self.add_error("phone", "Enter a phone number or a postal address: we need one way to reach them")
        if not cleaned.get("privacy_notice_read"):
            self.add_error("privacy_notice_read", "Read them the privacy notice before registering them")
        if not cleaned.get("consent"):
            self.add_error("consent", "They need to agree to the privacy notice to be registered")
        return cleaned


class SignUpForPersonForm(forms.Form):
    opportunity = forms.ModelChoiceField(
        label="Sign them up for",
        queryset=Opportunity.objects.none(),
        empty_label="Choose an opportunity",
        error_messages={
            "required": "Choose an opportunity to sign them up for",
            "invalid_choice": "Choose an opportunity that is open for sign-ups",
        },
    )

    def __init__(self, *args, opportunities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities


class ContactTaskForm(LengthLimitsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened", "invalid_choice": "Choose what happened"},
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=NOTE_MAX,
        required=False,
        help_text="Goes into their contact log. Do not write health details here.",
    )

    def __init__(self, *args, task: ContactTask, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (outcome.value, outcome.label) for outcome in OUTCOMES_FOR[ContactTask.Method(task.method)]
        ]


class TheirMobileNumberForm(MobileNumberForm):
    """The person's own form, in the words a worker reads on their behalf."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["mobile_number"]
        field.label = "Their mobile number"
        field.help_text = "A UK mobile number, like 07700 900 982. We will send a code to it by text."
        field.error_messages["required"] = "Enter their mobile number, like 07700 900 982"
