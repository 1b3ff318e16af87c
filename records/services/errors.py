"""The error records' services raise when a rule refuses an action."""

from involvement.errors import ServiceError


class RecordError(ServiceError):
    """A rule about the record, certificates or references refused the action."""
