"""Handing messages to the Celery workers. A request or job must still succeed when the
broker is down: each message is already in the outbox, and the periodic sweep delivers (or
renders) what was not queued."""

import logging

# Logged as the outbox, as before these moved out of it: alerts filter on that name.
logger = logging.getLogger("notifications.services.outbox")


def queue_delivery(message_id: int) -> None:
    """Queue the delivery task. If the broker is down the request must still succeed: the
    message waits in the outbox and the sweep delivers it once the broker is back."""
    from notifications.tasks import deliver_message

    try:
        deliver_message.delay(message_id)
    except Exception as error:  # kombu and redis raise several types; all mean "not queued"
        logger.warning(
            "Could not queue message %s (%s); the sweep will deliver it.", message_id, type(error).__name__
        )


def queue_render(message_id: int) -> None:
    """Queue the rendering of a message written unrendered that nobody delivers (listed in
    the inbox only). Should the broker be down, the sweep renders it; a page that shows it
    first renders it from its snapshot."""
    from notifications.tasks import render_unrendered_message

    try:
        render_unrendered_message.delay(message_id)
    except Exception as error:  # kombu and redis raise several types; all mean "not queued"
        logger.warning(
            "Could not queue rendering message %s (%s); the sweep will.", message_id, type(error).__name__
        )


def queue_sweep() -> None:
    from notifications.tasks import sweep_outbox

    try:
        sweep_outbox.delay()
    except Exception as error:  # the periodic sweep will pick the batch up
        logger.warning("Could not queue a delivery sweep (%s).", type(error).__name__)
