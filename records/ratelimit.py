"""The verify page's rate limit: lookups per client address, counted in the shared Redis
cache so that every web process counts together (the way allauth's limits are). The address
is allauth's adapter's, which reads X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _limit() -> int:
    return int(getattr(settings, "VERIFY_RATE_LIMIT", 30))


def window_seconds() -> int:
    return int(getattr(settings, "VERIFY_RATE_WINDOW_SECONDS", 600))


def verify_lookup_allowed(request: HttpRequest) -> bool:
    """Count this lookup; False once the address has made more than the limit in the
    window. A fixed window from the first lookup: simple, and enough to make guessing a
    192-bit code hopeless (ADR 0015)."""
    address = get_adapter(request).get_client_ip(request)
    key = f"records:verify:{address}"
    # add() sets the window only if the key is new; incr() is atomic in Redis.
    cache.add(key, 0, timeout=window_seconds())
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds())
        count = 1
    return count <= _limit()
