"""The error charter's services raise when a rule refuses an action."""

from involvement.errors import ServiceError


class CharterError(ServiceError):
    """A rule about the charter, a proposal or an agreement refused the action."""
