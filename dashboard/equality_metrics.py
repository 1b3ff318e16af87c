"""Who we reach (issue 17, F4): the people involved in the period beside all registered
representatives and the population the Trust serves, for each equality characteristic.

Only totals, with the small-number rule: a count from 1 to 4 shows as "fewer than 5", and so
does its share (a share and a total would give the count back). One grouped query per
characteristic and one for the population: seven, whatever the number of people.
"""

from django.db.models import Count, Exists, OuterRef, Q

from accounts.equality import CHARACTERISTICS
from accounts.models import User
from accounts.permissions import Role
from dashboard.models import PopulationShare
from dashboard.scope import Scope, ratio, scope_opportunity_filter, small
from opportunities.models import SignUp

NOT_ANSWERED = "Not answered"


def _share(count: int, total: int) -> float | str | None:
    return "fewer than 5" if 0 < count < 5 else ratio(count, total)


def who_we_reach(scope: Scope) -> list[dict]:
    """For each characteristic: its name and one row per category (every answer, "Prefer
    not to say" and "Not answered"), with the people involved (attended an activity in scope
    that ended in the period), all active representatives registered by its end, and the
    population's share where an administrator has entered it."""
    registered = User.objects.filter(
        is_active=True, groups__name=Role.REPRESENTATIVE.value, date_joined__lt=scope.end_at
    )
    took_part = SignUp.objects.filter(
        Q(person=OuterRef("pk"), state=SignUp.State.ATTENDED)
        & Q(opportunity__ends_at__gte=scope.start_at, opportunity__ends_at__lt=scope.end_at)
        & scope_opportunity_filter(scope)
    )
    population = {
        (row.characteristic, row.category): float(row.share) for row in PopulationShare.objects.all()
    }
    result = []
    for field, name, choices in CHARACTERISTICS:
        counts: dict[str, tuple[int, int]] = {}
        for row in (
            registered.order_by()
            .values(f"equality_monitoring__{field}")
            .annotate(people=Count("pk"), involved=Count("pk", filter=Exists(took_part)))
        ):
            # No answers at all, or this question left unanswered: the same to the table.
            code = row[f"equality_monitoring__{field}"] or ""
            people, involved = counts.get(code, (0, 0))
            counts[code] = (people + row["people"], involved + row["involved"])
        total_people = sum(people for people, _ in counts.values())
        total_involved = sum(involved for _, involved in counts.values())
        rows = []
        for code, label in [*choices.choices, ("", NOT_ANSWERED)]:
            people, involved = counts.get(code, (0, 0))
            rows.append(
                {
                    "category": label,
                    "involved": small(involved),
                    "involved_share": _share(involved, total_involved),
                    "registered": small(people),
                    "registered_share": _share(people, total_people),
                    "population": population.get((field, code)),
                }
            )
        result.append({"field": field, "name": name, "rows": rows})
    return result
