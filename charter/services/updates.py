"""Telling everyone of a new version of the charter: one message each, through the outbox.

Queued once the publish commits (never before: a publish that rolls back tells nobody).
People are taken in batches in id order, a fixed number of queries per batch, each batch
stored with one bulk insert; the message key `charter_updated:<version>:<person>` makes a
second run, or a task the broker delivered twice, tell nobody twice."""

import logging
from collections.abc import Sequence

from django.conf import settings

from accounts.models import User
from accounts.permissions import Role
from charter.models import CharterVersion
from charter.sections import AGREEMENT_SECTIONS
from involvement.jobs import batch_in_own_transaction
from notifications.kinds import Kind
from notifications.services import messages_store_bulk, render_message

logger = logging.getLogger(__name__)


def queue_charter_update(version_id: int) -> None:
    """Queue the task; if the broker is down the publish still stands, and the task can be
    run again by hand (`send_charter_update`), safely."""
    from charter.tasks import send_charter_update

    try:
        send_charter_update.delay(version_id)
    except Exception as error:  # kombu and redis raise several types; all mean "not queued"
        logger.warning("Could not queue the charter update %s (%s).", version_id, type(error).__name__)


def version_changes_agreements(version: CharterVersion) -> bool:
    """Did publishing this version change a section agreements are built from?"""
    return version.sections.filter(key__in=AGREEMENT_SECTIONS, revision=version.number).exists()


def charter_update_send(*, version_id: int, batch_size: int | None = None) -> int:
    """Tell every active person with a profile. Returns how many messages were written."""
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    version = CharterVersion.objects.get(pk=version_id)
    changes_agreements = version_changes_agreements(version)
    people = (
        User.objects.filter(is_active=True, profile__isnull=False).select_related("profile").order_by("pk")
    )

    def store(batch: Sequence[User]) -> int:
        # Who is asked to agree again: the representatives of this batch (one query).
        representatives = (
            set(
                User.objects.filter(
                    pk__in=[p.pk for p in batch], groups__name=Role.REPRESENTATIVE
                ).values_list("pk", flat=True)
            )
            if changes_agreements
            else set()
        )
        items = []
        for person in batch:
            context = {
                "recipient": person,
                "version": version,
                "needs_agreement": person.pk in representatives,
            }
            key = f"charter_updated:{version.pk}:{person.pk}"
            items.append((person, key, render_message(kind=Kind.CHARTER_UPDATED, context=context)))
        return messages_store_bulk(kind=Kind.CHARTER_UPDATED, items=items)

    told, last_pk = 0, 0
    while True:
        batch = list(people.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return told
        last_pk = batch[-1].pk
        told += batch_in_own_transaction(
            batch,
            store,
            job="charter update",  # pragma: no mutate: the job's name only labels its log line
            item_id=lambda person: f"person {person.pk}",
        )
