"""What the opportunities pages share."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_or(request: HttpRequest, fallback: str) -> str:
    """Only follow a `next` (posted, or in the address of a confirmation page) that stays
    on this site."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    # A path on this site and nothing else: `redirect()` would try to look up any other
    # string ("foo", "99999") as a URL name and fail with a 500.
    if (
        target.startswith("/")
        and len(target) <= 2000
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
