"""The error feedback's services raise when a rule refuses an action."""

from involvement.errors import ServiceError


class FeedbackError(ServiceError):
    """A rule about outcomes, check-ins or follow-ups refused the action (involvement.errors)."""
