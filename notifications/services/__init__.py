"""Writing messages to the outbox, delivering them, and the inbox.

By concern, one module each: `outbox` (writing, and the rules a person's choices make),
`rendering` (a kind's templates for a person), `delivery` (claiming, sending, retrying,
sweeping), `texts` (the text backends: GOV.UK Notify), `wipes` (wiping account messages'
codes and links), `inbox`. Callers import from here.
"""

from notifications.services.bulk import messages_store_bulk
from notifications.services.contact_tasks import CallRequest, contact_task_log
from notifications.services.delivery import (
    CLAIM_SQL,
    Claimed,
    DeliveryReport,
    message_resend,
    messages_claim,
    messages_deliver,
    messages_release_stale,
    messages_render,
    outbox_sweep,
)
from notifications.services.errors import NotificationsError
from notifications.services.inbox import inbox_mark_read
from notifications.services.outbox import (
    TEXT_KEY_SUFFIX,
    message_create,
    message_store,
    text_code_create,
    unique_key,
)
from notifications.services.queueing import queue_delivery, queue_render, queue_sweep
from notifications.services.rendering import (
    Draft,
    RenderedMessage,
    render_message,
    render_plain_text,
    render_snapshot,
    render_text,
)
from notifications.services.snapshots import Facts, freeze, thaw
from notifications.services.wipes import messages_wipe_secrets

__all__ = [
    "CLAIM_SQL",
    "CallRequest",
    "Draft",
    "Facts",
    "Claimed",
    "DeliveryReport",
    "NotificationsError",
    "TEXT_KEY_SUFFIX",
    "RenderedMessage",
    "contact_task_log",
    "inbox_mark_read",
    "message_create",
    "message_resend",
    "message_store",
    "messages_claim",
    "messages_deliver",
    "messages_release_stale",
    "messages_render",
    "messages_store_bulk",
    "messages_wipe_secrets",
    "outbox_sweep",
    "queue_delivery",
    "queue_render",
    "queue_sweep",
    "render_message",
    "render_plain_text",
    "render_snapshot",
    "render_text",
    "text_code_create",
    "thaw",
    "freeze",
    "unique_key",
]
