"""Pages for opportunities: browse, detail, the representative's actions and the worker's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.models import AccessLogEntry
from accounts.services import access_log_record
from catalogue.models import INVOLVEMENT_LEVEL_MEANINGS, InvolvementLevel
from involvement.errors import attempt
from opportunities.filters import OpportunityFilter
from opportunities.forms import (
    MAX_SESSIONS,
    LeadWorkerForm,
    OfferForm,
    OpportunityForm,
    ReasonForm,
    SignUpForm,
    session_formset,
)
from opportunities.models import (
    Opportunity,
    SelectionMethod,
    SignUp,
)
from opportunities.permissions import get_opportunity_for_manager, get_opportunity_for_viewer
from opportunities.presenters import (
    opportunity_page,
    selection_ranking_rows,
    signed_up_message,
    signup_action_page,
    still_open_to_apply,
    your_signup,
)
from opportunities.presenters import participants_page as participants_presenter
from opportunities.selectors import (
    clashing_sessions,
    opportunities_for_browse,
    opportunity_history,
    pace_passed,
    participant_get,
    participants,
    selection_draw_get,
    signup_counts,
    signup_for,
    waitlist_place,
)
from opportunities.services import (
    ACCEPT,
    DECLINE,
    WITHDRAW,
    attendance_record_session,
    offer_passes_over,
    opportunity_cancel,
    opportunity_change_lead,
    opportunity_close,
    opportunity_complete,
    opportunity_complete_refusal,
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
    return _detail_page(request, get_opportunity_for_viewer(request.user, opportunity_id))


def _detail_page(
    request: HttpRequest, opportunity: Opportunity, *, form: SignUpForm | None = None
) -> HttpResponse:
    """The opportunity's page; `form` is a sign-up form that failed, shown again with what
    the person typed and the message by the field."""
    signup = signup_for(opportunity=opportunity, person=request.user)
    yours = your_signup(user=request.user, opportunity=opportunity, signup=signup)
    context = {
        "opportunity": opportunity,
        "page": opportunity_page(opportunity=opportunity),
        "yours": yours,
        "sessions": opportunity.sessions.all(),
        "signup": signup,
        "waitlist_place": waitlist_place(signup=signup) if signup else None,
        "can_sign_up": yours.can_sign_up,
        "can_manage": request.user.has_perm("opportunities.manage_opportunity", opportunity),
        # Signed-in people see exact addresses and joining links; visitors see the area only.
        "show_private": request.user.is_authenticated,
        "form": form or SignUpForm(),
        "outcome": _published_outcome(opportunity),
        "can_change_lead": request.user.has_perm("opportunities.change_lead", opportunity),
        "history": None,  # staff only, below
    }
    if request.user.has_perm("opportunities.view_history", opportunity):
        context["history"] = list(opportunity_history(opportunity=opportunity))
    if context["can_sign_up"]:
        context["clashes"] = clashing_sessions(opportunity=opportunity, person=request.user)
        context["pace_passed"], context["pace_count"] = pace_passed(
            opportunity=opportunity, person=request.user
        )
    return render(request, "opportunities/opportunity_detail.html", context)


def _published_outcome(opportunity: Opportunity):
    from feedback.selectors import outcome_for

    outcome = outcome_for(opportunity=opportunity)
    return outcome if outcome is not None and outcome.is_published else None


def _next_or(request: HttpRequest, fallback: str) -> str:
    """Only follow a `next` (posted, or in the address of a confirmation page) that stays
    on this site."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    # A path on this site and nothing else: `redirect()` would try to look up any other
    # string ("foo", "99999") as a URL name and fail with a 500.
    if (
        target.startswith("/")
        and len(target) <= 2000
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def _back(opportunity_id: int) -> HttpResponse:
    return redirect("opportunities:detail", opportunity_id)


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def sign_up(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        # The page again, with the note as typed and the message by it: a redirect would lose it.
        return _detail_page(request, opportunity, form=form)
    attempt(
        request,
        lambda: signup_create(opportunity=opportunity, person=request.user, note=form.cleaned_data["note"]),
        signed_up_message,
    )
    return _back(opportunity.pk)


def _own_signup_action(
    request: HttpRequest, opportunity_id: int, action: str, call, success: str
) -> HttpResponse:
    """A representative's own action on their sign-up. It asks first: a GET (or a POST from
    a page that did not ask) shows what will happen; a POST with `confirm` does it. Plain
    links and forms, so it works without JavaScript."""
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    signup = signup_for(opportunity=opportunity, person=request.user)
    if signup is None:
        raise Http404("You have not signed up for this")
    detail_url = reverse("opportunities:detail", args=[opportunity.pk])
    back = _next_or(request, detail_url)
    if request.method == "POST" and request.POST.get("confirm"):
        attempt(request, lambda: call(signup=signup, person=request.user), success)
        return redirect(back)
    page = signup_action_page(signup=signup, opportunity=opportunity, action=action)
    if page.refusal:
        messages.error(request, page.refusal)
        return redirect(back)
    context = {"opportunity": opportunity, "signup": signup, "page": page, "back": back}
    if page.show_sessions:
        context["sessions"] = opportunity.sessions.all()
        context["clashes"] = clashing_sessions(opportunity=opportunity, person=request.user)
    return render(request, "opportunities/signup_confirm.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("opportunities.sign_up", raise_exception=True)
def withdraw(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request,
        opportunity_id,
        WITHDRAW,
        signup_withdraw,
        "You have withdrawn. Thank you for letting us know.",
    )


@require_http_methods(["GET", "POST"])
@permission_required("opportunities.sign_up", raise_exception=True)
def accept(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request, opportunity_id, ACCEPT, signup_accept, "You have accepted the place. It is confirmed."
    )


@require_http_methods(["GET", "POST"])
@permission_required("opportunities.sign_up", raise_exception=True)
def decline(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _own_signup_action(
        request,
        opportunity_id,
        DECLINE,
        signup_decline,
        "You have declined the place. We will offer it to someone else.",
    )


# --- worker pages ----------------------------------------------------------------------------


def _managed(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return get_opportunity_for_manager(request.user, opportunity_id)


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
    return _edit(request, _managed(request, opportunity_id))


def _transition(request: HttpRequest, opportunity_id: int, action, success: str) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    attempt(request, lambda: action(opportunity=opportunity, by=request.user), success)
    return redirect(_next_or(request, reverse("opportunities:detail", args=[opportunity.pk])))


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
    opportunity = _managed(request, opportunity_id)
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
    opportunity = _managed(request, opportunity_id)
    copy = opportunity_duplicate(opportunity=opportunity, by=request.user)
    messages.success(request, "This is a draft copy. Check the title and the dates, then publish it.")
    return redirect("opportunities:edit", copy.pk)


def cancel(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
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


def participants_page(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    signups = list(participants(opportunity=opportunity))
    return render(
        request,
        "opportunities/participants.html",
        {
            "opportunity": opportunity,
            "signups": signups,
            "page": participants_presenter(user=request.user, opportunity=opportunity, signups=signups),
            "sessions": list(opportunity.sessions.all()),
        },
    )


def _participant(opportunity: Opportunity, signup_id: int) -> SignUp:
    signup = participant_get(opportunity=opportunity, signup_id=signup_id)
    if signup is None:
        raise Http404("No such sign-up")
    return signup


def participant_note(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    """The sign-up's note and the person's support note, for the person's named worker and
    for the lead worker while the sign-up is active or recent (opportunities.permissions);
    each reading is written to the access log."""
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    if not request.user.has_perm("opportunities.view_participant_details", signup):
        raise Http404("No such note")
    access_log_record(
        viewer=request.user, subject=signup.person, what=AccessLogEntry.What.SUPPORT_NOTE, path=request.path
    )
    return render(
        request,
        "opportunities/participant_note.html",
        {"opportunity": opportunity, "signup": signup, "profile": signup.person.profile},
    )


def offer_place(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    """Offer a place by hand. The page shows who would be passed over; on a fair-share
    opportunity a reason is required, and it is kept in the sign-up's history."""
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    fair_share = opportunity.selection_method == SelectionMethod.FAIR_SHARE
    form = OfferForm(request.POST if request.method == "POST" else None, reason_required=fair_share)
    if (
        form.is_bound
        and form.is_valid()
        and attempt(
            request,
            lambda: signup_offer_by_hand(signup=signup, by=request.user, reason=form.cleaned_data["reason"]),
            "The place has been offered. They have been sent a message.",
            form=form,
        )
    ):
        return redirect("opportunities:participants", opportunity.pk)
    return render(
        request,
        "opportunities/offer_place.html",
        {
            "opportunity": opportunity,
            "signup": signup,
            "form": form,
            "fair_share": fair_share,
            "passed_over": offer_passes_over(signup=signup),
        },
    )


def cancel_signup(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    signup = _participant(opportunity, signup_id)
    form = ReasonForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: signup_cancel(signup=signup, by=request.user, reason=form.cleaned_data["reason"]),
            "The place has been cancelled and the reason recorded.",
            form=form,
        )
    ):
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
    attempt(
        request,
        lambda: attendance_record_session(
            opportunity=opportunity,
            session_id=_as_id(request.POST.get("session", "")),
            attended=_attendance_choices(request.POST),
            by=request.user,
        ),
        lambda recorded: f"Attendance recorded for {recorded} {'person' if recorded == 1 else 'people'}.",
    )
    return redirect("opportunities:participants", opportunity.pk)


def _as_id(value: str) -> int | None:
    """A positive id as typed in a form, or None for anything else (never a 500)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


def _attendance_choices(data) -> dict[int, bool]:
    """`attended-<sign-up id>` is "yes" or "no" for each person the worker answered for."""
    choices = {}
    for name, value in data.items():
        signup_id = _as_id(name.removeprefix("attended-")) if name.startswith("attended-") else None
        if signup_id is not None and value in {"yes", "no"}:
            choices[signup_id] = value == "yes"
    return choices


@require_POST
def selection_start(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _managed(request, opportunity_id)
    draw = selection_preview(opportunity=opportunity, by=request.user)
    return redirect("opportunities:selection", opportunity.pk, draw.pk)


def selection(request: HttpRequest, opportunity_id: int, draw_id: int) -> HttpResponse:
    """The ranking with the reason for each place, before anything changes."""
    opportunity = _managed(request, opportunity_id)
    draw = selection_draw_get(opportunity=opportunity, draw_id=draw_id)
    if draw is None:
        raise Http404("No such selection")
    if request.method == "POST":
        # Whether the draw is still to confirm is checked by the service, under the lock.
        if attempt(
            request,
            lambda: selection_run(opportunity=opportunity, draw=draw, by=request.user),
            lambda offered: (
                f"{len(offered)} place{'s' if len(offered) != 1 else ''} offered. "
                "Everyone else is on the waiting list in priority order."
            ),
        ):
            return redirect("opportunities:participants", opportunity.pk)
        # Refused: show the draw as it now stands (confirmed meanwhile, perhaps).
        draw = selection_draw_get(opportunity=opportunity, draw_id=draw_id)
    free = max(opportunity.places - opportunity.places_taken, 0)
    return render(
        request,
        "opportunities/selection.html",
        {
            "opportunity": opportunity,
            "draw": draw,
            "ranking": selection_ranking_rows(draw=draw),
            "free": free,
            # Before the deadline people may still apply: the ranking is only a preview.
            "provisional": still_open_to_apply(opportunity=opportunity),
        },
    )
