"""Many messages of one kind written at once (digests, summaries, the charter's news): one
statement, and one delivery sweep queued on commit, rather than a row and a task each."""

from collections.abc import Sequence

from django.conf import settings
from django.db import transaction

from accounts.models import User
from notifications.kinds import RULES, Kind
from notifications.models import ContactTask, Message
from notifications.selectors import existing_dedupe_keys
from notifications.services.outbox import (
    TEXT_KEY_SUFFIX,
    Content,
    _has_text,
    _message_fields,
    _start_status,
    _text_fields,
    _text_number,
    _words,
)
from notifications.services.queueing import queue_sweep
from notifications.services.rendering import _check_kind


def messages_store_bulk(*, kind: Kind | str, items: Sequence[tuple[User, str, Content]]) -> int:
    """Write many messages of one kind in one statement (digests, summaries): recipients
    must come with their profile loaded. Existing keys are skipped by the database, paused
    people are skipped here, and one batch delivery is queued on commit rather than a task
    per message. Each message may be rendered already or a `Draft` (a snapshot rendered at
    delivery; the sweep renders those only listed in the inbox)."""
    _check_kind(kind)
    done = existing_dedupe_keys(keys=[key for _, key, _ in items]) if items else set()
    rows = []
    tasks: list[ContactTask] = []
    for recipient, dedupe_key, rendered in items:
        if dedupe_key in done:
            continue
        status = _start_status(kind=kind, profile=recipient.profile)
        if status is None:
            continue
        if not recipient.email:
            # No e-mail address (ADR 13): a text where one may go, else a task for their worker.
            profile = recipient.profile
            if (
                RULES[kind].text
                and _has_text(kind=kind, content=rendered)
                and profile.mobile_number
                and settings.TEXT_MESSAGES_ENABLED
            ):
                text = _text_fields(
                    kind=kind, rendered=rendered, recipient=recipient, to_phone=profile.mobile_number
                )
                rows.append(Message(dedupe_key=dedupe_key + TEXT_KEY_SUFFIX, **text))
            elif not RULES[kind].holds_secret:
                words = _words(rendered)
                tasks.append(
                    ContactTask(
                        person=recipient,
                        worker_id=profile.named_worker_id or profile.registered_by_id,
                        method=ContactTask.Method.PHONE if profile.phone else ContactTask.Method.LETTER,
                        kind=kind,
                        dedupe_key=dedupe_key,
                        subject=words.subject,
                        body_text=words.body_text,
                    )
                )
            continue
        fields = _message_fields(
            kind=kind, rendered=rendered, recipient=recipient, to_email=recipient.email, status=status
        )
        rows.append(Message(dedupe_key=dedupe_key, **fields))
        to_phone = _text_number(kind=kind, profile=recipient.profile)
        if to_phone and _has_text(kind=kind, content=rendered):
            text = _text_fields(kind=kind, rendered=rendered, recipient=recipient, to_phone=to_phone)
            rows.append(Message(dedupe_key=dedupe_key + TEXT_KEY_SUFFIX, **text))
    if tasks:
        # Only when somebody in the batch has no e-mail address: one query more, then.
        made = set(
            ContactTask.objects.filter(dedupe_key__in=[task.dedupe_key for task in tasks]).values_list(
                "dedupe_key", flat=True
            )
        )
        tasks = [task for task in tasks if task.dedupe_key not in made]
        ContactTask.objects.bulk_create(tasks, ignore_conflicts=True, batch_size=1000)
    if not rows:
        return len(tasks)
    Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    transaction.on_commit(queue_sweep)
    return len(rows) + len(tasks)
