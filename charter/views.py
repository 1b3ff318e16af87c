"""The charter's pages: the current version (public), earlier versions and comparisons
(public), and proposals (signed in: propose, comment, co-sign; an administrator publishes)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from catalogue.models import INVOLVEMENT_LEVEL_MEANINGS
from charter.diff import versions_diff, wording_diff
from charter.forms import CommentForm, CompareForm, ProposalEditForm, ProposalForm
from charter.models import Proposal
from charter.presenters import proposal_state, version_sections
from charter.readability import TARGET_READING_AGE, reading_age
from charter.sections import SectionKey
from charter.selectors import (
    current_number,
    current_version,
    proposal_get,
    proposals_list,
    section_current,
    version_get,
    versions_all,
)
from charter.services import comment_add, proposal_co_sign, proposal_create, proposal_publish, proposal_update
from involvement.errors import attempt

PROPOSALS_SHOWN = 100


def _version_page(request: HttpRequest, version, *, is_current: bool) -> HttpResponse:
    return render(
        request,
        "charter/charter_version.html",
        {
            "version": version,
            "is_current": is_current,
            "parts": version_sections(version) if version else None,
            "level_meanings": INVOLVEMENT_LEVEL_MEANINGS,
        },
    )


@login_not_required
@require_safe
def charter_current(request: HttpRequest) -> HttpResponse:
    return _version_page(request, current_version(), is_current=True)


@login_not_required
@require_safe
def charter_version(request: HttpRequest, number: int) -> HttpResponse:
    version = version_get(number=number)
    if version is None:
        raise Http404("No such version")  # pragma: no mutate: templates/404.html never shows the text
    newest = current_version()
    return _version_page(request, version, is_current=newest is not None and newest.pk == version.pk)


@login_not_required
@require_safe
def charter_history(request: HttpRequest) -> HttpResponse:
    versions = list(versions_all())
    form = CompareForm(numbers=[version.number for version in versions])
    return render(request, "charter/charter_history.html", {"versions": versions, "form": form})


@login_not_required
@require_safe
def charter_compare(request: HttpRequest) -> HttpResponse:
    """Any two versions, the older first whichever order they were chosen in."""
    versions = list(versions_all())
    form = CompareForm(request.GET, numbers=[version.number for version in versions])
    if not form.is_valid():
        return render(request, "charter/charter_history.html", {"versions": versions, "form": form})
    older_number, newer_number = sorted([form.cleaned_data["older"], form.cleaned_data["newer"]])
    older, newer = version_get(number=older_number), version_get(number=newer_number)
    changes = versions_diff(older.sections.all(), newer.sections.all())
    return render(
        request,
        "charter/charter_compare.html",
        {"older": older, "newer": newer, "changes": changes, "changed": [c for c in changes if c.changed]},
    )


@permission_required("charter.take_part", raise_exception=True)
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "charter/proposal_list.html",
        {
            "open": list(proposals_list(status=Proposal.Status.OPEN)[:PROPOSALS_SHOWN]),
            "published": list(proposals_list(status=Proposal.Status.PUBLISHED)[:PROPOSALS_SHOWN]),
            "has_charter": current_number() is not None,
        },
    )


@permission_required("charter.take_part", raise_exception=True)
def proposal_new(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("section", "")
    initial = {}
    if chosen in SectionKey.values:
        section = section_current(key=chosen)
        initial = {"section_key": chosen, "body": section.body if section else ""}
    form = ProposalForm(request.POST or None, initial=initial)
    created: list[Proposal] = []

    def create() -> Proposal:
        created.append(proposal_create(by=request.user, **form.cleaned_data))
        return created[0]

    if request.method == "POST" and form.is_valid():
        said = (
            "Your proposal has been saved. You have co-signed it. "
            "It needs a representative and a member of staff."
        )
        if attempt(request, create, said, form=form):
            return redirect("charter:proposal", created[0].pk)
    key = form["section_key"].value()
    current = section_current(key=key) if key in SectionKey.values else None
    return render(
        request,
        "charter/proposal_form.html",
        {
            "form": form,
            "current": current,
            "reading_age": reading_age(request.POST.get("body", "")),
            "target_reading_age": TARGET_READING_AGE,
        },
    )


@permission_required("charter.take_part", raise_exception=True)
def proposal_detail(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get(proposal_id=proposal_id)
    if proposal is None:
        raise Http404("No such proposal")  # pragma: no mutate: templates/404.html never shows the text
    form = CommentForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: comment_add(proposal=proposal, by=request.user, body=form.cleaned_data["body"]),
            "Your comment has been added.",
            form=form,
        )
    ):
        return redirect("charter:proposal", proposal.pk)
    current = section_current(key=proposal.section_key)
    state = proposal_state(proposal, viewer=request.user, current=current)
    return render(
        request,
        "charter/proposal_detail.html",
        {
            "proposal": proposal,
            "state": state,
            "current": current,
            "pieces": wording_diff(current.body if current else "", proposal.body)
            if proposal.is_open
            else None,
            "form": form,
            "reading_age": reading_age(proposal.body),
            "target_reading_age": TARGET_READING_AGE,
        },
    )


@permission_required("charter.take_part", raise_exception=True)
def proposal_edit(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The proposer rewrites it, against the section's current wording (the rebase)."""
    proposal = proposal_get(proposal_id=proposal_id)
    if proposal is None:
        raise Http404("No such proposal")  # pragma: no mutate: templates/404.html never shows the text
    if not request.user.has_perm("charter.edit_proposal", proposal):
        raise PermissionDenied
    form = ProposalEditForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: proposal_update(proposal=proposal, by=request.user, **form.cleaned_data),
            "Your proposal has been changed. Anyone who co-signed it has been asked to sign again.",
            form=form,
        )
        if saved:
            return redirect("charter:proposal", proposal.pk)
    current = section_current(key=proposal.section_key)
    return render(
        request,
        "charter/proposal_form.html",
        {
            "form": form,
            "proposal": proposal,
            "current": current,
            "reading_age": reading_age(form["body"].value() or ""),
            "target_reading_age": TARGET_READING_AGE,
        },
    )


@permission_required("charter.take_part", raise_exception=True)
@require_POST
def proposal_co_sign_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get(proposal_id=proposal_id)
    if proposal is None:
        raise Http404("No such proposal")  # pragma: no mutate: templates/404.html never shows the text
    attempt(
        request,
        lambda: proposal_co_sign(proposal=proposal, by=request.user),
        "You have co-signed this proposal.",
    )
    return redirect("charter:proposal", proposal.pk)


@permission_required("charter.publish", raise_exception=True)
@require_POST
def proposal_publish_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get(proposal_id=proposal_id)
    if proposal is None:
        raise Http404("No such proposal")  # pragma: no mutate: templates/404.html never shows the text
    if attempt(
        request,
        lambda: proposal_publish(proposal=proposal, by=request.user),
        lambda version: f"Version {version.number} of the charter is published. Everyone will be told.",
    ):
        return redirect("charter:current")
    return redirect("charter:proposal", proposal.pk)
