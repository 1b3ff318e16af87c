"""The error notifications' services raise when a rule refuses an action."""

from involvement.errors import ServiceError


class NotificationsError(ServiceError):
    """A rule about messages refused the action (involvement.errors)."""
