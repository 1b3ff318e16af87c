"""The charter's services by concern; callers import them from here."""

from charter.services.agreements import (
    AgreementPart,
    agreement_agree,
    agreement_build,
    agreement_due,
    agreement_question_ask,
    agreement_question_close,
    agreement_text,
)
from charter.services.errors import CharterError
from charter.services.proposals import (
    comment_add,
    proposal_co_sign,
    proposal_create,
    proposal_update,
    signing_side,
)
from charter.services.updates import charter_update_send, version_changes_agreements
from charter.services.versions import STALE_SECTION, charter_first_publish, is_adoptable, proposal_publish

__all__ = [
    "STALE_SECTION",
    "AgreementPart",
    "CharterError",
    "agreement_agree",
    "agreement_build",
    "agreement_due",
    "agreement_question_ask",
    "agreement_question_close",
    "agreement_text",
    "charter_first_publish",
    "charter_update_send",
    "comment_add",
    "is_adoptable",
    "proposal_co_sign",
    "proposal_create",
    "proposal_publish",
    "proposal_update",
    "signing_side",
    "version_changes_agreements",
]
