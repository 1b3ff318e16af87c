"""Pages for the feedback loop: outcomes, check-ins and follow-ups."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.models import AccessLogEntry
from accounts.permissions import get_person_for_staff
from accounts.services import access_log_record
from feedback.forms import CheckInForm, FollowUpCloseForm, FollowUpPickUpForm, OutcomeForm
from feedback.permissions import (
    check_ins_readable_by,
    get_follow_up_for_worker,
    get_opportunity_to_check_in_about,
    get_opportunity_to_write_outcome,
)
from feedback.selectors import (
    check_ins_of,
    follow_up_get,
    outcome_filter_choices,
    outcome_for,
    outcomes_published,
)
from feedback.services import (
    check_in_create,
    follow_up_close,
    follow_up_pick_up,
    outcome_due_on,
    outcome_publish,
    outcome_save,
)
from involvement.errors import attempt

PAGE_SIZE = 20


def _as_id(value: str | None) -> int | None:
    """A positive id from a query string, or None for anything else (never a 500)."""
    if value and value.isascii() and value.isdigit() and len(value) < 18:
        return int(value)
    return None


@login_not_required
@require_safe
def outcome_list(request: HttpRequest) -> HttpResponse:
    """Published outcomes, "You said, we did", newest first, readable by anyone."""
    team, activity_type = request.GET.get("team", ""), request.GET.get("activity_type", "")
    outcomes = outcomes_published(
        team_id=_as_id(team) or None, activity_type_id=_as_id(activity_type) or None
    )
    teams, activity_types = outcome_filter_choices()
    page = Paginator(outcomes, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/outcome_list.html",
        {
            "page": page,
            "teams": teams,
            "activity_types": activity_types,
            "team": team,
            "activity_type": activity_type,
            "query_string": query.urlencode(),
        },
    )


def outcome_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_to_write_outcome(request.user, opportunity_id)
    outcome = outcome_for(opportunity=opportunity)
    form = OutcomeForm(request.POST or None, instance=outcome)
    publish = "publish" in request.POST

    def save():
        saved = outcome_save(opportunity=opportunity, by=request.user, **form.cleaned_data)
        return outcome_publish(outcome=saved, by=request.user) if publish else None

    def said(told):
        if not publish:
            return "Your draft has been saved. Nobody else can see it yet."
        return f"Published. {told} {'person' if told == 1 else 'people'} who took part will be told."

    if request.method == "POST" and form.is_valid() and attempt(request, save, said, form=form):
        return redirect("feedback:outcome_edit", opportunity.pk)
    return render(
        request,
        "feedback/outcome_form.html",
        {"opportunity": opportunity, "outcome": outcome, "form": form, "due_on": outcome_due_on(opportunity)},
    )


@permission_required("feedback.check_in", raise_exception=True)
def check_in_new(request: HttpRequest) -> HttpResponse:
    """A private check-in, about an activity (?opportunity=<id>) or about anything."""
    opportunity = None
    raw_id = request.GET.get("opportunity") or request.POST.get("opportunity")
    if raw_id:
        opportunity = get_opportunity_to_check_in_about(request.user, _as_id(raw_id))
    form = CheckInForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: check_in_create(person=request.user, opportunity=opportunity, **form.cleaned_data),
            form=form,
        )
    ):
        # The person's own answer says which thanks to give: the urgent-help one stands out.
        if form.cleaned_data["wants_chat"]:
            messages.success(
                request,
                "Thank you. We have asked your involvement worker to get in touch.",
                extra_tags="urgent-help",
            )
        else:
            messages.success(request, "Thank you for telling us. Only you and your workers can read it.")
        return redirect("me:home")
    return render(request, "feedback/check_in_form.html", {"form": form, "opportunity": opportunity})


@permission_required("feedback.check_in", raise_exception=True)
@require_safe
def my_check_ins(request: HttpRequest) -> HttpResponse:
    page = Paginator(check_ins_of(person=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/my_check_ins.html", {"page": page})


@permission_required("accounts.use_worker_area", raise_exception=True)
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """The follow-up with the check-in behind it; reading it is written to the access log.
    Two forms: pick it up with a date to call by (`action=pick_up`), or close it."""
    follow_up = get_follow_up_for_worker(request.user, follow_up_id)
    picking_up = request.method == "POST" and request.POST.get("action") == "pick_up"
    pick_up_form = FollowUpPickUpForm(request.POST if picking_up else None, prefix="pick_up")
    # The form works on a copy: what the page shows stays what the database holds.
    form = FollowUpCloseForm(
        request.POST if request.method == "POST" and not picking_up else None,
        instance=follow_up_get(follow_up_id=follow_up_id),
    )
    if picking_up:
        if pick_up_form.is_valid() and attempt(
            request,
            lambda: follow_up_pick_up(
                follow_up=follow_up, by=request.user, call_by=pick_up_form.cleaned_data["call_by"]
            ),
            "Picked up. We have told them when you will call.",
            form=pick_up_form,
        ):
            return redirect("feedback:follow_up", follow_up.pk)
    elif (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: follow_up_close(
                follow_up=follow_up, by=request.user, action_taken=form.cleaned_data["action_taken"]
            ),
            "The follow-up is closed. Thank you.",
            form=form,
        )
    ):
        return redirect("worker:home")
    access_log_record(
        viewer=request.user, subject=follow_up.person, what=AccessLogEntry.What.CHECK_IN, path=request.path
    )
    return render(
        request,
        "feedback/follow_up_detail.html",
        {
            "follow_up": follow_up,
            "form": form,
            "pick_up_form": pick_up_form,
            "check_in": follow_up.check_in,
            "target_days": settings.FOLLOW_UP_TARGET_WORKING_DAYS,
            "overdue": follow_up.is_overdue(),
            # The title says "Error:" for either form (base.html looks at `form` alone).
            "page_has_errors": bool(pick_up_form.errors),
        },
    )


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_safe
def person_check_ins(request: HttpRequest, person_id: int) -> HttpResponse:
    """A person's check-ins that this worker may read (all of them for their named worker;
    those about activities they lead otherwise). Each reading is logged."""
    person = get_person_for_staff(request.user, person_id)
    check_ins = check_ins_readable_by(request.user, check_ins_of(person=person))
    if check_ins:
        access_log_record(
            viewer=request.user, subject=person, what=AccessLogEntry.What.CHECK_IN, path=request.path
        )
    return render(request, "feedback/person_check_ins.html", {"person": person, "check_ins": check_ins})
