"""The record's hours: only sessions the person attended count; no-shows, sessions taken off
an activity and activities never attended add nothing; and the record agrees with the hours
payments puts on a claim."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opportunities.models import Attendance, Session
from opportunities.services import attendance_record, opportunity_cancel, signup_create
from opportunities.tests.factories import OpportunityFactory
from payments.services import attended_hours
from records.presenters import activity_row, total_hours, totals_by_year
from records.selectors import activities_taken_part_in
from records.tests.factories import ago, took_part

pytestmark = pytest.mark.django_db


def rows_of(person):
    return [activity_row(signup) for signup in activities_taken_part_in(person=person)]


def test_it_counts_only_the_sessions_attended(representative, worker):
    first, second, third = ago(30, hours=2), ago(29, hours=1.5), ago(28, hours=3)
    signup = took_part(
        representative, lead=worker, sessions=[(*first, True), (*second, False), (*third, True)]
    )
    [row] = rows_of(representative)
    assert row.hours == Decimal("5.00")
    assert row.sessions == 2
    assert row.first_day == timezone.localdate(first[0]) and row.last_day == timezone.localdate(third[0])
    assert row.hours == attended_hours(signup)[0]


def test_it_leaves_out_activities_never_attended(representative, worker):
    took_part(representative, lead=worker, sessions=[(*ago(10), False), (*ago(9), False)])
    assert rows_of(representative) == []


def test_a_session_taken_off_the_activity_adds_nothing(representative, worker):
    signup = took_part(
        representative, lead=worker, sessions=[(*ago(10, hours=2), True), (*ago(9, hours=4), True)]
    )
    Session.objects.filter(opportunity=signup.opportunity).order_by("starts_at").last().delete()
    [row] = rows_of(representative)
    assert row.hours == Decimal("2.00") == attended_hours(signup)[0]


def test_an_activity_cancelled_before_anyone_took_part_is_not_on_the_record(representative, worker):
    start = timezone.now() + timedelta(days=3)
    opportunity = OpportunityFactory(lead_worker=worker, sessions=[(start, start + timedelta(hours=2))])
    signup_create(opportunity=opportunity, person=representative)
    opportunity_cancel(opportunity=opportunity, by=worker, reason="The room is closed.")
    assert rows_of(representative) == []


def test_hours_recorded_through_the_attendance_service_match_the_claim(representative, worker):
    end = timezone.now() - timedelta(days=2)
    spans = [
        (end - timedelta(days=1, hours=2, minutes=20), end - timedelta(days=1)),
        (end - timedelta(hours=1), end),
    ]
    opportunity = OpportunityFactory(lead_worker=worker, sessions=spans)
    signup = signup_create(opportunity=opportunity, person=representative)
    first, second = opportunity.sessions.order_by("starts_at")
    attendance_record(signup=signup, session=first, attended=True, by=worker)
    attendance_record(signup=signup, session=second, attended=False, by=worker)
    [row] = rows_of(representative)
    assert row.hours == Decimal("2.33") == attended_hours(signup)[0]


def test_someone_elses_attendance_is_not_on_my_record(representative, outsider, worker):
    took_part(outsider, lead=worker, sessions=[(*ago(5), True)])
    assert rows_of(representative) == []


def test_totals_by_year_add_up_to_the_activities(representative, worker):
    today = timezone.localdate()
    last_year_days = (today - today.replace(month=1, day=1)).days + 40
    took_part(representative, lead=worker, sessions=[(*ago(last_year_days, hours=3), True)])
    took_part(
        representative,
        lead=worker,
        sessions=[(*ago(last_year_days + 1, hours=1), True), (*ago(1, hours=2), True)],
    )
    took_part(representative, lead=worker, sessions=[(*ago(2, hours=1.25), True), (*ago(1, hours=1), False)])
    rows = rows_of(representative)
    totals = totals_by_year(rows)
    assert [(t.year, t.activities, t.hours) for t in totals] == [
        (today.year, 2, Decimal("4.25")),  # the one that ended this year counts all its hours here
        (today.year - 1, 1, Decimal("3.00")),
    ]
    assert total_hours(rows) == sum(t.hours for t in totals) == Decimal("7.25")


def test_attendance_marked_missed_after_being_marked_attended_counts_as_missed(representative, worker):
    signup = took_part(representative, lead=worker, sessions=[(*ago(3), True), (*ago(2), True)])
    Attendance.objects.filter(signup=signup, session__starts_at__gte=ago(2)[0]).update(attended=False)
    [row] = rows_of(representative)
    assert row.hours == Decimal("2.00") and row.sessions == 1
