"""What happens once an opportunity is published, for the apps above opportunities.

feedback invites the people whose interests match (issue 13, F4), but opportunities sits
below feedback and may not import it (docs/architecture.md). So feedback registers a
listener here when Django starts (`FeedbackConfig.ready`), and `opportunity_publish` calls
`opportunity_published` inside its transaction: each listener is run only once that
transaction commits (`transaction.on_commit`), never for a publish that rolled back, and is
given the opportunity's id, as a task would be. A listener should only queue work.
"""

from collections.abc import Callable
from functools import partial

from django.db import transaction

PublishListener = Callable[[int], None]

_listeners: dict[str, PublishListener] = {}


def publish_listener_register(name: str, listener: PublishListener) -> None:
    """Run `listener(opportunity_id)` after each publish commits. Registering a name again
    replaces its listener, so an app's `ready()` running twice adds nothing twice."""
    _listeners[name] = listener


def opportunity_published(opportunity_id: int) -> None:
    """Called by `opportunity_publish` inside its transaction."""
    for listener in _listeners.values():
        transaction.on_commit(partial(listener, opportunity_id))
