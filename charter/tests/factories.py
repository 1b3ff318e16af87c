"""The first charter, published through the service, for tests that need one."""

from accounts.models import User
from charter.first_charter import FIRST_CHARTER
from charter.models import CharterVersion
from charter.services import charter_first_publish


def first_charter(*, by: User | None = None, co_signers: list[User] | None = None) -> CharterVersion:
    return charter_first_publish(sections=dict(FIRST_CHARTER), by=by, co_signers=co_signers or [])
