"""Periodic jobs that one bad item cannot stop.

A job handles each item in its own transaction, or each batch where it works in batches
for speed; a batch that fails is tried again one item at a time, so that only the item at
fault is left out. A failure is logged by the job's name, the item's id and the error's
type, never its text: errors can quote the data (an address, a name, what someone wrote),
and the logs must hold no personal data. The item is tried again on the job's next run.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")


def each_in_own_transaction(
    items: Iterable[T], handle: Callable[[T], int], *, job: str, item_id: Callable[[T], object]
) -> int:
    """Handle every item in a transaction of its own; returns the sum of what `handle`
    returns (how many messages it queued, say) over the items that succeeded."""
    done = 0
    for item in items:
        try:
            with transaction.atomic():
                done += handle(item)
        except Exception as error:  # any failure of one item must leave the others be
            logger.error(
                "%s: item %s failed (%s); the others go on.", job, item_id(item), type(error).__name__
            )
    return done


def batch_in_own_transaction(
    batch: Sequence[T], handle: Callable[[Sequence[T]], int], *, job: str, item_id: Callable[[T], object]
) -> int:
    """Handle a whole batch in one transaction; if it fails, handle its items one by one,
    each in its own transaction, so that one item at fault does not hold back the rest."""
    try:
        with transaction.atomic():
            return handle(batch)
    except Exception as error:
        if len(batch) == 1:
            logger.error("%s: item %s failed (%s).", job, item_id(batch[0]), type(error).__name__)
            return 0
        logger.warning(
            "%s: a batch of %s failed (%s); trying its items one by one.",
            job,
            len(batch),
            type(error).__name__,
        )
    return each_in_own_transaction(batch, lambda item: handle([item]), job=job, item_id=item_id)
