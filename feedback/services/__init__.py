"""Closing the loop: outcomes, check-ins, follow-ups, digests and the worker's summary.

The research found that people get involved to make a difference and must hear back (F1,
F2), that feeling valued matters (F3), that involvement can be hard on wellbeing (F5) and
that a named worker is crucial (F7). Every message here goes through the outbox and never
carries a check-in's answers.
"""

# The services by concern, one module each; callers import them from here.
from feedback.services.check_ins import (
    check_in_create,
    check_in_invitations_send,
    follow_up_close,
    follow_up_due_on,
    follow_up_pick_up,
    worker_name,
)
from feedback.services.digests import digest_period, digests_build
from feedback.services.errors import FeedbackError
from feedback.services.invitations import (
    invitation_candidates,
    invitations_queue,
    invitations_send,
    invitations_send_recent,
)
from feedback.services.outcomes import outcome_due_on, outcome_publish, outcome_save, outcomes_overdue
from feedback.services.summaries import worker_summaries_send

__all__ = [
    "FeedbackError",
    "check_in_create",
    "check_in_invitations_send",
    "digest_period",
    "digests_build",
    "follow_up_close",
    "follow_up_due_on",
    "follow_up_pick_up",
    "invitation_candidates",
    "invitations_queue",
    "invitations_send",
    "invitations_send_recent",
    "worker_name",
    "outcome_due_on",
    "outcome_publish",
    "outcome_save",
    "outcomes_overdue",
    "worker_summaries_send",
]
