"""The access log's monthly summary to the data protection lead (issue 16, item 5): last
month in figures, once per month, never a name or anything read."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from accounts.models import AccessLogEntry
from notifications.kinds import Kind
from notifications.models import Message
from notifications.services.access_log_summary import access_log_summary_send
from notifications.tasks import send_access_log_summary

pytestmark = pytest.mark.django_db

What = AccessLogEntry.What
LEAD = "dpo@example.org"


@pytest.fixture
def november_log(representative, outsider, worker, other_worker):
    def at(day: int) -> datetime:
        return timezone.make_aware(datetime(2026, 11, day, 10, 0))

    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(viewer=worker, subject=representative, what=What.SUPPORT_NOTE, created_at=at(3)),
            AccessLogEntry(viewer=worker, subject=outsider, what=What.SUPPORT_NOTE, created_at=at(4)),
            AccessLogEntry(viewer=other_worker, subject=representative, what=What.DENIED, created_at=at(5)),
            # October's and December's are not November's.
            AccessLogEntry(
                viewer=worker,
                subject=representative,
                what=What.CHECK_IN,
                created_at=timezone.make_aware(datetime(2026, 10, 31, 23, 30)),
            ),
            AccessLogEntry(
                viewer=worker,
                subject=representative,
                what=What.CHECK_IN,
                created_at=timezone.make_aware(datetime(2026, 12, 1, 0, 30)),
            ),
        ]
    )


def test_last_month_in_figures_once(settings, november_log, representative, worker):
    settings.DATA_PROTECTION_LEAD_EMAIL = LEAD
    message = access_log_summary_send(today=date(2026, 12, 1))
    assert message is not None
    assert (message.to_email, message.recipient, message.kind) == (LEAD, None, Kind.ACCESS_LOG_SUMMARY)
    assert message.dedupe_key == "access-log-summary:2026-11"
    assert message.subject == "Involvement Hub: the access log for November 2026"
    assert "3 entries" in message.body_text
    assert "Support note: 2 (by 1 member of staff, about 2 people)" in message.body_text
    assert "Protected page refused: 1 (by 1 member of staff, about 1 person)" in message.body_text
    assert "Check-in" not in message.body_text
    # Counts only: no names, no addresses, nothing a support note says.
    for text in (str(representative), str(worker), worker.email, "A seat near the door"):
        assert text not in message.body_text and text not in message.body_html
    # Run again (beat twice, a retry, a later day in December): nothing more.
    assert access_log_summary_send(today=date(2026, 12, 2)).pk == message.pk
    assert Message.objects.filter(kind=Kind.ACCESS_LOG_SUMMARY).count() == 1


def test_the_task_sends_nothing_without_a_lead(settings, november_log):
    settings.DATA_PROTECTION_LEAD_EMAIL = ""
    send_access_log_summary()
    assert not Message.objects.filter(kind=Kind.ACCESS_LOG_SUMMARY).exists()


def test_an_empty_month_says_so(settings):
    settings.DATA_PROTECTION_LEAD_EMAIL = LEAD
    message = access_log_summary_send(today=date(2026, 1, 15))
    assert message.dedupe_key == "access-log-summary:2025-12"
    assert "Nothing was recorded." in message.body_text


def test_the_months_first_and_last_minutes_are_in_it(settings, representative, worker):
    settings.DATA_PROTECTION_LEAD_EMAIL = LEAD
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(viewer=worker, subject=representative, what=What.SUPPORT_NOTE, created_at=moment)
        for moment in (
            timezone.make_aware(datetime(2026, 11, 1, 0, 5)),
            timezone.make_aware(datetime(2026, 11, 30, 23, 55)),
        )
    )
    message = access_log_summary_send(today=date(2026, 12, 1))
    assert "Support note: 2 (by 1 member of staff, about 1 person)" in message.body_text
