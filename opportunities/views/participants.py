"""The participants pages: who signed up, their notes, offering or cancelling a place,
attendance, and the fair-share selection."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access_log import access_log_export
from accounts.models import AccessLogEntry
from accounts.services import access_log_record, access_log_record_many
from involvement.errors import attempt
from opportunities.forms import OfferForm, ParticipantMessageForm, ReasonForm
from opportunities.models import Opportunity, SelectionMethod, SignUp
from opportunities.permissions import get_opportunity_for_manager, get_opportunity_for_viewer
from opportunities.presenters import participants_page as participants_presenter
from opportunities.presenters import register_page, selection_ranking_rows, still_open_to_apply
from opportunities.selectors import (
    participant_get,
    participant_messages_sent,
    participants,
    register_for_session,
    selection_draw_get,
    session_get,
)
from opportunities.services import (
    ParticipantMessageSent,
    attendance_record_session,
    offer_passes_over,
    participants_message_send,
    people_with_current_training,
    selection_preview,
    selection_run,
    signup_cancel,
    signup_offer_by_hand,
)


@require_safe
def participants_page(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    signups = list(participants(opportunity=opportunity))
    return render(
        request,
        "opportunities/participants.html",
        {
            "opportunity": opportunity,
            "signups": signups,
            "page": participants_presenter(user=request.user, opportunity=opportunity, signups=signups),
            "sessions": list(opportunity.sessions.all()),
            "can_message": request.user.has_perm("opportunities.message_participants", opportunity),
            "can_view_register": request.user.has_perm("opportunities.view_register", opportunity),
            "sent_messages": list(participant_messages_sent(opportunity=opportunity)),
        },
    )


def _sent(result: ParticipantMessageSent) -> str:
    count = result.message.recipient_count
    people = f"{count} {'person' if count == 1 else 'people'}"
    if result.already_sent:
        return f"This message was already sent to {people}. It has not been sent again."
    return f"Your message has been sent to {people}."


def message_participants(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The lead worker writes one message to the people in the groups they choose."""
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    if not request.user.has_perm("opportunities.message_participants", opportunity):
        raise PermissionDenied
    form = ParticipantMessageForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        if form.is_valid() and attempt(
            request,
            lambda: participants_message_send(
                opportunity=opportunity,
                sender=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                groups=form.cleaned_data["groups"],
                send_key=form.cleaned_data["send_key"],
            ),
            _sent,
            form=form,
        ):
            return redirect("opportunities:participants", opportunity.pk)
        if "send_key" in form.errors:
            # Not a field anyone can fix: said above the form, and a fresh key is given below.
            form.add_error(None, form.errors.pop("send_key"))
    send_key = getattr(form, "cleaned_data", {}).get("send_key")
    return render(
        request,
        "opportunities/participant_message_form.html",
        {"opportunity": opportunity, "form": form, "send_key": send_key or uuid.uuid4()},
    )


@require_safe
def session_register(request: HttpRequest, opportunity_id: int, session_id: int) -> HttpResponse:
    """The printable register for one session: who is coming, in person or online, and the
    access needs each chose to share with the lead worker. For the lead worker alone; every
    opening is written to the access log for each person whose needs it shows."""
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    if not request.user.has_perm("opportunities.view_register", opportunity):
        raise PermissionDenied
    session = session_get(opportunity=opportunity, session_id=session_id)
    if session is None:
        raise Http404("No such session")
    page = register_page(opportunity=opportunity, signups=list(register_for_session(opportunity=opportunity)))
    access_log_record_many(
        viewer=request.user,
        subjects=page.shown_needs_of,
        what=AccessLogEntry.What.ACCESS_NEEDS,
        path=request.path,
    )
    # A printable list of people leaves the service on paper: an export, whoever is on it.
    access_log_export(request=request, detail=f"Register: opportunity {opportunity.pk}, session {session.pk}")
    return render(
        request,
        "opportunities/session_register.html",
        {"opportunity": opportunity, "session": session, "page": page},
    )


def _participant(opportunity: Opportunity, signup_id: int) -> SignUp:
    signup = participant_get(opportunity=opportunity, signup_id=signup_id)
    if signup is None:
        raise Http404("No such sign-up")
    return signup


@require_safe
def participant_note(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    """The sign-up's note and the person's support note, for the person's named worker and
    for the lead worker while the sign-up is active or recent (opportunities.permissions);
    each reading is written to the access log."""
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
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
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
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
            "training_needed": people_with_current_training(
                opportunity=opportunity, person_ids=[signup.person_id]
            )
            == set(),
        },
    )


def cancel_signup(request: HttpRequest, opportunity_id: int, signup_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
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
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
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
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    draw = selection_preview(opportunity=opportunity, by=request.user)
    return redirect("opportunities:selection", opportunity.pk, draw.pk)


def selection(request: HttpRequest, opportunity_id: int, draw_id: int) -> HttpResponse:
    """The ranking with the reason for each place, before anything changes."""
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
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
            "ranking": selection_ranking_rows(draw=draw, opportunity=opportunity),
            "free": free,
            # Before the deadline people may still apply: the ranking is only a preview.
            "provisional": still_open_to_apply(opportunity=opportunity),
        },
    )
