"""Browsing and reading opportunities, and a representative's own actions: sign up,
withdraw, accept or decline a place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from involvement.errors import attempt
from opportunities.filters import OpportunityFilter
from opportunities.forms import SignUpForm
from opportunities.fragments import card_html, filter_form_html
from opportunities.models import Format, Opportunity
from opportunities.page_parts import cacheable, public_part, render_public_part, signup_fields
from opportunities.permissions import get_opportunity_for_viewer
from opportunities.presenters import opportunity_page, signed_up_message, signup_action_page, your_signup
from opportunities.selectors import (
    add_rates_in_force,
    clashing_sessions,
    opportunities_for_browse,
    opportunity_for_page,
    opportunity_get,
    opportunity_history,
    pace_passed,
    signup_for,
    waitlist_place,
)
from opportunities.services import (
    ACCEPT,
    DECLINE,
    WITHDRAW,
    signup_accept,
    signup_create,
    signup_decline,
    signup_withdraw,
)
from opportunities.views.common import next_or

PAGE_SIZE = 20


@login_not_required
@require_safe
def browse(request: HttpRequest) -> HttpResponse:
    everything = opportunities_for_browse()
    filterset = OpportunityFilter(request.GET or None, queryset=everything, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        results = everything.none()
    else:
        results = filterset.qs if filterset.is_bound else everything
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    opportunities = list(page.object_list)  # read once; the template's tests reuse it
    add_rates_in_force(opportunities)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "query_string": query.urlencode(),
        # The form and the cards come rendered, mostly from memory (opportunities.fragments).
        "filter_form": filter_form_html(filterset.form),
        "cards": [card_html(opportunity) for opportunity in opportunities],
    }
    return render(request, "opportunities/opportunity_list.html", context)


@login_not_required
@require_safe
def detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    # One query loads the row and the digest of what the page's public part shows; the
    # part itself comes from the cache while that digest stands (opportunities/page_parts.py).
    opportunity = opportunity_for_page(opportunity_id=opportunity_id)
    if opportunity is None or not request.user.has_perm("opportunities.view_opportunity", opportunity):
        raise Http404("No such opportunity")  # pragma: no mutate: templates/404.html never shows the text
    if request.user.has_perm("opportunities.view_history", opportunity) or not cacheable(opportunity):
        # Staff (the history and the manage column), and a fee read from today's rate card.
        return _detail_page(request, get_opportunity_for_viewer(request.user, opportunity_id))
    return _detail_page(request, opportunity, version=opportunity.page_version)


def _detail_page(
    request: HttpRequest, opportunity: Opportunity, *, form: SignUpForm | None = None, version: str = ""
) -> HttpResponse:
    """The opportunity's page; `form` is a sign-up form that failed, shown again with what
    the person typed and the message by the field. With `version` (the opportunity's
    `page_version`), `opportunity` is its row alone and the public part may come from the
    cache; without, `opportunity` comes with everything (`opportunity_get`)."""
    signup = signup_for(opportunity=opportunity, person=request.user)
    yours = your_signup(user=request.user, opportunity=opportunity, signup=signup)
    page = opportunity_page(opportunity=opportunity)
    show_private = request.user.is_authenticated
    hybrid = opportunity.format == Format.HYBRID
    if version:
        public = public_part(
            opportunity=opportunity,
            version=version,
            show_private=show_private,
            page=page,
            load=lambda: opportunity_get(opportunity_id=opportunity.pk),
        )
    else:
        public = render_public_part(opportunity=opportunity, show_private=show_private, page=page)
    context = {
        "opportunity": opportunity,
        "page": page,
        "public": public,
        "yours": yours,
        # Prefetched with `opportunity_get`; otherwise not read when the public part comes from
        # the cache, and so not queried.
        "sessions": opportunity.sessions.all(),
        "signup": signup,
        "waitlist_place": waitlist_place(signup=signup) if signup else None,
        "can_sign_up": yours.can_sign_up,
        "can_manage": request.user.has_perm("opportunities.manage_opportunity", opportunity),
        # Signed-in people see exact addresses and joining links; visitors see the area only.
        "show_private": show_private,
        "form": form or SignUpForm(hybrid=hybrid),
        "can_change_lead": request.user.has_perm("opportunities.change_lead", opportunity),
        "history": None,  # staff only, below
    }
    if request.user.has_perm("opportunities.view_history", opportunity):
        context["history"] = list(opportunity_history(opportunity=opportunity))
    if context["can_sign_up"]:
        context["signup_fields"] = signup_fields(form, hybrid=hybrid)
        context["clashes"] = clashing_sessions(opportunity=opportunity, person=request.user)
        context["pace_passed"], context["pace_count"] = pace_passed(
            opportunity=opportunity, person=request.user
        )
    return render(request, "opportunities/opportunity_detail.html", context)


def _back(opportunity_id: int) -> HttpResponse:
    return redirect("opportunities:detail", opportunity_id)


@require_POST
@permission_required("opportunities.sign_up", raise_exception=True)
def sign_up(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    form = SignUpForm(request.POST, hybrid=opportunity.format == Format.HYBRID)
    if not form.is_valid():
        # The page again, with the note as typed and the message by it: a redirect would lose it.
        return _detail_page(request, opportunity, form=form)
    attempt(
        request,
        lambda: signup_create(
            opportunity=opportunity,
            person=request.user,
            note=form.cleaned_data["note"],
            attendance_mode=form.cleaned_data.get("attendance_mode", ""),
        ),
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
    back = next_or(request, detail_url)
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
