"""Accounts nobody uses (issue 16, item 4): a representative who has not logged in for
RETENTION_UNUSED_ACCOUNT_DAYS is warned (by e-mail, or by a call or letter for someone with
no e-mail address: the outbox decides); if they still have not logged in
UNUSED_ACCOUNT_WARNING_DAYS later, the account is put to an administrator as an erasure
request, decided like any other (docs/adr/0017-data-rights.md). Never erased unseen: a person
may have a reason to keep an account they rarely use, and erasure frees places and wipes
text, which an administrator should see first. Logging in again starts the clock afresh:
the warning's key carries the last log-in, so a later lapse is warned again."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.permissions import Role
from notifications.kinds import Kind
from notifications.models import ContactTask, Message
from notifications.services import message_create
from privacy.models import DataRequest

KEY_PREFIX = "account-unused"


def unused_account_days() -> int:
    return settings.RETENTION_UNUSED_ACCOUNT_DAYS


def _warning_key(person: User) -> str:
    last_seen = person.last_login or person.date_joined
    return f"{KEY_PREFIX}:{person.pk}:{last_seen:%Y%m%d%H%M%S}"


def _pending_erasure() -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(
        person=OuterRef("pk"), kind=DataRequest.Kind.ERASURE, status=DataRequest.Status.PENDING
    )


def unused_accounts_due(now: datetime) -> QuerySet[User]:
    """Representatives unused for the period with nothing pending: not yet warned, or warned
    long enough ago. A warned person within their notice is not due (a run changes nothing)."""
    days = unused_account_days()
    if not days:
        return User.objects.none()
    notice = now - timedelta(days=settings.UNUSED_ACCOUNT_WARNING_DAYS)
    warned_lately = Message.objects.filter(
        dedupe_key__startswith=f"{KEY_PREFIX}:", recipient=OuterRef("pk"), created_at__gt=notice
    )
    called_lately = ContactTask.objects.filter(
        dedupe_key__startswith=f"{KEY_PREFIX}:", person=OuterRef("pk"), created_at__gt=notice
    )
    return (
        User.objects.filter(is_active=True, groups__name=Role.REPRESENTATIVE)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=now - timedelta(days=days))
        .exclude(Exists(_pending_erasure()))
        # Put to an administrator since they were last seen: once is enough, whatever was
        # decided (an administrator who declined has a reason; a new log-in starts again).
        .exclude(
            Exists(
                DataRequest.objects.filter(
                    person=OuterRef("pk"),
                    channel=DataRequest.Channel.UNUSED,
                    created_at__gt=OuterRef("last_seen"),
                )
            )
        )
        .exclude(Exists(warned_lately))
        .exclude(Exists(called_lately))
    )


def unused_account_apply(pk: int, now: datetime) -> int:
    """Warn the person, or, once warned and still away, ask an administrator to erase them."""
    person = User.objects.select_for_update().filter(pk=pk).first()
    if person is None or not unused_accounts_due(now).filter(pk=pk).exists():
        return 0
    key = _warning_key(person)
    warned = (
        Message.objects.filter(dedupe_key=key).exists() or ContactTask.objects.filter(dedupe_key=key).exists()
    )
    if not warned:
        message_create(
            recipient=person,
            kind=Kind.ACCOUNT_UNUSED,
            dedupe_key=key,
            context={
                "last_seen": person.last_login or person.date_joined,
                "closes_on": (now + timedelta(days=settings.UNUSED_ACCOUNT_WARNING_DAYS)).date(),
            },
        )
        return 1
    DataRequest.objects.create(
        kind=DataRequest.Kind.ERASURE, person=person, requested_by=None, channel=DataRequest.Channel.UNUSED
    )
    return 1
