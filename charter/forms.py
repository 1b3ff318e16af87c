"""Forms check shape; services check rules."""

from django import forms

from charter.models import AgreementQuestion, Comment, Proposal
from charter.sections import SectionKey
from involvement.forms import LengthLimitsMixin


class ProposalForm(LengthLimitsMixin, forms.ModelForm):
    section_key = forms.ChoiceField(
        label="Which section would you like to change?",
        choices=[("", "Choose a section")] + list(SectionKey.choices),
        error_messages={
            "required": "Choose the section you would like to change",
            "invalid_choice": "Choose a section from the list",
        },
    )

    class Meta:
        model = Proposal
        fields = ["section_key", "body", "reason"]
        labels = {"body": "Your new wording", "reason": "Why would you like this change?"}
        help_texts = {
            "body": "Write the whole section as you would like it to read. Short sentences and everyday "
            "words help everyone.",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "reason": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "body": {"required": "Write your new wording"},
            "reason": {"required": "Say why you would like this change"},
        }


class ProposalEditForm(ProposalForm):
    section_key = None  # a proposal stays about its section

    class Meta(ProposalForm.Meta):
        fields = ["body", "reason"]


class CommentForm(LengthLimitsMixin, forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Your comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"body": {"required": "Write your comment"}}


class CompareForm(forms.Form):
    """Two version numbers, from the version history page (a GET form)."""

    older = forms.TypedChoiceField(
        label="Compare version",
        coerce=int,
        error_messages={"required": "Choose a version", "invalid_choice": "Choose a version from the list"},
    )
    newer = forms.TypedChoiceField(
        label="with version",
        coerce=int,
        error_messages={"required": "Choose a version", "invalid_choice": "Choose a version from the list"},
    )

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(number), f"Version {number}") for number in numbers]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices

    def clean(self):
        cleaned = super().clean()
        older, newer = cleaned.get("older"), cleaned.get("newer")
        if older is not None and newer is not None and older == newer:
            self.add_error("newer", "Choose two different versions")
        return cleaned


class AgreementQuestionForm(LengthLimitsMixin, forms.ModelForm):
    class Meta:
        model = AgreementQuestion
        fields = ["question"]
        labels = {"question": "Your question"}
        help_texts = {"question": "Your named involvement worker will get in touch to talk it through."}
        widgets = {"question": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"question": {"required": "Write your question"}}


class QuestionCloseForm(LengthLimitsMixin, forms.ModelForm):
    class Meta:
        model = AgreementQuestion
        fields = ["action_taken"]
        labels = {"action_taken": "What you did"}
        help_texts = {"action_taken": "For example, when you called them and what you agreed."}
        widgets = {"action_taken": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"action_taken": {"required": "Write what you did"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_taken"].required = True  # blank on the model while the question is open
