"""Who may log a call or a letter owed to a person (`ContactTask`): the worker it is for, or
a worker who may see the person (`accounts.view_person`: their named worker, and the lead
workers their sign-ups open them to), so that a task waiting for someone on leave can be
picked up. Anybody else is told it does not exist (a 404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.http import Http404

from accounts.permissions import is_worker

if TYPE_CHECKING:
    from accounts.permissions import Anyone
    from notifications.models import ContactTask


@rules.predicate
def is_task_worker(user: Anyone, task: ContactTask | None) -> bool:
    return task is not None and task.worker_id == user.pk


@rules.predicate
def may_view_task_person(user: Anyone, task: ContactTask | None) -> bool:
    return task is not None and user.has_perm("accounts.view_person", task.person)


rules.add_perm("notifications.handle_contact_task", is_worker & (is_task_worker | may_view_task_person))


def get_contact_task_for_worker(user: Anyone, task_id: int) -> ContactTask:
    from notifications.selectors import contact_task_get

    task = contact_task_get(task_id=task_id)
    if task is None or not user.has_perm("notifications.handle_contact_task", task):
        raise Http404("No such task")  # pragma: no mutate: templates/404.html never shows the text
    return task
