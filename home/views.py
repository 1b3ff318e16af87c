"""The pages that compose the apps below them: a representative's home (/me/), a worker's
home (/worker/), and the profile page, which shows the profile (accounts) with the
messages a person may stop by e-mail (notifications)."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe
from django.views.generic import UpdateView
from rules.contrib.views import permission_required

from accounts.equality import EqualityMonitoring
from accounts.forms import ProfileForm
from accounts.selectors import NEW_REGISTRANT_DAYS, people_awaiting_named_worker, profile_for_user
from accounts.views import OwnProfileMixin
from charter.selectors import agreement_questions_waiting
from charter.services import agreement_due
from feedback.selectors import (
    check_ins_due,
    follow_ups_waiting,
    opportunities_led_with_outcomes,
    outcomes_for_person,
)
from feedback.services import outcome_due_on
from involvement.fragments import code_version
from notifications.selectors import email_kind_choices, open_contact_tasks_for_worker
from opportunities.selectors import (
    caseload_with_last_involved,
    offers_lapsing_for_worker,
    signups_for_person,
    upcoming_sessions_for_person,
)
from payments.models import Claim
from payments.selectors import claim_links_of, claims_to_review, overdue_claims
from records.selectors import with_open_reference

# How long /me/'s rendered list of sign-ups is kept unread; a change never waits for it (the
# key changes instead).
SIGNUPS_LIST_SECONDS = 24 * 60 * 60
# Overdue claims listed on the worker's home; the rest are on /worker/claims/.
OVERDUE_SHOWN = 20
# New registrants listed on the worker home; the People page lists them all.
AWAITING_SHOWN = 10
# Questions about agreements listed on the worker home, oldest first.
QUESTIONS_SHOWN = 20
# Calls and letters listed on the worker home, soonest due first.
CONTACT_TASKS_SHOWN = 20


@permission_required("accounts.use_representative_area", raise_exception=True)
@require_safe
def me_home(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=request.user)
    signups = list(signups_for_person(person=request.user))
    # Each activity taken part in links to its claim (one query for all of them).
    claims = {claim.signup_id: claim for claim in claim_links_of(person=request.user)}
    by_state: dict[str, list] = {}
    for signup in signups:
        signup.payment_claim = claims.get(signup.pk)
        by_state.setdefault(signup.state, []).append(signup)
    # A confirmed place links to the activity's preparation pack, if it has one (issue 14).
    for signup in by_state.get("confirmed", []):
        signup.pack_ready = bool(signup.opportunity.preparation_pack)
    groups = [
        ("Confirmed", by_state.get("confirmed", [])),
        ("Waiting for selection", by_state.get("applied", [])),
        ("On a waiting list", by_state.get("waitlisted", [])),
        ("Taken part", by_state.get("attended", [])),
        ("Not this time", by_state.get("not_selected", []) + by_state.get("cancelled", [])),
    ]
    return render(
        request,
        "home/me_home.html",
        {
            "profile": profile,
            "upcoming": upcoming_sessions_for_person(person=request.user),
            "offered": by_state.get("offered", []),
            "outcomes": outcomes_for_person(person=request.user),
            "check_ins_due": check_ins_due(person=request.user),
            # At onboarding, and after a change to the charter that changes agreements (one query).
            "agreement_due": agreement_due(person=request.user),
            "groups": groups,
            "signups_list": _signups_list(groups),
        },
    )


def _signups_list(groups: list[tuple[str, list]]) -> SafeString:
    """The sign-ups by group, rendered once and kept while what it shows stays the same: the
    key is a digest of every value the list prints (and of the code), read from the rows the
    page has just loaded, so a change to any of them shows at once. Forty rows cost about a
    fifth of the page's time to render (docs/benchmarks.md)."""
    shown = [
        (
            label,
            [
                (
                    signup.pk,
                    signup.opportunity_id,
                    signup.opportunity.title,
                    signup.opportunity.starts_at,
                    getattr(signup, "pack_ready", False),
                    claim and (claim.pk, claim.state, claim.can_still_change, claim.get_state_display()),
                )
                for signup in signups
                for claim in [signup.payment_claim]
            ],
        )
        for label, signups in groups
    ]
    digest = hashlib.sha256(repr((shown, code_version())).encode()).hexdigest()
    key = f"me-signups:{digest}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = render_to_string("home/_me_signups.html", {"groups": groups})
        cache.set(key, rendered, SIGNUPS_LIST_SECONDS)
    return rendered


class ProfileView(OwnProfileMixin, UpdateView):
    form_class = ProfileForm
    template_name = "home/profile_form.html"
    success_url = reverse_lazy("me:profile")

    def get_initial(self):
        return {"break_until": self.object.break_until}

    def get_form_kwargs(self):
        user = self.request.user
        return {**super().get_form_kwargs(), "user": user, "email_kinds": email_kind_choices(user=user)}

    def get_context_data(self, **kwargs):
        answered = EqualityMonitoring.objects.filter(person=self.request.user).exists()
        return {**super().get_context_data(**kwargs), "has_equality_answers": answered}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your profile has been saved.")
        return response


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_safe
def worker_home(request: HttpRequest) -> HttpResponse:
    """Everything a named worker needs in one place (F7): opportunities with their next
    action, follow-ups oldest first, outcomes due, offers about to lapse, claims to approve
    and claims not paid in time (F3), the caseload."""
    today = timezone.localdate()
    opportunities = list(opportunities_led_with_outcomes(worker=request.user)[:100])
    rows, outcomes_due = [], []
    caseload = list(
        with_open_reference(caseload_with_last_involved(worker=request.user), worker=request.user)
    )
    for opportunity in opportunities:
        outcome = getattr(opportunity, "outcome", None)
        due = outcome_due_on(opportunity) if opportunity.status == "completed" else None
        if due and (outcome is None or outcome.status != "published"):
            outcomes_due.append({"opportunity": opportunity, "due": due, "overdue": due < today})
        rows.append({"opportunity": opportunity, "action": next_action(opportunity, outcome)})
    return render(
        request,
        "home/worker_home.html",
        {
            "rows": rows,
            "follow_ups": follow_ups_waiting(worker=request.user),
            # Questions about agreements (the charter's, not follow-ups: ADR 16), one query.
            "agreement_questions": list(
                agreement_questions_waiting(worker=request.user)[: QUESTIONS_SHOWN + 1]
            ),
            "questions_shown": QUESTIONS_SHOWN,
            "outcomes_due": sorted(outcomes_due, key=lambda item: item["due"]),
            "lapsing": offers_lapsing_for_worker(worker=request.user),
            "caseload": caseload,
            # References asked of them and not yet sent (issue 14), oldest first, with their
            # age: read in the caseload's own query, so the home's queries stay as they were.
            "reference_requests": sorted(
                (person for person in caseload if person.open_reference_id),
                key=lambda person: person.open_reference_asked_at,
            ),
            "claims_to_approve": claims_to_review(user=request.user, state=Claim.State.SUBMITTED).count(),
            # One more than shown, to know whether there are more without counting them.
            "overdue_claims": list(
                overdue_claims(today=today, lead_worker=request.user)[: OVERDUE_SHOWN + 1]
            ),
            "overdue_shown": OVERDUE_SHOWN,
            "payment_target_days": settings.PAYMENT_TARGET_DAYS,
            # New registrants with nobody to get in touch (issue 13): one more than shown.
            "awaiting_named_worker": list(people_awaiting_named_worker()[: AWAITING_SHOWN + 1]),
            "awaiting_shown": AWAITING_SHOWN,
            "new_registrant_days": NEW_REGISTRANT_DAYS,
            # Calls and letters the outbox gave them (issue 13, items 4 and 7): one query.
            "contact_tasks": list(
                open_contact_tasks_for_worker(worker=request.user)[: CONTACT_TASKS_SHOWN + 1]
            ),
            "contact_tasks_shown": CONTACT_TASKS_SHOWN,
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
