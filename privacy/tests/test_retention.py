"""Retention (issue 16, item 4): what is older than its period is wiped by the nightly job,
one row per transaction; the dry run reports the same without changing anything; a second
run changes nothing; a period of 0 keeps everything."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import ContactLogEntry
from feedback.models import CheckIn
from involvement.personal_data import RETAINED_TEXT
from notifications.models import Message
from payments.models import Claim, ExpenseLine
from privacy.models import DataRequest
from privacy.retention import retention_apply, retention_report
from privacy.tests.people import MARKER, everything

pytestmark = pytest.mark.django_db

YEARS = timedelta(days=7 * 365)


@pytest.fixture
def old_and_new(worker, django_capture_on_commit_callbacks):
    """Everything about one person, then made seven years old; one check-in of today beside it."""
    w = everything(worker=worker)
    long_ago = timezone.now() - YEARS
    CheckIn.objects.filter(person=w.rep).update(created_at=long_ago)
    ContactLogEntry.objects.filter(person=w.rep).update(created_at=long_ago)
    # Sent long ago (nothing commits in a test, so they were never delivered).
    Message.objects.filter(recipient=w.rep).update(created_at=long_ago, status=Message.Status.SENT)
    # A claim sent back to them and never touched since: its receipt is past the period too.
    Claim.objects.filter(person=w.rep).update(updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        export = DataRequest.objects.create(person=w.rep, requested_by=w.rep, kind="export")
        from privacy.services import export_build

        export_build(request_id=export.pk)
    DataRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    recent = CheckIn.objects.create(person=w.other, how_it_went=4, felt_valued=4, went_well=f"Today {MARKER}")
    w.export = DataRequest.objects.get(pk=export.pk)
    w.recent = recent
    return w


def due(lines) -> dict[str, int]:
    return {line.setting: line.due for line in lines}


def test_the_dry_run_reports_what_a_run_changes_and_a_second_run_changes_nothing(
    old_and_new, django_capture_on_commit_callbacks
):
    w = old_and_new
    receipt = ExpenseLine.objects.exclude(receipt="").get(claim__person=w.rep)
    receipt_path = Path(receipt.receipt.path)
    zip_path = Path(settings.PRIVATE_MEDIA_ROOT) / w.export.file
    messages = Message.objects.filter(recipient=w.rep, created_at__lt=timezone.now() - YEARS / 2).count()

    report = due(retention_report())
    assert report == {
        "DATA_EXPORT_DAYS": 1,
        "RETENTION_CHECK_IN_TEXT_DAYS": 1,
        "RETENTION_RECEIPT_DAYS": 1,
        "RETENTION_MESSAGE_DAYS": messages,
        "RETENTION_CONTACT_LOG_DAYS": 1,
        # Everyone here logged in lately or joined today (privacy/tests/test_unused_accounts.py).
        "RETENTION_UNUSED_ACCOUNT_DAYS": 0,
        # Their payment details stay while they are active (privacy/tests/test_payroll_retention.py).
        "PAYMENT_RECORDS_YEARS": 0,
    }
    assert due(retention_report()) == report, "the dry run changed something"
    assert receipt_path.is_file() and zip_path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        changed = retention_apply()
    assert sum(changed.values()) == sum(report.values())
    check_in = CheckIn.objects.get(person=w.rep)
    assert (check_in.went_well, check_in.could_be_better, check_in.how_it_went) == ("", "", 3)
    assert CheckIn.objects.get(pk=w.recent.pk).went_well == f"Today {MARKER}"
    assert ContactLogEntry.objects.get(person=w.rep).summary == ""
    old = Message.objects.filter(recipient=w.rep, created_at__lt=timezone.now() - YEARS / 2)
    assert set(old.values_list("body_text", flat=True)) == {RETAINED_TEXT}
    assert Message.objects.get(recipient=w.rep, kind="data_export_ready").body_text != RETAINED_TEXT
    assert not receipt_path.exists() and ExpenseLine.objects.get(pk=receipt.pk).amount == receipt.amount
    assert not zip_path.exists()
    assert DataRequest.objects.get(pk=w.export.pk).status == DataRequest.Status.EXPIRED

    with django_capture_on_commit_callbacks(execute=True):
        assert sum(retention_apply().values()) == 0
    assert sum(due(retention_report()).values()) == 0


def test_a_period_of_zero_keeps_everything(old_and_new, settings):
    settings.RETENTION_CHECK_IN_TEXT_DAYS = 0
    settings.RETENTION_CONTACT_LOG_DAYS = 0
    assert due(retention_report())["RETENTION_CHECK_IN_TEXT_DAYS"] == 0
    retention_apply()
    assert CheckIn.objects.get(person=old_and_new.rep).went_well == f"Tea {MARKER}"
    assert ContactLogEntry.objects.get(person=old_and_new.rep).summary == f"Called {MARKER}"


def test_the_command_and_the_page_show_the_dry_run(
    old_and_new, client, administrator, django_assert_max_num_queries
):
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert (
        "What people wrote in check-ins (the scores stay) [RETENTION_CHECK_IN_TEXT_DAYS: 730 days]: 1 due"
        in (out.getvalue())
    )
    assert CheckIn.objects.get(person=old_and_new.rep).went_well == f"Tea {MARKER}"
    client.force_login(administrator)
    with django_assert_max_num_queries(14):  # one count per retention rule, whatever the data
        response = client.get(reverse("privacy:retention"))
    assert response.status_code == 200
    assert "Receipts (the amounts stay)" in response.content.decode()
    out = StringIO()
    call_command("retention", stdout=out)
    assert "Staff's notes of contacts (when and how stay): 1 changed" in out.getvalue()


def test_the_job_runs_nightly_through_its_task(old_and_new, settings):
    from privacy.tasks import apply_retention

    entries = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.tasks.apply_retention" in entries
    assert apply_retention.delay().get(disable_sync_subtasks=False) > 0
    assert apply_retention.delay().get(disable_sync_subtasks=False) == 0
