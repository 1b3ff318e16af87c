"""Forms check shape; services check rules. Labels and hints come from the models."""

import re

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy

from accounts.models import ContactMethod, Profile
from accounts.permissions import is_representative
from accounts.phones import uk_mobile_e164
from catalogue.models import ActivityType
from involvement.forms import DateField, LengthLimitsMixin

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()-]{10,20}$")


class SignupForm(AllauthSignupForm):
    # The consent box comes last, after the passwords, just before the button.
    field_order = ["email", "password1", "password2", "privacy_consent"]

    privacy_consent = forms.BooleanField(
        label="I have read the privacy notice and I agree to it",
        # The notice opens in a new tab so that reading it does not lose what was typed here.
        help_text=format_lazy(
            '<a href="{}" target="_blank" rel="noopener">Read the privacy notice (opens in a new tab)</a>. '
            "It explains what we keep about you, who can see it and how to ask us to delete it.",
            reverse_lazy("privacy"),
        ),
        error_messages={"required": "Agree to the privacy notice to register"},
    )


def _clean_phone(form: forms.ModelForm) -> None:
    data = form.cleaned_data
    phone = (data.get("phone") or "").strip()
    data["phone"] = phone
    if phone and not PHONE_PATTERN.match(phone):
        form.add_error("phone", "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192")
    elif not phone and data.get("contact_method") in {ContactMethod.PHONE, ContactMethod.TEXT}:
        form.add_error("phone", "Enter a phone number so that we can call or text you")


class InterestsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=ActivityType.objects.filter(is_active=True), required=False, **kwargs)


class MessagePreferencesMixin(forms.ModelForm):
    """E-mail on or off per kind of message (the inbox always gets them), and the digest.

    The kinds are notifications' to name and to rule on: the page passes the ones this
    person may turn off (`email_kinds=`, pairs of value and label from
    notifications.selectors.email_kind_choices), and the profile keeps the ones turned off
    as plain strings. The form also needs the person (`user=`): only representatives get a
    digest.
    """

    email_kinds = forms.MultipleChoiceField(
        label="Send me an e-mail about (optional)",
        help_text="Everything also appears in your inbox on this website, whatever you choose here.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    text_kinds = forms.MultipleChoiceField(
        label="Send me a text message about (optional)",
        help_text="For each, choose e-mail, a text or both. Texts go only to a mobile number you confirmed.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def _setup_message_preferences(
        self, *, user, email_kinds: list[tuple[str, str]], text_kinds: list[tuple[str, str]] | None = None
    ) -> None:
        self._offered_kinds = [value for value, _ in email_kinds]
        field = self.fields["email_kinds"]
        field.choices = list(email_kinds)
        field.initial = [kind for kind in self._offered_kinds if kind not in self.instance.email_muted_kinds]
        # Texts, where the page offers them (`text_kinds=`, from
        # notifications.selectors.text_kind_choices): the kinds that suit a text.
        self._offered_text_kinds = [value for value, _ in text_kinds or []]
        if self._offered_text_kinds:
            self.fields["text_kinds"].choices = list(text_kinds or [])
            self.fields["text_kinds"].initial = [
                kind for kind in self._offered_text_kinds if kind in self.instance.text_kinds
            ]
        else:
            self.fields.pop("text_kinds")
        if not is_representative(user):
            self.fields.pop("digest_frequency", None)

    def save(self, commit: bool = True):
        wanted = set(self.cleaned_data.get("email_kinds") or [])
        offered = set(self._offered_kinds)
        # Keep choices about kinds this form did not offer (another role's) as they were.
        kept = [kind for kind in self.instance.email_muted_kinds if kind not in offered]
        self.instance.email_muted_kinds = sorted(set(kept) | (offered - wanted))
        if self._offered_text_kinds:
            offered_texts = set(self._offered_text_kinds)
            wanted_texts = set(self.cleaned_data.get("text_kinds") or []) & offered_texts
            kept_texts = [kind for kind in self.instance.text_kinds if kind not in offered_texts]
            self.instance.text_kinds = sorted(set(kept_texts) | wanted_texts)
        return super().save(commit=commit)


class MessagePreferencesForm(MessagePreferencesMixin):
    class Meta:
        model = Profile
        fields = ["digest_frequency"]
        widgets = {"digest_frequency": forms.RadioSelect}

    def __init__(
        self,
        *args,
        user,
        email_kinds: list[tuple[str, str]],
        text_kinds: list[tuple[str, str]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._setup_message_preferences(user=user, email_kinds=email_kinds, text_kinds=text_kinds)


class MobileNumberForm(forms.Form):
    """The mobile number to confirm; the code goes to it by text."""

    mobile_number = forms.CharField(
        label="Your mobile number",
        help_text="A UK mobile number, like 07700 900 982. We will send a code to it.",
        max_length=30,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "nhsuk-input--width-20"}
        ),
        error_messages={"required": "Enter your mobile number, like 07700 900 982"},
    )

    def clean_mobile_number(self) -> str:
        return uk_mobile_e164(self.cleaned_data["mobile_number"])


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label="The code from the text",
        help_text="6 numbers, like 123456.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the 6-number code from the text"},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError("Enter the code as 6 numbers, like 123456")
        return code


class OnboardingForm(LengthLimitsMixin, forms.ModelForm):
    """Only what we need to get started, and why we ask each thing."""

    interests = InterestsField(
        label="What would you like to get involved in? (optional)",
        help_text="We use this to tell you about opportunities you may like. You can change it at any time.",
    )

    class Meta:
        model = Profile
        fields = ["display_name", "pronouns", "contact_method", "phone", "interests"]
        widgets = {"contact_method": forms.RadioSelect}
        help_texts = {
            "display_name": (
                "Staff and other people taking part will see this name. A first name or nickname is fine."
            ),
            "pronouns": (
                "So that staff and other people use the right words for you, like she/her or they/them."
            ),
            "contact_method": "We will use this to tell you about opportunities you have signed up for.",
            "phone": "Only needed if you would like a phone call or text message.",
        }
        error_messages = {"display_name": {"required": "Enter what you would like us to call you"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True

    def clean(self):
        cleaned = super().clean()
        _clean_phone(self)
        return cleaned


class ProfileForm(LengthLimitsMixin, MessagePreferencesMixin):
    interests = InterestsField(label="What would you like to get involved in? (optional)")
    break_until = DateField(
        label="Return date (optional)",
        required=False,
        help_text="For example, 15 3 2027. Leave this empty if you do not know yet.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "pronouns",
            "contact_method",
            "phone",
            "contact_notes",
            "interests",
            "access_needs_shared",
            "support_needs",
            "what_helps_me",
            "payment_preference",
            "taking_break",
            "break_until",
            "pace_per_month",
            "digest_frequency",
        ]
        widgets = {
            "digest_frequency": forms.RadioSelect,
            "contact_method": forms.RadioSelect,
            "payment_preference": forms.RadioSelect,
            "support_needs": forms.Textarea(attrs={"rows": 4}),
            "what_helps_me": forms.Textarea(attrs={"rows": 4}),
            "access_needs_shared": forms.Textarea(attrs={"rows": 3}),
            "pace_per_month": forms.NumberInput(
                attrs={"inputmode": "numeric", "class": "nhsuk-input--width-2"}
            ),
        }
        error_messages = {
            "display_name": {"required": "Enter what you would like us to call you"},
            "pace_per_month": {
                "min_value": "Enter a number of activities from 1 to 31, or leave it empty",
                "max_value": "Enter a number of activities from 1 to 31, or leave it empty",
                "invalid": "Enter a whole number of activities, like 2",
            },
        }

    def __init__(self, *args, user, email_kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_message_preferences(user=user, email_kinds=email_kinds)
        self.fields["display_name"].required = True
        self.fields[
            "payment_preference"
        ].help_text = (
            "You can change this for each activity. Vouchers still count as earnings if you receive benefits."
        )

    def clean(self):
        cleaned = super().clean()
        _clean_phone(self)
        break_until = cleaned.get("break_until")
        if not cleaned.get("taking_break"):
            # A return date only means something while on a break; drop it quietly.
            cleaned["break_until"] = None
        elif break_until and break_until < timezone.localdate():
            self.add_error("break_until", "The return date must be today or in the future")
        return cleaned
