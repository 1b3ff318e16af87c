"""The dashboard's figures kept for a few minutes and worked out again by beat (issue 17,
item 7): the page says when they were worked out, and they are never older than the maximum."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import ActivityType, Team
from dashboard.kept import usual_scopes
from dashboard.tasks import refresh_figures

pytestmark = pytest.mark.django_db


def active_people(client) -> int:
    return client.get("/dashboard/").context["figures"]["reach"]["active"]


def test_the_figures_are_kept_and_say_when_they_were_worked_out(client, manager, settings):
    settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES = 10
    client.force_login(manager)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        before = active_people(client)
        person(roles=[Role.REPRESENTATIVE])
        traveller.shift(timedelta(minutes=9, seconds=59))
        page = client.get("/dashboard/")
        assert page.context["figures"]["reach"]["active"] == before
        assert "they are never more than 10 minutes old" in page.content.decode()
        traveller.shift(timedelta(seconds=1))
        assert active_people(client) == before + 1  # ten minutes old: worked out again


def test_beat_works_the_usual_figures_out_again_at_once(client, manager, settings):
    settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES = 10
    client.force_login(manager)
    before = active_people(client)
    person(roles=[Role.REPRESENTATIVE])
    assert active_people(client) == before
    assert refresh_figures.delay().get(disable_sync_subtasks=False) == len(usual_scopes())
    assert active_people(client) == before + 1


def test_the_csv_says_what_the_page_says(client, manager, settings):
    settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES = 10
    client.force_login(manager)
    page = client.get("/dashboard/").context
    active = page["figures"]["reach"]["active"]
    label = next(row[0] for row in page["tables"]["reach"][1] if row[1] == active)
    person(roles=[Role.REPRESENTATIVE])
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/export/reach.csv").content.decode())))
    assert [row[1] for row in rows if row and row[0] == label] == [str(active)]


def test_with_no_maximum_age_every_request_works_them_out(client, manager, settings):
    settings.DASHBOARD_FIGURES_MAX_AGE_MINUTES = 0
    client.force_login(manager)
    before = active_people(client)
    person(roles=[Role.REPRESENTATIVE])
    page = client.get("/dashboard/")
    assert page.context["figures"]["reach"]["active"] == before + 1
    assert "never more than" not in page.content.decode()
    assert refresh_figures.delay().get(disable_sync_subtasks=False) == 0


def test_the_usual_scopes_are_each_active_team_and_type_over_both_periods():
    team = Team.objects.create(name="Perinatal")
    Team.objects.create(name="Closed ward", is_active=False)
    kind = ActivityType.objects.create(name="Focus group")
    today = timezone.localdate()
    scopes = usual_scopes(today)
    for start in (today - timedelta(days=365), today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)):
        mine = [scope for scope in scopes if scope.start == start and scope.end == today]
        assert (None, None) in [(s.team_id, s.activity_type_id) for s in mine]
        assert (team.pk, None) in [(s.team_id, s.activity_type_id) for s in mine]
        assert (None, kind.pk) in [(s.team_id, s.activity_type_id) for s in mine]
    assert not any(scope.team_id == Team.objects.get(name="Closed ward").pk for scope in scopes)
