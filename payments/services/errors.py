"""The error payments' services raise when a rule refuses an action."""

from involvement.errors import ServiceError


class ClaimError(ServiceError):
    """A rule about claims, expenses, limits or exports refused the action (involvement.errors)."""
