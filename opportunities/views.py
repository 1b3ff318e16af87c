"""Pages for opportunities: browse, detail, the representative's actions and the worker's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from accounts.models import AccessLogEntry
from accounts.services import access_log_record
from opportunities.filters import OpportunityFilter
from opportunities.forms import OpportunityForm, ReasonForm, SignUpForm, session_formset
from opportunities.models import (
    INVOLVEMENT_LEVEL_MEANINGS,
    InvolvementLevel,
    Opportunity,
    SelectionDraw,
    SignUp,
)
from opportunities.permissions import get_opportunity_for_viewer
from opportunities.selectors import (
    clashing_sessions,
    opportunities_for_browse,
    pace_passed,
    participants,
    signup_for,
    waitlist_place,
)
from opportunities.services import (
    OpportunityError,
    attendance_record,
    opportunity_cancel,
    opportunity_close,
    opportunity_complete,
    opportunity_duplicate,
    opportunity_publish,
    opportunity_save,
    selection_preview,
    selection_run,
    signup_accept,
    signup_cancel,
    signup_create,
    signup_decline,
    signup_offer_by_hand,
    signup_withdraw,
)

PAGE_SIZE = 20


@login_not_required
def browse(request: HttpRequest) -> HttpResponse:
    filterset = OpportunityFilter(request.GET or None, queryset=opportunities_for_browse(), user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        results = opportunities_for_browse().none()
    else:
        results = filterset.qs if filterset.is_bound else opportunities_for_browse()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opportunities/opportunity_list.html",
        {"filter": filterset, "form": filterset.form, "page": page, "query_string": query.urlencode()},
    )


@login_not_required
def detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    signup = signup_for(opportunity=opportunity, person=request.user)
    can_sign_up = request.user.has_perm("opportunities.sign_up") and opportunity.is_open_for_signup
    context = {
        "opportunity": opportunity,
        "sessions": opportunity.sessions.all(),
        "signup": signup,
        "waitlist_place": waitlist_place(signup=signup) if signup else None,
        "can_sign_up": can_sign_up
        and (signup is None or signup.state in {SignUp.State.WITHDRAWN, SignUp.State.DECLINED}),
        "can_manage": request.user.has_perm("opportunities.manage_opportunity", opportunity),
        # Signed-in people see exact addresses and joining links; visitors see the area only.
        "show_private": request.user.is_authenticated,
        "form": SignUpForm(),
        "outcome": _published_outcome(opportunity),
    }
    if context["can_sign_up"]:
        context["clashes"] = clashing_sessions(opportunity=opportunity, person=request.user)
        context["pace_passed"], context["pace_count"] = pace_passed(
            opportunity=opportunity, person=request.user
        )
    return render(request, "opportunities/opportunity_detail.html", context)


def _published_outcome(opportunity: Opportunity):
    from feedback.selectors import outcome_for

    outcome = outcome_for(opportunity=opportunity)
    return outcome if outcome is not None and outcome.status == "published" else None


def _next_or(request: HttpRequest, fallback: str) -> str:
    """Only follow a posted `next` that stays on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _attempt(request: HttpRequest, call, success: str) -> None:
    """Run one service call: a rule it refuses becomes a message for the person, never a
    500, and success says what happened."""
    try:
        call()
    except OpportunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


def _back(opportunity_id: int) -> HttpResponse:
    return redirect("opportunities:detail", opportunity_id)


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def sign_up(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your note could not be saved: keep it shorter and try again.")
        return _back(opportunity.pk)
    try:
        signup = signup_create(opportunity=opportunity, person=request.user, note=form.cleaned_data["note"])
    except OpportunityError as error:
        messages.error(request, str(error))
        return _back(opportunity.pk)
    messages.success(request, _signup_message(signup))
    return _back(opportunity.pk)


def _signup_message(signup: SignUp) -> str:
    return {
        SignUp.State.CONFIRMED: "Your place is confirmed. We have sent you the details.",
        SignUp.State.WAITLISTED: "All places are taken, so you are on the waiting list. "
        "We will tell you if a place comes free.",
        SignUp.State.APPLIED: "Thank you for applying. "
        "We will tell you after the deadline whether you have a place.",
    }.get(signup.state, "Your sign-up has been saved.")


def _own_signup_action(request: HttpRequest, opportunity_id: int, action, success: str) -> HttpResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    signup = signup_for(opportunity=opportunity, person=request.user)
    if signup is None:
        raise Http404("You have not signed up for this")
    _attempt(request, lambda: action(signup=signup, person=request.user), success)
    return redirect(_next_or(request, reverse("opportunities:detail", args=[opportunity.pk])))


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def withdraw(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request, opportunity_id, signup_withdraw, "You have withdrawn. Thank you for letting us know."
    )


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def accept(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request, opportunity_id, signup_accept, "You have accepted the place. It is confirmed."
    )


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def decline(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request,
        opportunity_id,
        signup_decline,
        "You have declined the place. We will offer it to someone else.",
    )


# --- worker pages ----------------------------------------------------------------------------


def _managed(request: HttpRequest, opportunity_id: int) -> Opportunity:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    if not request.user.has_perm("opportunities.manage_opportunity", opportunity):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return opportunity


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
            data["sessions-TOTAL_FORMS"] = str(min(total, 49) + 1)
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
            try:
                saved = opportunity_save(
                    opportunity=form.save(commit=False), sessions=sessions, by=request.user
                )
            except OpportunityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The opportunity has been saved.")
                return redirect("opportunities:detail", saved.pk)
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
    return _edit(request, _managed(request, opportunity_id))


def _transition(request: HttpRequest, opportunity_id: int, action, success: str) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    _attempt(request, lambda: action(opportunity=opportunity, by=request.user), success)
    return redirect(_next_or(request, reverse("opportunities:detail", args=[opportunity.pk])))


@require_POST
def publish(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _transition(
        request, opportunity_id, opportunity_publish, "Published: everyone can now see it and sign up."
    )


@require_POST
def close(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _transition(request, opportunity_id, opportunity_close, "Closed: nobody new can sign up.")


@require_POST
def complete(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _transition(
        request,
        opportunity_id,
        opportunity_complete,
        "Marked as completed. Next, write what changed: the outcome.",
    )


@require_POST
def duplicate(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    copy = opportunity_duplicate(opportunity=opportunity, by=request.user)
    messages.success(request, "This is a draft copy. Check the title and the dates, then publish it.")
    return redirect("opportunities:edit", copy.pk)


def cancel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity_cancel(opportunity=opportunity, by=request.user, reason=form.cleaned_data["reason"])
        except OpportunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "The opportunity is cancelled. Everyone who signed up has been told why."
            )
            return redirect("opportunities:detail", opportunity.pk)
    return render(
        request, "opportunities/opportunity_cancel.html", {"opportunity": opportunity, "form": form}
    )


def participants_page(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    signups = list(participants(opportunity=opportunity))
    can_read_notes = opportunity.lead_worker_id == request.user.pk
    return render(
        request,
        "opportunities/participants.html",
        {
            "opportunity": opportunity,
            "signups": signups,
            "sessions": list(opportunity.sessions.all()),
            "can_read_notes": can_read_notes,
            "applied_count": sum(s.state == SignUp.State.APPLIED for s in signups),
        },
    )


def _participant(opportunity: Opportunity, signup_id: int) -> SignUp:
    signup = opportunity.signups.select_related("person__profile").filter(pk=signup_id).first()
    if signup is None:
        raise Http404("No such sign-up")
    return signup


def participant_note(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    """The sign-up's note and the person's support note, for a worker who may read the
    person's support note (the lead worker of an opportunity they signed up to, or their
    named worker); each reading is written to the access log."""
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    if not request.user.has_perm("accounts.view_support_note", signup.person):
        raise Http404("No such note")
    access_log_record(
        viewer=request.user, subject=signup.person, what=AccessLogEntry.What.SUPPORT_NOTE, path=request.path
    )
    return render(
        request,
        "opportunities/participant_note.html",
        {"opportunity": opportunity, "signup": signup, "profile": signup.person.profile},
    )


@require_POST
def offer_place(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    _attempt(
        request,
        lambda: signup_offer_by_hand(signup=signup, by=request.user),
        "The place has been offered. They have been sent a message.",
    )
    return redirect("opportunities:participants", opportunity.pk)


def cancel_signup(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signup_cancel(signup=signup, by=request.user, reason=form.cleaned_data["reason"])
        except OpportunityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The place has been cancelled and the reason recorded.")
            return redirect("opportunities:participants", opportunity.pk)
    return render(
        request,
        "opportunities/signup_cancel.html",
        {"opportunity": opportunity, "signup": signup, "form": form},
    )


@require_POST
def record_attendance(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """One form per session: for each confirmed person, attended or did not attend."""
    opportunity = _managed(request, opportunity_id)
    session_id = request.POST.get("session", "")
    session = (
        opportunity.sessions.filter(pk=int(session_id)).first()
        if session_id.isascii() and session_id.isdigit()
        else None
    )
    if session is None:
        messages.error(request, "Choose a session to record attendance for.")
        return redirect("opportunities:participants", opportunity.pk)
    recorded = 0
    with transaction.atomic():
        for signup in opportunity.signups.filter(
            state__in=[SignUp.State.CONFIRMED, SignUp.State.ATTENDED, SignUp.State.NO_SHOW]
        ):
            choice = request.POST.get(f"attended-{signup.pk}")
            if choice not in {"yes", "no"}:
                continue
            try:
                attendance_record(signup=signup, session=session, attended=choice == "yes", by=request.user)
            except OpportunityError as error:
                messages.error(request, str(error))
                continue
            recorded += 1
    if recorded:
        messages.success(
            request, f"Attendance recorded for {recorded} {'person' if recorded == 1 else 'people'}."
        )
    else:
        messages.error(request, "Choose attended or did not attend for at least one person.")
    return redirect("opportunities:participants", opportunity.pk)


@require_POST
def selection_start(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    draw = selection_preview(opportunity=opportunity, by=request.user)
    return redirect("opportunities:selection", opportunity.pk, draw.pk)


def selection(request: HttpRequest, opportunity_id: int, draw_id: int) -> HttpResponse:
    """The ranking with the reason for each place, before anything changes."""
    opportunity = _managed(request, opportunity_id)
    draw = SelectionDraw.objects.filter(pk=draw_id, opportunity=opportunity).first()
    if draw is None:
        raise Http404("No such selection")
    if request.method == "POST":
        if draw.confirmed_at:
            messages.error(request, "This selection has already been confirmed.")
            return redirect("opportunities:participants", opportunity.pk)
        try:
            offered = selection_run(opportunity=opportunity, draw=draw, by=request.user)
        except OpportunityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{len(offered)} place{'s' if len(offered) != 1 else ''} offered. "
                "Everyone else is on the waiting list in priority order.",
            )
            return redirect("opportunities:participants", opportunity.pk)
    free = max(opportunity.places - opportunity.places_taken, 0)
    return render(
        request, "opportunities/selection.html", {"opportunity": opportunity, "draw": draw, "free": free}
    )
