"""Accounts nobody uses (issue 16, item 4): after RETENTION_UNUSED_ACCOUNT_DAYS without a
log-in a representative is warned once; still away UNUSED_ACCOUNT_WARNING_DAYS later, they
are put to an administrator as an erasure request, once; logging in starts the clock again.
Staff accounts are never touched by it, and a period of 0 switches it off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from notifications.models import ContactTask, Message
from privacy.models import DataRequest
from privacy.retention import retention_apply, retention_report

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=365)


def unused_due(now) -> int:
    return {line.setting: line.due for line in retention_report(now=now)}["RETENTION_UNUSED_ACCOUNT_DAYS"]


def away(someone: User, *, for_: timedelta) -> None:
    User.objects.filter(pk=someone.pk).update(
        last_login=timezone.now() - for_, date_joined=timezone.now() - for_ - YEAR
    )


def test_a_representative_away_for_the_period_is_warned_once_then_put_to_an_administrator(
    representative, outsider, worker
):
    away(representative, for_=3 * YEAR + timedelta(days=1))
    away(outsider, for_=3 * YEAR - timedelta(days=60))  # short of it, even at the end of the notice
    away(worker, for_=10 * YEAR)  # staff: never
    now = timezone.now()

    assert unused_due(now) == 1
    retention_apply(now=now)
    warning = Message.objects.get(recipient=representative, kind="account_unused")
    assert "log in by" in warning.subject
    assert not Message.objects.filter(kind="account_unused").exclude(recipient=representative).exists()
    assert not DataRequest.objects.exists()

    # Within the notice, nothing more: not due, and a run changes nothing.
    later = now + timedelta(days=29)
    assert unused_due(later) == 0
    assert sum(retention_apply(now=later).values()) == 0
    assert Message.objects.filter(kind="account_unused").count() == 1

    # Still away after the notice: an erasure request for an administrator, asked by nobody.
    after = now + timedelta(days=31)
    assert unused_due(after) == 1
    retention_apply(now=after)
    request = DataRequest.objects.get(person=representative)
    assert (request.kind, request.status, request.channel, request.requested_by) == (
        DataRequest.Kind.ERASURE,
        DataRequest.Status.PENDING,
        DataRequest.Channel.UNUSED,
        None,
    )
    assert User.objects.get(pk=representative.pk).is_active, "an administrator decides, not the job"

    # Pending, or declined by an administrator: never put again for the same absence.
    assert sum(retention_apply(now=after + timedelta(days=1)).values()) == 0
    DataRequest.objects.filter(pk=request.pk).update(status=DataRequest.Status.DECLINED)
    assert sum(retention_apply(now=after + timedelta(days=2)).values()) == 0
    assert DataRequest.objects.count() == 1


def test_logging_in_after_the_warning_keeps_the_account_and_a_later_absence_is_warned_afresh(representative):
    away(representative, for_=3 * YEAR + timedelta(days=1))
    now = timezone.now()
    retention_apply(now=now)
    User.objects.filter(pk=representative.pk).update(last_login=now + timedelta(days=10))

    assert sum(retention_apply(now=now + timedelta(days=40)).values()) == 0
    assert not DataRequest.objects.exists()

    much_later = now + timedelta(days=10) + 3 * YEAR + timedelta(days=1)
    retention_apply(now=much_later)
    assert Message.objects.filter(recipient=representative, kind="account_unused").count() == 2
    assert not DataRequest.objects.exists()


def test_a_person_without_e_mail_is_warned_by_their_named_worker(representative, worker):
    User.objects.filter(pk=representative.pk).update(email=None)
    representative.refresh_from_db()
    away(representative, for_=4 * YEAR)
    now = timezone.now()
    retention_apply(now=now)
    task = ContactTask.objects.get(person=representative)
    assert task.worker == worker
    # The call or letter counts as the warning: after the notice, the request follows.
    retention_apply(now=now + timedelta(days=31))
    assert DataRequest.objects.filter(person=representative, channel=DataRequest.Channel.UNUSED).exists()


def test_a_period_of_zero_switches_it_off(representative, settings):
    settings.RETENTION_UNUSED_ACCOUNT_DAYS = 0
    away(representative, for_=10 * YEAR)
    assert unused_due(timezone.now()) == 0
    assert sum(retention_apply().values()) == 0
    assert not Message.objects.filter(kind="account_unused").exists()
