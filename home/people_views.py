"""The worker's people pages (issue 13): find people, a person's page, their contact log
and their named worker. They compose accounts (the person, the contact log, the named
worker), opportunities (their involvement), notifications (the messages sent to them) and
feedback (their follow-ups), so they live here, above all four.

Who may see what: the list, and choosing a named worker, are for workers and managers
(`accounts.find_people`, `accounts.assign_named_worker`) and show only what any of them may
know of anyone. The person page keeps its rule (`accounts.view_person`: the named worker
and the lead workers the person's sign-ups open them to; a 404 for anybody else), and
within it no-shows follow PRODUCT.md's narrower rule (the named worker, and the lead worker
of that activity)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from accounts.caseload import contact_log_add, named_worker_assign
from accounts.models import User
from accounts.permissions import get_person_for_staff, get_person_to_assign
from accounts.selectors import (
    contact_log_for_person,
    named_worker_history,
    people_for_staff,
    representatives_in_list_order,
    workers,
)
from charter.selectors import agreed_among
from feedback.selectors import follow_ups_for_person
from home.assisted_forms import SignUpForPersonForm
from home.people_filters import PersonFilter
from home.people_forms import ContactLogForm, NamedWorkerForm
from involvement.errors import attempt
from notifications.selectors import contact_tasks_for_person, inbox_for_user
from opportunities.forms import TrainingCompletionForm
from opportunities.models import SignUp
from opportunities.people_selectors import (
    involvement_for_person,
    on_behalf_events_for_person,
    opportunities_to_sign_up_for,
    training_for_person,
    with_last_involved,
    with_may_open,
)
from opportunities.services import training_record

PAGE_SIZE = 25
# The person page lists the latest of these; the person's inbox has the rest.
MESSAGES_SHOWN = 20
CONTACT_TASKS_SHOWN = 20
UPCOMING_TITLE = "Coming up, or waiting for a place"

State = SignUp.State
UPCOMING_STATES = {State.APPLIED, State.WAITLISTED, State.OFFERED, State.CONFIRMED}


def _name(user: User | None) -> str:
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return getattr(profile, "display_name", "") or user.get_full_name() or user.email or ""


@permission_required("accounts.find_people", raise_exception=True)
@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    filterset = PersonFilter(
        request.GET or None, queryset=representatives_in_list_order(), viewer=request.user
    )
    if filterset.is_bound and not filterset.is_valid():
        matching = filterset.queryset.none()
    else:
        matching = filterset.qs if filterset.is_bound else filterset.queryset
    # Page the ids first, then load the page's 25 people in full: sorting every match's
    # wide row (profile, named worker, when they last took part) cost more than the rest of
    # the page at 20,000 people, and deeper pages ran the annotations for each row skipped.
    page = Paginator(matching.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _people_on_page(list(page.object_list), viewer=request.user)
    # The charter's tag, for the page's people only (one query, outside the list's own).
    agreed = agreed_among(person_ids=[person.pk for person in page.object_list])
    for person in page.object_list:
        person.not_agreed_to_charter = agreed is not None and person.pk not in agreed
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "home/people/people_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "query_string": query.urlencode(),
            "can_assign": request.user.has_perm("accounts.assign_named_worker"),
        },
    )


def _people_on_page(person_ids: list[int], *, viewer: User) -> list[User]:
    """These people, in this order, with what a row of the list shows: one query."""
    viewer_is_worker = viewer.has_perm("accounts.use_worker_area")
    people = with_may_open(
        with_last_involved(people_for_staff().filter(pk__in=person_ids)),
        viewer=viewer,
        viewer_is_worker=viewer_is_worker,
    )
    by_id = {person.pk: person for person in people}
    return [by_id[pk] for pk in person_ids if pk in by_id]


def _involvement(person: User, viewer: User) -> list[tuple[str, list[SignUp]]]:
    """The person's sign-ups in the page's groups. A no-show is shown only to the person's
    named worker and to the lead worker of that activity (PRODUCT.md, "No-show": recorded to
    plan the day, never to punish)."""
    is_named = person.profile.named_worker_id == viewer.pk
    now = timezone.now()
    groups: dict[str, list[SignUp]] = {"upcoming": [], "attended": [], "no_show": [], "past": []}
    for signup in involvement_for_person(person=person):
        ended = signup.ends is not None and signup.ends < now
        if signup.state == State.NO_SHOW:
            if is_named or signup.opportunity.lead_worker_id == viewer.pk:
                groups["no_show"].append(signup)
        elif signup.state == State.ATTENDED:
            groups["attended"].append(signup)
        elif signup.state in UPCOMING_STATES and not ended:
            # A place offered waits for an answer a worker may give on their behalf.
            signup.awaits_answer = signup.state == State.OFFERED
            groups["upcoming"].append(signup)
        else:
            groups["past"].append(signup)
    return [
        (UPCOMING_TITLE, groups["upcoming"]),
        ("Attended", groups["attended"]),
        ("Did not attend", groups["no_show"]),
        ("Other past sign-ups", groups["past"]),
    ]


def _named_worker_form(data=None) -> NamedWorkerForm:
    return NamedWorkerForm(data, workers=workers().select_related("profile"))


def person_page(
    request: HttpRequest,
    person: User,
    *,
    contact_form: ContactLogForm | None = None,
    signup_form: SignUpForPersonForm | None = None,
    training_form: TrainingCompletionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = request.user
    is_named = person.profile.named_worker_id == viewer.pk
    # Their named worker sees all of them; another worker, those that are theirs to do. Each
    # comes with whether the viewer may open it (`feedback.handle_follow_up`).
    follow_ups = [
        (follow_up, may_handle)
        for follow_up in follow_ups_for_person(person=person)
        if (may_handle := viewer.has_perm("feedback.handle_follow_up", follow_up)) or is_named
    ]
    return render(
        request,
        "home/people/person_detail.html",
        {
            "person": person,
            "profile": person.profile,
            "name": _name(person),
            "involvement": _involvement(person, viewer),
            "sent_messages": inbox_for_user(user=person)[:MESSAGES_SHOWN],
            "contact_log": contact_log_for_person(person=person),
            "contact_form": contact_form or ContactLogForm(initial={"contacted_on": timezone.localdate()}),
            "follow_ups": follow_ups,
            "viewer_is_named_worker": is_named,
            "history": named_worker_history(person=person),
            "named_worker_form": _named_worker_form(),
            "can_assign": viewer.has_perm("accounts.assign_named_worker"),
            "page_has_errors": any(
                form is not None and form.errors for form in (contact_form, signup_form, training_form)
            ),
            # Training (issue 14): what they have done, and recording more.
            "training": training_for_person(person=person),
            "today": timezone.localdate(),
            "may_record_training": viewer.has_perm("opportunities.record_training", person),
            "training_form": training_form
            or TrainingCompletionForm(initial={"completed_on": timezone.localdate()}),
            # Assisted digital (issue 13, items 4 and 7): acting for them, what was done on
            # their behalf, and the calls and letters owed to them.
            "upcoming_title": UPCOMING_TITLE,
            "may_act_for_them": viewer.has_perm("opportunities.act_for_person", person),
            "signup_form": signup_form or SignUpForPersonForm(opportunities=opportunities_to_sign_up_for()),
            "on_behalf": on_behalf_events_for_person(person=person),
            "contact_tasks": contact_tasks_for_person(person=person)[:CONTACT_TASKS_SHOWN],
        },
        status=status,
    )


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_safe
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    return person_page(request, get_person_for_staff(request.user, person_id))


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_POST
def person_contact_log_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """Adds to the contact log from the person page; a mistake shows the page again with
    what was typed and the message beside the field."""
    person = get_person_for_staff(request.user, person_id)
    form = ContactLogForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: contact_log_add(
            person=person,
            by=request.user,
            contacted_on=form.cleaned_data["contacted_on"],
            channel=form.cleaned_data["channel"],
            summary=form.cleaned_data["summary"],
        ),
        "The contact has been added to the log.",
        form=form,
    ):
        return redirect(reverse("worker:person", args=[person.pk]) + "#contact-log")
    return person_page(request, person, contact_form=form)


@permission_required("accounts.use_worker_area", raise_exception=True)
@require_POST
def person_training_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """Records one completed course from the person page; a mistake shows the page again
    with what was typed and the message beside the field. The same course on the same day
    twice is recorded once."""
    person = get_person_for_staff(request.user, person_id)
    if not request.user.has_perm("opportunities.record_training", person):
        raise PermissionDenied
    form = TrainingCompletionForm(request.POST)
    if form.is_valid() and attempt(
        request,
        lambda: training_record(
            person=person,
            course=form.cleaned_data["course"],
            completed_on=form.cleaned_data["completed_on"],
            by=request.user,
        ),
        lambda result: (
            f"{result[0].course.name} has been recorded for {_name(person)}."
            if result[1]
            else f"{result[0].course.name} on that day was already recorded for {_name(person)}."
        ),
        form=form,
    ):
        return redirect(reverse("worker:person", args=[person.pk]) + "#training")
    return person_page(request, person, training_form=form)


@permission_required("accounts.assign_named_worker", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def person_named_worker(request: HttpRequest, person_id: int) -> HttpResponse:
    """Choose or change a person's named worker. Open to any worker or manager for any
    representative, so it shows no more of the person than the people list does, and the
    contact-log entries the viewer wrote themselves."""
    person = get_person_to_assign(request.user, person_id)
    form = _named_worker_form(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: named_worker_assign(
                person=person,
                worker=form.cleaned_data["worker"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            ),
            lambda change: f"{_name(change.new_worker)} is now the named worker of {_name(person)}.",
            form=form,
        )
    ):
        person.profile.refresh_from_db(fields=["named_worker"])
        if request.user.has_perm("accounts.view_person", person):
            return redirect("worker:person", person.pk)
        return redirect("worker:people")
    return render(
        request,
        "home/people/named_worker_form.html",
        {
            "person": person,
            "profile": person.profile,
            "name": _name(person),
            "form": form,
            "history": named_worker_history(person=person),
            # What a worker wrote stays theirs to read (accounts.view_contact_log_entry).
            "own_contact_log": contact_log_for_person(person=person, written_by=request.user)
            if request.user.has_perm("accounts.use_worker_area")
            else [],
        },
    )
