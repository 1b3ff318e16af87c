"""Assisted digital and calls as tasks (issue 13, items 4 and 7): a worker registers a
person who has no e-mail address, and logs the calls and letters the outbox gave them to
make.

Who may: registering is for workers (`accounts.use_worker_area`, a 403 for anyone else).
A task opens to the worker it is for, or one who may see the person
(`notifications.handle_contact_task`); anybody else gets a 404."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from accounts.assisted import person_register_assisted
from home.assisted_forms import AssistedRegistrationForm, ContactTaskForm
from involvement.errors import attempt
from notifications.permissions import get_contact_task_for_worker
from notifications.services import contact_task_log


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
