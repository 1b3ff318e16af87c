"""Who we reach (issue 17, F4): the people involved in the period beside all registered
representatives and the population the Trust serves, for each equality characteristic.

Only totals, with the small-number rule: a count from 1 to 4 shows as "fewer than 5", and so
does its share (a share and a total would give the count back). One query for every
characteristic at once (the people who took part are found once, not once per characteristic)
and one for the population: two, whatever the number of people.
"""

from django.db import connection

from accounts.equality import CHARACTERISTICS, EqualityMonitoring
from accounts.permissions import Role
from dashboard.models import PopulationShare
from dashboard.scope import Scope, ratio, small

NOT_ANSWERED = "Not answered"

# Every characteristic's answer beside each registered representative, and whether they took
# part, counted per (characteristic, answer) in one pass. `involved` is worked out once, as a
# set of people, and joined (hashed) to the registered ones: an EXISTS per person and per
# characteristic read the sign-ups six times over.
WHO_WE_REACH_SQL = """
WITH registered AS (
    SELECT u.id
      FROM accounts_user u
      JOIN accounts_user_groups ug ON ug.user_id = u.id
      JOIN auth_group g ON g.id = ug.group_id AND g.name = %(role)s
     WHERE u.is_active AND u.date_joined < %(end)s
),
involved AS (
    SELECT DISTINCT s.person_id
      FROM opportunities_signup s
      JOIN opportunities_opportunity o ON o.id = s.opportunity_id
     WHERE s.state = 'attended' AND o.ends_at >= %(start)s AND o.ends_at < %(end)s {scope}
)
SELECT answer.field, COALESCE(answer.code, ''), COUNT(*), COUNT(i.person_id)
  FROM registered r
  LEFT JOIN {monitoring} e ON e.person_id = r.id
  LEFT JOIN involved i ON i.person_id = r.id
 CROSS JOIN LATERAL (VALUES {answers}) AS answer(field, code)
 GROUP BY answer.field, COALESCE(answer.code, '')
"""


def _share(count: int, total: int) -> float | str | None:
    return "fewer than 5" if 0 < count < 5 else ratio(count, total)


def _sql(scope: Scope) -> tuple[str, dict]:
    scope_sql, scope_params = scope.filter_sql("o")
    quote = connection.ops.quote_name
    columns = [EqualityMonitoring._meta.get_field(field).column for field, _, _ in CHARACTERISTICS]
    answers = ", ".join(
        f"(%(field_{number})s, e.{quote(column)}::text)" for number, column in enumerate(columns)
    )
    sql = WHO_WE_REACH_SQL.format(
        scope=scope_sql, monitoring=quote(EqualityMonitoring._meta.db_table), answers=answers
    )
    params = {
        "role": Role.REPRESENTATIVE.value,
        "start": scope.start_at,
        "end": scope.end_at,
        **{f"field_{number}": field for number, (field, _, _) in enumerate(CHARACTERISTICS)},
        **scope_params,
    }
    return sql, params


def who_we_reach(scope: Scope) -> list[dict]:
    """For each characteristic: its name and one row per category (every answer, "Prefer
    not to say" and "Not answered"), with the people involved (attended an activity in scope
    that ended in the period), all active representatives registered by its end, and the
    population's share where an administrator has entered it."""
    population = {
        (row.characteristic, row.category): float(row.share) for row in PopulationShare.objects.all()
    }
    # (characteristic, answer) -> (registered, involved); no answers at all, or this question
    # left unanswered, are the same to the table ("").
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    sql, params = _sql(scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for field, code, people, involved in cursor.fetchall():
            counted[(field, code)] = (people, involved)
    result = []
    for field, name, choices in CHARACTERISTICS:
        counts = {code: value for (key, code), value in counted.items() if key == field}
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
