from django import forms

from privacy.models import DataRequest


class ErasureRequestForm(forms.Form):
    understood = forms.BooleanField(
        label="I understand that my account will be closed and my details erased",
        error_messages={"required": "Tick the box to show you understand your account will be closed"},
    )


class StaffRequestForm(forms.Form):
    """A request made by phone, letter, e-mail or in person, recorded by staff."""

    kind = forms.ChoiceField(
        label="What did they ask for?",
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they asked for"},
    )
    channel = forms.ChoiceField(
        label="How did they ask?",
        choices=[choice for choice in DataRequest.Channel.choices if choice[0] != DataRequest.Channel.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how they asked"},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("confirm", "Erase their data now"), ("decline", "Decline the request")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to erase their data or decline"},
    )
