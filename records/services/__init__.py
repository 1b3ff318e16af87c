"""Records' services: every write to the record, certificates and references."""

from records.services.certificates import (
    CertificateChoice,
    certificate_content,
    certificate_issue,
    certificate_withdraw,
)
from records.services.errors import RecordError
from records.services.record import activity_role_set, statement_save
from records.services.references import (
    ReferenceAsk,
    reference_finish,
    reference_request_create,
    reference_save,
)

__all__ = [
    "CertificateChoice",
    "RecordError",
    "ReferenceAsk",
    "activity_role_set",
    "certificate_content",
    "certificate_issue",
    "certificate_withdraw",
    "reference_finish",
    "reference_request_create",
    "reference_save",
    "statement_save",
]
