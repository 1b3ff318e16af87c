"""The person's involvement record (/me/record/): activities with their hours, level and
role, training, skills and statement, totals by year; and the forms for the role and the
statement."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from involvement.errors import attempt
from records.forms import ActivityRoleForm, StatementForm
from records.presenters import activity_row, total_hours, totals_by_year, training_rows
from records.selectors import (
    activities_taken_part_in,
    activity_of,
    certificates_of,
    references_of,
    statement_of,
    training_of,
)
from records.services import activity_role_set, statement_save

REPRESENTATIVE = "accounts.use_representative_area"
# Certificates and references listed on the record; the full lists have pages of their own.
LISTED = 10


@permission_required(REPRESENTATIVE, raise_exception=True)
@require_safe
def record(request: HttpRequest) -> HttpResponse:
    """The whole record on one page, to read or print: a record is a document, so it is not
    paginated; its queries do not grow with the number of activities."""
    rows = [activity_row(signup) for signup in activities_taken_part_in(person=request.user)]
    return render(
        request,
        "records/record.html",
        {
            "rows": rows,
            "totals": totals_by_year(rows),
            "total_hours": total_hours(rows),
            "training": training_rows(training_of(person=request.user)),
            "statement": statement_of(person=request.user),
            "certificates": list(certificates_of(person=request.user)[: LISTED + 1]),
            "references": list(references_of(person=request.user)[: LISTED + 1]),
            "listed": LISTED,
        },
    )


@permission_required(REPRESENTATIVE, raise_exception=True)
def statement_edit(request: HttpRequest) -> HttpResponse:
    statement = statement_of(person=request.user)
    initial = {"skills": statement.skills, "statement": statement.statement} if statement else {}
    form = StatementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: statement_save(person=request.user, skills=data["skills"], statement=data["statement"]),
            "Your skills and statement have been saved.",
            form=form,
        ):
            return redirect("me:record")
    return render(request, "records/statement_form.html", {"form": form})


@permission_required(REPRESENTATIVE, raise_exception=True)
def activity_role(request: HttpRequest, signup_id: int) -> HttpResponse:
    signup = activity_of(person=request.user, signup_id=signup_id)
    if signup is None:
        raise Http404("Not on your record")  # pragma: no mutate: our 404 page never shows it
    row = activity_row(signup)
    current = getattr(signup, "record_role", None)
    initial = {"role": current.role, "other_role": current.other_role} if current else {}
    form = ActivityRoleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: activity_role_set(
                person=request.user,
                signup_id=signup_id,
                role=data["role"],
                other_role=data["other_role"],
                by=request.user,
            ),
            f"Your role on {row.title} has been saved.",
            form=form,
        ):
            return redirect("me:record")
    return render(request, "records/role_form.html", {"form": form, "row": row})
