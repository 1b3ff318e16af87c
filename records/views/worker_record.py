"""A person's involvement record as their named worker sees it (/worker/people/<id>/record/),
to help with an application, and the role the worker may set on an activity for them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from involvement.errors import attempt
from records.forms import ActivityRoleForm
from records.permissions import get_person_for_named_worker
from records.presenters import activity_row, total_hours, totals_by_year, training_rows
from records.selectors import activities_taken_part_in, activity_of, statement_of, training_of
from records.services import activity_role_set

WORKER = "accounts.use_worker_area"


@permission_required(WORKER, raise_exception=True)
@require_safe
def person_record(request: HttpRequest, person_id: int) -> HttpResponse:
    """The record without the person's certificates and references: those are theirs."""
    person = get_person_for_named_worker(request.user, person_id)
    rows = [activity_row(signup) for signup in activities_taken_part_in(person=person)]
    return render(
        request,
        "records/worker_record.html",
        {
            "person": person,
            "rows": rows,
            "totals": totals_by_year(rows),
            "total_hours": total_hours(rows),
            "training": training_rows(training_of(person=person)),
            "statement": statement_of(person=person),
        },
    )


@permission_required(WORKER, raise_exception=True)
def person_record_role(request: HttpRequest, person_id: int, signup_id: int) -> HttpResponse:
    person = get_person_for_named_worker(request.user, person_id)
    signup = activity_of(person=person, signup_id=signup_id)
    if signup is None:
        raise Http404("Not on their record")  # pragma: no mutate: our 404 page never shows it
    row = activity_row(signup)
    current = getattr(signup, "record_role", None)
    initial = {"role": current.role, "other_role": current.other_role} if current else {}
    form = ActivityRoleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: activity_role_set(
                person=person,
                signup_id=signup_id,
                role=data["role"],
                other_role=data["other_role"],
                by=request.user,
            ),
            f"Their role on {row.title} has been saved.",
            form=form,
        ):
            return redirect("worker:person_record", person.pk)
    return render(request, "records/worker_role_form.html", {"form": form, "row": row, "person": person})
