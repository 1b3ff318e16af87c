"""An erasure is written to the access log (issue 16, item 5): who confirmed it, whose data,
when; ids only, since the person's row no longer names them."""

import pytest

from accounts.models import AccessLogEntry
from privacy.services import erasure_confirm, erasure_request

pytestmark = pytest.mark.django_db


def test_confirming_an_erasure_writes_who_erased_whom_to_the_access_log(representative, administrator):
    request = erasure_request(person=representative, by=representative)
    assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.ERASURE).exists()
    erasure_confirm(request=request, by=administrator)
    entry = AccessLogEntry.objects.get(what=AccessLogEntry.What.ERASURE)
    assert (entry.viewer, entry.subject_id, entry.detail) == (
        administrator,
        representative.pk,
        f"Data request {request.pk}",
    )
