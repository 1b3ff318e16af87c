"""The latest date a form lets anyone plan, stored, breaks no page or job of any app that
counts from a session. Across the apps, so it lives here rather than in one app's tests."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from feedback.services import digests_build, outcome_due_on
from opportunities.services import reminders_send, signup_create
from opportunities.tests.factories import OpportunityFactory
from opportunities.tests.test_input_limits import latest_year

pytestmark = pytest.mark.django_db


def test_a_session_at_the_very_end_of_the_window_breaks_no_page_later(client, worker, representative):
    """The latest a form lets anyone plan: every page and job that counts from a session
    (due dates, reminders, calendars, digests) still works with it stored."""
    last = timezone.make_aware(timezone.datetime(latest_year(), 12, 31, 22, 0))
    opportunity = OpportunityFactory(
        lead_worker=worker, sessions=[(last, last + timedelta(hours=1, minutes=59))]
    )
    signup_create(opportunity=opportunity, person=representative)
    assert outcome_due_on(opportunity) == date(latest_year() + 1, 1, 28)
    reminders_send()
    digests_build()
    client.force_login(representative)
    for url in ["/me/", "/me/calendar.ics", f"/opportunities/{opportunity.pk}/", "/opportunities/"]:
        assert client.get(url).status_code == 200, url
    client.force_login(worker)
    for url in [
        "/worker/",
        f"/opportunities/{opportunity.pk}/participants/",
        f"/opportunities/{opportunity.pk}/edit/",
    ]:
        assert client.get(url).status_code == 200, url
