"""The manager's dashboard, its CSV exports and the definitions page. Aggregates only: no
page here shows an individual check-in or support note."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.access_log import access_log_export
from dashboard import definitions
from dashboard.forms import DashboardFilterForm
from dashboard.kept import Kept, figures_of
from dashboard.metrics import IMPACT_LIMIT, impact
from dashboard.models import Targets
from dashboard.presenters import Headline, TargetValues, answers
from dashboard.tables import breakdown_tables, impact_table, measure_tables
from involvement import csv_export


def _figures(request: HttpRequest) -> tuple[DashboardFilterForm, Kept, dict, Targets]:
    form = DashboardFilterForm(request.GET or None)
    kept = figures_of(form.scope())
    targets = Targets.current()
    tables = {
        **measure_tables(kept.figures, kept.previous, targets),
        **breakdown_tables(kept.figures),
    }
    return form, kept, tables, targets


def _target_values(targets: Targets) -> TargetValues:
    return TargetValues(
        top_decile_share_max=targets.top_decile_share_max,
        first_timers_min=targets.first_timers_min,
        outcome_on_time_min=targets.outcome_on_time_min,
        felt_valued_min=float(targets.felt_valued_min),
        follow_up_on_time_min=targets.follow_up_on_time_min,
        paid_on_time_min=targets.paid_on_time_min,
        outcome_due_days=settings.OUTCOME_DUE_DAYS,
        follow_up_working_days=settings.FOLLOW_UP_TARGET_WORKING_DAYS,
        payment_days=settings.PAYMENT_TARGET_DAYS,
    )


def _charts(figures: dict, previous: dict) -> dict:
    """What the charts draw: each one section's figures, each also in the table beside it."""
    trend = figures["trend"]
    by_type = figures["activity"]["by_type"]
    by_team = figures["payments"]["by_team"]
    return {
        "reach": {
            "type": "bar",
            "labels": [
                "Involved in the 6 months to the period's end",
                "Places taken by the 10% most involved",
            ],
            "datasets": [
                {
                    "label": label,
                    "data": [period["reach"]["involved_share"], period["reach"]["top_decile_share"]],
                }
                for label, period in (("This period (%)", figures), ("Previous period (%)", previous))
            ],
        },
        "activity_by_type": {
            "type": "bar",
            "labels": [f"{row['type']} ({row['level']})" for row in by_type],
            "datasets": [{"label": "Opportunities", "data": [row["count"] for row in by_type]}],
        },
        "trend": {
            "type": "line",
            "labels": [row["month"].strftime("%b %Y") for row in trend],
            "datasets": [
                {"label": "Places taken", "data": [row["places"] for row in trend]},
                {"label": "Outcomes published", "data": [row["outcomes"] for row in trend]},
            ],
        },
        # Money as numbers: JSON would carry a Decimal as a string.
        "paid_by_team": {
            "type": "bar",
            "labels": [row["name"] for row in by_team],
            "datasets": [
                {"label": "Fees (£)", "data": [float(row["fees"]) for row in by_team]},
                {"label": "Expenses (£)", "data": [float(row["expenses"]) for row in by_team]},
            ],
        },
    }


@permission_required("accounts.view_dashboard", raise_exception=True)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form, kept, tables, targets = _figures(request)
    figures, previous = kept.figures, kept.previous
    trend = figures["trend"]
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "scope": figures["scope"],
            "previous_scope": previous["scope"],
            "filters": _filters(form),
            "answers": answers(
                Headline.from_figures(figures), Headline.from_figures(previous), _target_values(targets)
            ),
            "figures": figures,
            "tables": tables,
            "charts": _charts(figures, previous),
            "who_we_reach_tables": [
                (f"who_we_reach_{group['field']}", group["name"], tables[f"who_we_reach_{group['field']}"])
                for group in figures["who_we_reach"]
            ],
            "trend_is_empty": not any(row["places"] or row["outcomes"] for row in trend),
            "impact": figures["impact"][:IMPACT_LIMIT],
            "impact_more": len(figures["impact"]) > IMPACT_LIMIT,
            "query_string": request.GET.urlencode(),
            "as_of": timezone.localtime(kept.worked_out_at),
            "max_age_minutes": settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES,
        },
    )


def _filters(form: DashboardFilterForm) -> list[tuple[str, str]]:
    """The team and type chosen, in words (all of them when none is)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    team, activity_type = data.get("team"), data.get("activity_type")
    return [
        ("Team", team.name if team else "All teams"),
        ("Type of activity", activity_type.name if activity_type else "All types"),
    ]


@permission_required("accounts.view_dashboard", raise_exception=True)
@require_safe
def export(request: HttpRequest, table: str) -> HttpResponse:
    form, kept, tables, _ = _figures(request)
    if table not in tables:
        raise Http404("No such table")
    scope, before = kept.figures["scope"], kept.previous["scope"]
    filters = _filters(form)
    headers, rows = tables[table]
    if table == "impact":
        # The page lists the first IMPACT_LIMIT and says the CSV has the rest: all of them,
        # worked out now rather than kept.
        headers, rows = impact_table(impact(scope, limit=None))
    access_log_export(request=request, detail=f"Dashboard CSV: {table}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # The file name says what the figures are about, so two downloads never look alike.
    chosen = "".join(f"-{slugify(value)}" for _, value in filters if not value.startswith("All "))
    filename = f"involvement-{table}-{scope.start:%Y-%m-%d}-to-{scope.end:%Y-%m-%d}{chosen}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_export.writer(response)
    writer.writerow(["Period", f"{scope.start:%d %B %Y} to {scope.end:%d %B %Y}"])
    writer.writerow(["Previous period", f"{before.start:%d %B %Y} to {before.end:%d %B %Y}"])
    writer.writerows([list(pair) for pair in filters])
    writer.writerow([])
    writer.writerow(headers)
    writer.writerows(rows)
    return response


@permission_required("accounts.view_dashboard", raise_exception=True)
@require_safe
def definitions_page(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/definitions.html", {"definitions": definitions.rendered()})
