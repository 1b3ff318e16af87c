"""The administrator's review of the access log (issue 16, item 5): filter by person, member of
staff, what and dates; page through; download the same rows as CSV. The download is itself an
export, and is written to the log."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.access_log import access_log_export
from accounts.models import AccessLogEntry
from involvement import csv_export
from involvement.forms import DateField

PAGE_SIZE = 50
SEARCH_MAX = 100


class AccessLogFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The last day must be on or after the first day")
        return cleaned


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _words_match(prefix: str, value: str) -> Q:
    """Every word in a name or e-mail address: on the person's e-mail, or their profile's
    search text (names, e-mail, phones, kept by the database: accounts migration 0014)."""
    condition = Q()
    for word in value.lower().split():
        condition &= Q(**{f"{prefix}__email__icontains": word}) | Q(
            **{f"{prefix}__profile__search_text__contains": word}
        )
    return condition


class DayFilter(django_filters.Filter):
    """A day typed in the service's day, month and year boxes (involvement.forms.DateField)."""

    field_class = DateField


class AccessLogFilter(django_filters.FilterSet):
    person = django_filters.CharFilter(
        label="Person (whose record)",
        method="filter_person",
        max_length=SEARCH_MAX,
        help_text="Part of a name or e-mail address.",
        error_messages={"max_length": f"Person must be {SEARCH_MAX} characters or fewer"},
    )
    staff = django_filters.CharFilter(
        label="Member of staff (who)",
        method="filter_staff",
        max_length=SEARCH_MAX,
        help_text="Part of a name or e-mail address.",
        error_messages={"max_length": f"Member of staff must be {SEARCH_MAX} characters or fewer"},
    )
    what = django_filters.ChoiceFilter(
        label="What",
        choices=AccessLogEntry.What.choices,
        empty_label="Anything",
        error_messages={"invalid_choice": "Choose what from the list"},
    )
    date_from = DayFilter(label="From", method="filter_from", help_text="For example, 1 11 2026")
    date_to = DayFilter(label="To", method="filter_to", help_text="For example, 30 11 2026")

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []
        form = AccessLogFilterForm

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_words_match("subject", value))

    def filter_staff(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_words_match("viewer", value))

    def filter_from(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(created_at__gte=_day_start(value)) if value else queryset

    def filter_to(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(created_at__lt=_day_start(value + timedelta(days=1))) if value else queryset


def _entries(request: HttpRequest) -> tuple[AccessLogFilter, QuerySet]:
    entries = AccessLogEntry.objects.select_related("viewer", "subject").order_by("-created_at", "-pk")
    filterset = AccessLogFilter(request.GET or None, queryset=entries)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, entries.none()
    return filterset, (filterset.qs if filterset.is_bound else entries)


@permission_required("accounts.review_access_log", raise_exception=True)
@require_safe
def access_log_review(request: HttpRequest) -> HttpResponse:
    filterset, entries = _entries(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/access_log_review.html",
        {"filter": filterset, "form": filterset.form, "page": page, "query_string": query.urlencode()},
    )


@permission_required("accounts.review_access_log", raise_exception=True)
@require_safe
def access_log_csv(request: HttpRequest) -> HttpResponse:
    """The filtered rows, all of them. Bad filters give the page, with its messages."""
    filterset, entries = _entries(request)
    if filterset.is_bound and not filterset.is_valid():
        return access_log_review(request)
    access_log_export(request=request, detail="Access log CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv_export.writer(response)
    writer.writerow(["When", "What", "Member of staff", "Person", "Detail", "Address"])
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.get_what_display(),
                str(entry.viewer) if entry.viewer else "",
                str(entry.subject) if entry.subject else "",
                entry.detail,
                entry.path,
            ]
        )
    return response
