"""Pages about people: the welcome, a person's support note for a worker, and the site's
public pages. The homes, the profile page and the worker's people pages, which show other
apps' data too, are in `home`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import UpdateView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from accounts.forms import MobileNumberForm, OnboardingForm, PhoneCodeForm
from accounts.middleware import SESSION_ONBOARDED
from accounts.models import AccessLogEntry, ContactMethod, Profile
from accounts.permissions import get_person_for_staff, home_url_name
from accounts.phones import national_format
from accounts.selectors import profile_for_user
from accounts.services import (
    AccountsError,
    access_log_record,
    onboarding_complete,
    phone_confirm,
    phone_confirmation_pending,
    phone_confirmation_start,
)


@login_not_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


@login_not_required
@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


@login_not_required
@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Sends each person to the home page of their role."""
    return redirect(home_url_name(request.user))


class OwnProfileMixin(PermissionRequiredMixin):
    permission_required = "accounts.use_representative_area"
    raise_exception = True
    model = Profile

    def get_object(self, queryset=None) -> Profile:
        return profile_for_user(user=self.request.user)


class OnboardingView(OwnProfileMixin, UpdateView):
    form_class = OnboardingForm
    template_name = "accounts/onboarding.html"

    def form_valid(self, form):
        profile = form.save()
        onboarding_complete(profile=profile)
        self.request.session[SESSION_ONBOARDED] = True
        messages.success(self.request, "Thank you. You can change these details at any time on your profile.")
        if profile.contact_method == ContactMethod.TEXT and settings.TEXT_MESSAGES_ENABLED:
            # Texts go only to a number confirmed with a code: ask for it now, while they
            # are thinking of it, rather than leave them waiting for texts that never come.
            return redirect("me:phone")
        return redirect("me:home")


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_safe
def worker_person_support_note(request: HttpRequest, person_id: int) -> HttpResponse:
    """Shows a person's support note on its own page, so that opening it is a deliberate
    act, and writes each opening to the access log."""
    person = get_person_for_staff(request.user, person_id)
    if not request.user.has_perm("accounts.view_support_note", person):
        return redirect(reverse("worker:person", args=[person.pk]))
    access_log_record(
        viewer=request.user, subject=person, what=AccessLogEntry.What.SUPPORT_NOTE, path=request.path
    )
    return render(request, "accounts/worker_support_note.html", {"person": person, "profile": person.profile})


def _texts_off(request: HttpRequest) -> HttpResponse:
    messages.info(request, "We cannot send texts at the moment. We will keep using e-mail.")
    return redirect("me:preferences")


@permission_required("accounts.use_representative_area", raise_exception=True)
def phone_number(request: HttpRequest) -> HttpResponse:
    """The mobile number for texts: a code goes to it, to be typed back on the next page."""
    profile = profile_for_user(user=request.user)
    form = MobileNumberForm(request.POST or None)
    if request.method == "POST":
        if not settings.TEXT_MESSAGES_ENABLED:
            return _texts_off(request)
        if form.is_valid():
            try:
                phone_confirmation_start(user=request.user, number=form.cleaned_data["mobile_number"])
            except AccountsError as error:
                form.add_error("mobile_number", str(error))
            else:
                return redirect("me:phone_confirm")
    current = national_format(profile.mobile_number) if profile.mobile_number else ""
    return render(
        request,
        "accounts/phone_number.html",
        {"form": form, "current": current, "texts_on": settings.TEXT_MESSAGES_ENABLED},
    )


@permission_required("accounts.use_representative_area", raise_exception=True)
def phone_confirm_code(request: HttpRequest) -> HttpResponse:
    """Type back the code sent by text. Wrong tries count and end the code (the service)."""
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST":
        if not settings.TEXT_MESSAGES_ENABLED:
            return _texts_off(request)
        if form.is_valid():
            try:
                number = phone_confirm(user=request.user, code=form.cleaned_data["code"])
            except AccountsError as error:
                form.add_error("code", str(error))
            else:
                messages.success(
                    request,
                    f"Your mobile number {national_format(number)} is confirmed. "
                    "Choose below which messages come by text.",
                )
                return redirect("me:preferences")
    pending = phone_confirmation_pending(user=request.user)
    return render(
        request,
        "accounts/phone_confirm.html",
        {
            "form": form,
            "pending_number": national_format(pending.number) if pending else "",
            "texts_on": settings.TEXT_MESSAGES_ENABLED,
        },
    )
