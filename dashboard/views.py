"""The manager's dashboard and its CSV exports. Aggregates only: no page here shows an
individual check-in or support note."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from accounts.access_log import access_log_export
from dashboard.forms import DashboardFilterForm
from dashboard.metrics import activity, feedback_loop, monthly_trend, payments, reach, valued
from involvement import csv_export


def _figures(request: HttpRequest):
    form = DashboardFilterForm(request.GET or None)
    scope = form.scope()
    return (
        form,
        scope,
        {
            "reach": reach(scope),
            "activity": activity(scope),
            "feedback": feedback_loop(scope),
            "valued": valued(scope),
            "trend": monthly_trend(scope),
            "payments": payments(scope),
        },
    )


def _tables(figures: dict) -> dict[str, tuple[list[str], list[list]]]:
    """Every table on the page, as (headers, rows): the page and the CSV share them."""
    reach_, activity_, feedback_, valued_ = (
        figures["reach"],
        figures["activity"],
        figures["feedback"],
        figures["valued"],
    )
    return {
        "reach": (
            ["Measure", "Value"],
            [
                ["Active representatives", reach_["active"]],
                ["Involved at least once in the last 6 months (%)", reach_["involved_share"]],
                ["First-time participants", reach_["first_timers"]],
                ["First-timers who came through an invitation", reach_["invited_first_timers"]],
                ["Share of places taken by the 10% most involved (%)", reach_["top_decile_share"]],
                ["Gini coefficient of places per active representative", reach_["gini"]],
            ],
        ),
        "activity": (
            ["Measure", "Value"],
            [
                ["Opportunities", activity_["opportunities"]],
                ["Places offered", activity_["places_offered"]],
                ["Places taken", activity_["places_taken"]],
                ["Fill rate (%)", activity_["fill_rate"]],
                ["Cancelled opportunities", activity_["cancelled"]],
                ["No-show rate (%)", activity_["no_show_rate"]],
            ],
        ),
        "activity_by_type": (
            ["Type of activity", "Involvement level", "Opportunities"],
            [[row["type"], row["level"], row["count"]] for row in activity_["by_type"]],
        ),
        "feedback": (
            ["Measure", "Value"],
            [
                ["Completed opportunities", feedback_["completed"]],
                ["With a published outcome (%)", feedback_["outcome_share"]],
                ["Median days from last session to outcome", feedback_["median_days_to_outcome"]],
                ["Outcomes overdue", feedback_["overdue"]],
            ],
        ),
        "valued": (
            ["Measure", "Value"],
            [
                ["Check-ins submitted", valued_["check_ins"]],
                ["Mean 'felt valued' (1 to 5)", valued_["mean_felt_valued"]],
                ["Mean 'how it went' (1 to 5)", valued_["mean_how_it_went"]],
                ["Follow-ups requested", valued_["follow_ups"]],
                ["Median hours to follow-up", valued_["median_hours_to_follow_up"]],
                [
                    f"Picked up within {valued_['follow_up_target_days']} working days (%)",
                    valued_["picked_up_in_time_share"],
                ],
            ],
        ),
        **_payment_tables(figures["payments"]),
        "trend": (
            ["Month", "Places taken", "People taking part", "Outcomes published"],
            [
                [row["month"].strftime("%B %Y"), row["places"], row["people"], row["outcomes"]]
                for row in figures["trend"]
            ],
        ),
    }


def _payment_tables(payments_: dict) -> dict[str, tuple[list[str], list[list]]]:
    def paid_by(first: str, rows: list[dict]) -> tuple[list[str], list[list]]:
        return (
            [first, "Claims paid", "Fees (£)", "Expenses (£)", "Total (£)"],
            [[row["name"], row["claims"], row["fees"], row["expenses"], row["total"]] for row in rows],
        )

    return {
        "payments": (
            ["Measure", "Value"],
            [
                ["Median days from the activity to payment", payments_["median_days_to_pay"]],
                [f"Paid within {payments_['target_days']} days (%)", payments_["paid_in_time_share"]],
                ["Claims where the person chose not to be paid (%)", payments_["declined_share"]],
            ],
        ),
        "payments_by_status": (
            ["Status", "Claims", "Fees (£)", "Expenses (£)"],
            [[row["state"], row["claims"], row["fees"], row["expenses"]] for row in payments_["by_status"]],
        ),
        "paid_by_team": paid_by("Team", payments_["by_team"]),
        "paid_by_type": paid_by("Type of activity", payments_["by_type"]),
    }


def _charts(figures: dict) -> dict:
    """What the charts draw; each chart's numbers are also in the table beside it."""
    trend = figures["trend"]
    numeric = [row for row in figures["activity"]["by_type"] if isinstance(row["count"], int)]
    return {
        "trend": {
            "type": "line",
            "labels": [row["month"].strftime("%b %Y") for row in trend],
            "datasets": [
                {"label": "Places taken", "data": [row["places"] for row in trend]},
                {"label": "Outcomes published", "data": [row["outcomes"] for row in trend]},
            ],
        },
        "activity_by_type": {
            "type": "bar",
            "labels": [f"{row['type']} ({row['level']})" for row in numeric],
            "datasets": [{"label": "Opportunities", "data": [row["count"] for row in numeric]}],
        },
        # Money as numbers: JSON would carry a Decimal as a string.
        "paid_by_team": {
            "type": "bar",
            "labels": [row["name"] for row in figures["payments"]["by_team"]],
            "datasets": [
                {"label": "Fees (£)", "data": [float(row["fees"]) for row in figures["payments"]["by_team"]]},
                {
                    "label": "Expenses (£)",
                    "data": [float(row["expenses"]) for row in figures["payments"]["by_team"]],
                },
            ],
        },
        "shares": {
            "type": "bar",
            "labels": [
                "Involved in 6 months",
                "Places to top 10%",
                "Fill rate",
                "With an outcome",
                "No-shows",
            ],
            "datasets": [
                {
                    "label": "Per cent",
                    "data": [
                        figures["reach"]["involved_share"] or 0,
                        figures["reach"]["top_decile_share"] or 0,
                        figures["activity"]["fill_rate"] or 0,
                        figures["feedback"]["outcome_share"] or 0,
                        figures["activity"]["no_show_rate"] or 0,
                    ],
                }
            ],
        },
    }


@permission_required("accounts.view_dashboard", raise_exception=True)
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form, scope, figures = _figures(request)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "scope": scope,
            "figures": figures,
            "tables": _tables(figures),
            "charts": _charts(figures),
            "query_string": request.GET.urlencode(),
            "as_of": timezone.localtime(),
        },
    )


@permission_required("accounts.view_dashboard", raise_exception=True)
@require_safe
def export(request: HttpRequest, table: str) -> HttpResponse:
    _, scope, figures = _figures(request)
    tables = _tables(figures)
    if table not in tables:
        raise Http404("No such table")
    headers, rows = tables[table]
    access_log_export(request=request, detail=f"Dashboard CSV: {table}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"involvement-{table}-{scope.start:%Y-%m-%d}-to-{scope.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_export.writer(response)
    writer.writerow(["Period", f"{scope.start:%d %B %Y} to {scope.end:%d %B %Y}"])
    writer.writerow(headers)
    writer.writerows(rows)
    return response
