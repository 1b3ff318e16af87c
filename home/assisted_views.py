"""Assisted digital and calls as tasks (issue 13, items 4 and 7): a worker registers a
person who has no e-mail address, acts for them from their page (signs them up, withdraws,
accepts an offer, each recorded as done on their behalf), and logs the calls and letters
the outbox gave them to make.

Who may: registering is for workers (`accounts.use_worker_area`, a 403 for anyone else).
Acting for a person needs the person page's rule (`accounts.view_person`, a 404 for a
worker who may not see them) and then the service's (`opportunities.act_for_person`). A
task opens to the worker it is for, or one who may see the person
(`notifications.handle_contact_task`); anybody else gets a 404."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from accounts.assisted import person_register_assisted
from accounts.forms import PhoneCodeForm
from accounts.permissions import get_person_for_staff
from accounts.phones import national_format
from accounts.selectors import profile_for_user
from accounts.services import phone_confirm, phone_confirmation_pending, phone_confirmation_start
from home.assisted_forms import (
    AssistedRegistrationForm,
    ContactTaskForm,
    SignUpForPersonForm,
    TheirMobileNumberForm,
)
from home.people_views import person_page
from involvement.errors import attempt
from notifications.permissions import get_contact_task_for_worker
from notifications.services import contact_task_log
from opportunities.people_selectors import opportunities_to_sign_up_for, signup_of_person
from opportunities.services import signup_accept, signup_create, signup_withdraw


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_full_name() or user.email or ""


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def person_register(request: HttpRequest) -> HttpResponse:
    """Register a person who has no e-mail address, by phone or on paper."""
    form = AssistedRegistrationForm(request.POST if request.method == "POST" else None)
    registered = []
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: registered.append(person_register_assisted(by=request.user, **form.cleaned_data)),
            f"{form.cleaned_data.get('first_name', '')} is registered, and you are their named worker.",
            form=form,
        )
    ):
        return redirect("worker:person", registered[0].pk)
    return render(request, "home/people/register.html", {"form": form})


def sign_up_form(data=None) -> SignUpForPersonForm:
    return SignUpForPersonForm(data, opportunities=opportunities_to_sign_up_for())


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_POST
def person_signup(request: HttpRequest, person_id: int) -> HttpResponse:
    """Sign the person up for an opportunity on their behalf."""
    person = get_person_for_staff(request.user, person_id)
    form = sign_up_form(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: signup_create(opportunity=form.cleaned_data["opportunity"], person=person, by=request.user),
        lambda signup: (
            f"{_name(person)}: {signup.get_state_display().lower()} for "
            f"{signup.opportunity.title}, on their behalf."
        ),
        form=form,
    ):
        return redirect(reverse("worker:person", args=[person.pk]) + "#act-for-them")
    return person_page(request, person, signup_form=form)


def _act(request: HttpRequest, person_id: int, signup_id: int, service, done: str) -> HttpResponse:
    person = get_person_for_staff(request.user, person_id)
    signup = signup_of_person(person=person, signup_id=signup_id)
    if signup is None:
        raise Http404("No such sign-up")  # pragma: no mutate: templates/404.html never shows the text
    attempt(request, lambda: service(signup=signup, person=person, by=request.user), done)
    return redirect(reverse("worker:person", args=[person.pk]) + "#involvement")


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_POST
def person_signup_withdraw(request: HttpRequest, person_id: int, signup_id: int) -> HttpResponse:
    return _act(request, person_id, signup_id, signup_withdraw, "Withdrawn, on their behalf.")


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_POST
def person_signup_accept(request: HttpRequest, person_id: int, signup_id: int) -> HttpResponse:
    return _act(request, person_id, signup_id, signup_accept, "The place is accepted, on their behalf.")


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def contact_task(request: HttpRequest, task_id: int) -> HttpResponse:
    """A call to make or a letter to send: what to tell them, how to reach them, and the
    outcome of each try (written to their contact log)."""
    task = get_contact_task_for_worker(request.user, task_id)
    form = ContactTaskForm(request.POST if request.method == "POST" else None, task=task)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: contact_task_log(
                task=task,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            ),
            lambda logged: "Logged in their contact log." + ("" if logged.is_open else " The task is done."),
            form=form,
        )
    ):
        return redirect("worker:home")
    return render(
        request,
        "home/contact_task.html",
        {
            "task": task,
            "person": task.person,
            "profile": task.person.profile,
            "name": _name(task.person),
            "form": form,
        },
    )


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def person_mobile(request: HttpRequest, person_id: int) -> HttpResponse:
    """Confirm a person's mobile number with them on the phone, so that their messages can
    come by text (ADR 12 and 13): a code goes by text to the number they give, and they read
    it back to the worker, who types it here. The same services as the person's own page,
    with the same limits (codes an hour, wrong tries)."""
    person = get_person_for_staff(request.user, person_id)
    if not request.user.has_perm("opportunities.act_for_person", person):
        raise PermissionDenied
    number_form = TheirMobileNumberForm(request.POST if "mobile_number" in request.POST else None)
    code_form = PhoneCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and settings.TEXT_MESSAGES_ENABLED:
        if "mobile_number" in request.POST and number_form.is_valid():
            if attempt(
                request,
                lambda: phone_confirmation_start(
                    user=person, number=number_form.cleaned_data["mobile_number"]
                ),
                "A code is on its way to their phone by text. Ask them to read it to you.",
                form=number_form,
            ):
                return redirect("worker:person_mobile", person.pk)
        elif "code" in request.POST and code_form.is_valid():
            if attempt(
                request,
                lambda: phone_confirm(user=person, code=code_form.cleaned_data["code"]),
                lambda number: (
                    f"Their mobile number {national_format(number)} is confirmed: "
                    "messages that may come by text now do."
                ),
                form=code_form,
            ):
                return redirect("worker:person", person.pk)
        elif not request.POST.get("mobile_number") and not request.POST.get("code"):
            number_form = TheirMobileNumberForm(request.POST)
            number_form.is_valid()
    profile = profile_for_user(user=person)
    pending = phone_confirmation_pending(user=person)
    return render(
        request,
        "home/people/mobile.html",
        {
            "person": person,
            "name": _name(person),
            "number_form": number_form,
            "code_form": code_form,
            "current": national_format(profile.mobile_number) if profile.mobile_number else "",
            "pending_number": national_format(pending.number) if pending else "",
            "texts_on": settings.TEXT_MESSAGES_ENABLED,
            "page_has_errors": bool(number_form.errors or code_form.errors),
        },
    )
