"""Pages about people: the representative's own pages and the worker's view of a person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import UpdateView
from rules.contrib.views import PermissionRequiredMixin, permission_required

from accounts.forms import MessagePreferencesForm, OnboardingForm, ProfileForm
from accounts.middleware import SESSION_ONBOARDED
from accounts.models import AccessLogEntry, Profile
from accounts.permissions import get_person_for_staff, home_url_name
from accounts.selectors import caseload_for_worker, profile_for_user
from accounts.services import access_log_record, onboarding_complete


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "landing.html")


@login_not_required
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def home(request: HttpRequest) -> HttpResponse:
    """Sends each person to the home page of their role."""
    return redirect(home_url_name(request.user))


@permission_required("accounts.use_representative_area", raise_exception=True)
def me_home(request: HttpRequest) -> HttpResponse:
    from feedback.selectors import check_ins_due, outcomes_for_person
    from opportunities.selectors import signups_for_person, upcoming_sessions_for_person

    profile = profile_for_user(user=request.user)
    signups = list(signups_for_person(person=request.user))
    by_state: dict[str, list] = {}
    for signup in signups:
        by_state.setdefault(signup.state, []).append(signup)
    return render(
        request,
        "accounts/me_home.html",
        {
            "profile": profile,
            "upcoming": upcoming_sessions_for_person(person=request.user),
            "offered": by_state.get("offered", []),
            "outcomes": outcomes_for_person(person=request.user),
            "check_ins_due": check_ins_due(person=request.user),
            "groups": [
                ("Confirmed", by_state.get("confirmed", [])),
                ("Waiting for selection", by_state.get("applied", [])),
                ("On a waiting list", by_state.get("waitlisted", [])),
                ("Taken part", by_state.get("attended", [])),
                ("Not this time", by_state.get("not_selected", []) + by_state.get("cancelled", [])),
            ],
        },
    )


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
        return redirect("me:home")


class ProfileView(OwnProfileMixin, UpdateView):
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"
    success_url = reverse_lazy("me:profile")

    def get_initial(self):
        return {"break_until": self.object.break_until}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your profile has been saved.")
        return response


class MessagePreferencesView(UpdateView):
    """Which messages reach this person by e-mail; for every role (staff get messages too)."""

    form_class = MessagePreferencesForm
    template_name = "accounts/message_preferences.html"
    success_url = reverse_lazy("me:preferences")

    def get_object(self, queryset=None) -> Profile:
        return profile_for_user(user=self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your message preferences have been saved.")
        return response


@permission_required("accounts.use_worker_area", raise_exception=True)
def worker_home(request: HttpRequest) -> HttpResponse:
    """Everything a named worker needs in one place (F7): opportunities with their next
    action, follow-ups oldest first, outcomes due, offers about to lapse, the caseload."""
    from feedback.selectors import follow_ups_waiting
    from feedback.services import outcome_due_on
    from opportunities.selectors import offers_lapsing_for_worker, opportunities_led_by

    today = timezone.localdate()
    opportunities = list(opportunities_led_by(worker=request.user)[:100])
    rows, outcomes_due = [], []
    for opportunity in opportunities:
        outcome = getattr(opportunity, "outcome", None)
        due = outcome_due_on(opportunity) if opportunity.status == "completed" else None
        if due and (outcome is None or outcome.status != "published"):
            outcomes_due.append({"opportunity": opportunity, "due": due, "overdue": due < today})
        rows.append({"opportunity": opportunity, "action": next_action(opportunity, outcome)})
    return render(
        request,
        "accounts/worker_home.html",
        {
            "rows": rows,
            "follow_ups": follow_ups_waiting(worker=request.user),
            "outcomes_due": sorted(outcomes_due, key=lambda item: item["due"]),
            "lapsing": offers_lapsing_for_worker(worker=request.user),
            "caseload": caseload_for_worker(worker=request.user),
        },
    )


def next_action(opportunity, outcome) -> tuple[str, str] | None:
    """The one thing to do next on an opportunity, as (label, url name)."""
    now = timezone.now()
    if opportunity.status == "draft":
        return ("Check and publish", "opportunities:detail")
    if opportunity.status in {"published", "closed"}:
        if opportunity.ends_at and opportunity.ends_at < now:
            return ("Record attendance and complete", "opportunities:participants")
        if (
            opportunity.selection_method == "fair_share"
            and not opportunity.selection_done_at
            and (opportunity.signup_deadline <= now)
        ):
            return ("Run the fair-share selection", "opportunities:participants")
        return ("See who has signed up", "opportunities:participants")
    if opportunity.status == "completed" and (outcome is None or outcome.status != "published"):
        return ("Write the outcome", "feedback:outcome_edit")
    return None


@permission_required("accounts.use_worker_area", raise_exception=True)
def worker_person(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for_staff(request.user, person_id)
    return render(request, "accounts/worker_person.html", {"person": person, "profile": person.profile})


@permission_required("accounts.use_worker_area", raise_exception=True)
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
