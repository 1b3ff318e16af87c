"""The administrator's review of the access log: filters, bad filters answered by the field,
pages of fixed cost, and the CSV (itself written to the log)."""

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.permissions import Role

pytestmark = pytest.mark.django_db

What = AccessLogEntry.What
PAGE = reverse("staff:access_log")
CSV = reverse("staff:access_log_csv")


def entry(viewer, subject, what, when: datetime | None = None, detail: str = "") -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        viewer=viewer, subject=subject, what=what, detail=detail, created_at=when or timezone.now()
    )


@pytest.fixture
def log(representative, outsider, worker, other_worker):
    # Account names of our own: the factory's random ones ("Robinson") could match a search.
    for who, first, last in [
        (representative, "Robin", "Hart"),
        (outsider, "Olive", "Stone"),
        (worker, "Wendy", "Worker"),
        (other_worker, "Otto", "Other"),
    ]:
        who.first_name, who.last_name = first, last
        who.save(update_fields=["first_name", "last_name"])
    november = timezone.make_aware(datetime(2026, 11, 10, 12, 0))
    october = timezone.make_aware(datetime(2026, 10, 10, 12, 0))
    return {
        "note": entry(worker, representative, What.SUPPORT_NOTE, november),
        "denied": entry(other_worker, representative, What.DENIED, november, "worker:person (404)"),
        "check_in": entry(worker, outsider, What.CHECK_IN, october),
    }


def shown(response) -> set[int]:
    return {e.pk for e in response.context["page"].object_list}


def test_the_page_lists_everything_newest_first(client, administrator, log):
    client.force_login(administrator)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"].object_list][-1] == log["check_in"].pk
    assert "What the records say is never shown here" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"person": "robin"}, {"note", "denied"}),
        ({"staff": "otto"}, {"denied"}),
        ({"staff": "wendy", "person": "olive"}, {"check_in"}),
        ({"what": What.DENIED}, {"denied"}),
        ({"date_from_day": "1", "date_from_month": "11", "date_from_year": "2026"}, {"note", "denied"}),
        ({"date_to_day": "31", "date_to_month": "10", "date_to_year": "2026"}, {"check_in"}),
    ],
)
def test_each_filter(client, administrator, log, query, expected):
    client.force_login(administrator)
    response = client.get(PAGE, query)
    assert shown(response) == {log[name].pk for name in expected}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"what": "everything"}, "what", "Choose what from the list"),
        (
            {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
            "date_from",
            "Enter a real date",
        ),
        (
            {
                "date_from_day": "2",
                "date_from_month": "11",
                "date_from_year": "2026",
                "date_to_day": "1",
                "date_to_month": "11",
                "date_to_year": "2026",
            },
            "date_to",
            "The last day must be on or after the first day",
        ),
        ({"person": "x" * 101}, "person", "Person must be 100 characters or fewer"),
    ],
)
def test_bad_filters_are_answered_by_the_field_and_kept(client, administrator, log, query, field, message):
    client.force_login(administrator)
    response = client.get(PAGE, query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert shown(response) == set()
    body = response.content.decode()
    assert message in body
    # What was typed is still in the form (a choice not on the list cannot be).
    if field != "what":
        assert f'value="{next(iter(query.values()))}"' in body
    # The CSV of a bad filter is the page with its messages, not a file.
    assert client.get(CSV, query)["Content-Type"].startswith("text/html")


def test_the_csv_holds_the_filtered_rows_and_is_itself_logged(client, administrator, log, worker):
    client.force_login(administrator)
    response = client.get(CSV, {"person": "robin"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "What", "Member of staff", "Person", "Detail", "Address"]
    assert sorted(row[1] for row in rows[1:]) == ["Protected page refused", "Support note"]
    assert {row[3] for row in rows[1:]} == {str(log["note"].subject)}
    assert "A seat near the door" not in response.content.decode()
    export = AccessLogEntry.objects.get(what=What.EXPORT)
    assert (export.viewer, export.detail) == (administrator, "Access log CSV")


@pytest.mark.parametrize("count", [5, 60])
def test_a_page_costs_the_same_however_long_the_log(
    client, administrator, worker, representative, count, django_assert_max_num_queries
):
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(viewer=worker, subject=representative, what=What.SUPPORT_NOTE) for _ in range(count)
    )
    client.force_login(administrator)
    client.get(PAGE)
    # Measured: 9 for 5 and for 60 entries (the request's own: session, user, roles, inbox
    # count; the count and the page), plus the suite's margin of two.
    with django_assert_max_num_queries(11):
        response = client.get(PAGE, {"what": What.SUPPORT_NOTE, "page": "2"})
    # Page 2 of 5 entries is the last page (1): the page number is checked, not trusted.
    assert len(response.context["page"].object_list) == (5 if count == 5 else 10)


def test_only_administrators_see_the_link(client, administrator, worker):
    client.force_login(administrator)
    assert PAGE in client.get(reverse("help")).content.decode()
    client.force_login(worker)
    assert PAGE not in client.get(reverse("help")).content.decode()


def test_a_role_changed_in_the_admin_shows_on_the_page(client, administrator):
    with time_machine.travel(timezone.now(), tick=False):
        client.force_login(administrator)
        client.post(
            reverse("admin:accounts_user_add"),
            {"email": "nia@example.org", "first_name": "Nia", "last_name": "Jones", "roles": [Role.MANAGER]},
        )
    response = client.get(PAGE, {"what": What.ROLE_CHANGE})
    assert "Manager added" in response.content.decode()
