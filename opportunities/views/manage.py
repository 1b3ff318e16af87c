"""The worker's pages for an opportunity: create and edit, publish, close, complete,
cancel, duplicate, and hand it to another lead worker."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from catalogue.models import INVOLVEMENT_LEVEL_MEANINGS, InvolvementLevel
from involvement.errors import attempt
from opportunities.forms import LeadWorkerForm, OpportunityForm, ReasonForm
from opportunities.models import Opportunity
from opportunities.permissions import get_opportunity_for_manager, get_opportunity_for_viewer
from opportunities.selectors import opportunity_history, signup_counts
from opportunities.services import (
    opportunity_cancel,
    opportunity_change_lead,
    opportunity_close,
    opportunity_complete,
    opportunity_complete_refusal,
    opportunity_duplicate,
    opportunity_publish,
    opportunity_save,
)
from opportunities.session_forms import MAX_SESSIONS, session_formset
from opportunities.views.common import next_or


def _edit(request: HttpRequest, opportunity: Opportunity) -> HttpResponse:
    adding_session = "add_session" in request.POST
    if request.method == "POST":
        form = OpportunityForm(request.POST, instance=opportunity)
        formset = session_formset(data=request.POST, opportunity=opportunity)
        if adding_session:
            # "Add another session" works without JavaScript: the form comes back with one
            # more empty session and everything typed so far kept.
            data = request.POST.copy()
            try:
                total = int(data.get("sessions-TOTAL_FORMS", 1))
            except ValueError:
                total = 1
            data["sessions-TOTAL_FORMS"] = str(min(max(total, 0), MAX_SESSIONS - 1) + 1)
            form = OpportunityForm(data, instance=opportunity)
            formset = session_formset(data=data, opportunity=opportunity)
            _quiet(form, formset)
            return _form_page(request, form, formset, opportunity, fresh=True)
        if form.is_valid() and formset.is_valid():
            sessions = formset.sessions()
            first = min(session.starts_at for session in sessions)
            if form.instance.signup_deadline > first:
                form.add_error(
                    "signup_deadline_date", "The sign-up deadline must be before the first session"
                )
                return _form_page(request, form, formset, opportunity)
            draft = form.save(commit=False)
            # A refused change of lead worker is shown beside that field.
            if attempt(
                request,
                lambda: opportunity_save(opportunity=draft, sessions=sessions, by=request.user),
                "The opportunity has been saved.",
                form=form,
            ):
                return redirect("opportunities:detail", draft.pk)
    else:
        form = OpportunityForm(instance=opportunity)
        formset = session_formset(opportunity=opportunity)
    return _form_page(request, form, formset, opportunity)


def _quiet(form, formset) -> None:
    """Keep what was typed but show no errors yet: the person asked for another session,
    not to save, so nothing has been checked."""
    form.full_clean()
    form._errors = ErrorDict()
    formset.full_clean()
    for session_form in formset.forms:
        session_form._errors = ErrorDict()
    formset._non_form_errors = ErrorList()


def _form_page(request, form, formset, opportunity, *, fresh: bool = False) -> HttpResponse:
    return render(
        request,
        "opportunities/opportunity_form.html",
        {
            "form": form,
            "formset": formset,
            "opportunity": opportunity,
            "fresh": fresh,
            "page_has_errors": not fresh and formset.is_bound and bool(formset.total_error_count()),
            "level_meanings": [
                (level.label, INVOLVEMENT_LEVEL_MEANINGS[level]) for level in InvolvementLevel
            ],
        },
    )


@permission_required("opportunities.manage_opportunity", raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Opportunity(lead_worker=request.user))


def edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _edit(request, get_opportunity_for_manager(request.user, opportunity_id))


def _transition(request: HttpRequest, opportunity_id: int, action, success: str) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    attempt(request, lambda: action(opportunity=opportunity, by=request.user), success)
    return redirect(next_or(request, reverse("opportunities:detail", args=[opportunity.pk])))


@require_POST
def publish(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _transition(
        request, opportunity_id, opportunity_publish, "Published: everyone can now see it and sign up."
    )


@require_POST
def close(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _transition(request, opportunity_id, opportunity_close, "Closed: nobody new can sign up.")


def complete(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """A confirmation page: GET says what completing will do, POST completes and leads on to
    the outcome, so the feedback loop starts the moment the activity is finished (F2)."""
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    if request.method == "POST":
        if attempt(
            request,
            lambda: opportunity_complete(opportunity=opportunity, by=request.user),
            "Marked as completed. Next: write what changed.",
        ):
            return redirect("feedback:outcome_edit", opportunity.pk)
        return redirect("opportunities:complete", opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_complete.html",
        {
            "opportunity": opportunity,
            "refusal": opportunity_complete_refusal(opportunity=opportunity),
            "counts": signup_counts(opportunity=opportunity),
        },
    )


@require_POST
def duplicate(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    copy = opportunity_duplicate(opportunity=opportunity, by=request.user)
    messages.success(request, "This is a draft copy. Check the title and the dates, then publish it.")
    return redirect("opportunities:edit", copy.pk)


def cancel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: opportunity_cancel(
                opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"]
            ),
            "The opportunity is cancelled. Everyone who signed up has been told why.",
            form=form,
        )
    ):
        return redirect("opportunities:detail", opportunity.pk)
    return render(
        request, "opportunities/opportunity_cancel.html", {"opportunity": opportunity, "form": form}
    )


def change_lead(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Hand the opportunity to another lead worker: its lead worker or a manager only, since
    being lead opens the participants' notes. Every change goes into the history."""
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    if not request.user.has_perm("opportunities.change_lead", opportunity):
        raise PermissionDenied
    form = LeadWorkerForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: opportunity_change_lead(
                opportunity=opportunity,
                lead_worker=form.cleaned_data["lead_worker"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            ),
            "The lead worker has been changed. We have told them both.",
            form=form,
        )
    ):
        return redirect("opportunities:detail", opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_lead.html",
        {"opportunity": opportunity, "form": form, "history": opportunity_history(opportunity=opportunity)},
    )
