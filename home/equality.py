"""The person's own equality monitoring answers (accounts.equality), a section of the profile
page with a form of its own: optional, explained, and seen by nobody else one by one."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from accounts.equality import CHARACTERISTICS, EqualityMonitoring


class EqualityMonitoringForm(forms.ModelForm):
    class Meta:
        model = EqualityMonitoring
        fields = [field for field, _, _ in CHARACTERISTICS]
        widgets = {field: forms.RadioSelect for field in fields}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Django offers an empty "---------" radio for an optional choice: not asking
            # is leaving them all unticked, so that button is dropped.
            field.choices = [choice for choice in field.choices if choice[0] != ""]
            field.required = False
            field.error_messages["invalid_choice"] = "Choose one of the answers, or leave this question"


@permission_required("accounts.use_representative_area", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def equality_monitoring(request: HttpRequest) -> HttpResponse:
    answers = EqualityMonitoring.objects.filter(person=request.user).first() or EqualityMonitoring(
        person=request.user
    )
    # Bound on every POST: an empty one (nothing ticked) is a valid answer.
    form = EqualityMonitoringForm(request.POST if request.method == "POST" else None, instance=answers)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Thank you. Your answers have been saved.")
        return redirect("me:profile")
    return render(request, "home/equality_form.html", {"form": form})
