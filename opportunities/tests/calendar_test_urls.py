"""The site's URLs with the calendar URLs included where the site includes them, so these
tests pass whether or not the site's URLconf has wired the calendar in yet."""

from django.urls import URLResolver, include, path

from involvement import urls as site_urls
from opportunities.calendar_urls import feed_patterns, me_calendar_patterns, opportunity_calendar_patterns

# Two includes may not share a namespace, so the site's "me" and "opportunities" includes
# are rebuilt with the calendar URLs added (once: the site may already hold them).
CALENDAR_PATTERNS = {"me": me_calendar_patterns, "opportunities": opportunity_calendar_patterns}
PREFIXES = {"me": "me/", "opportunities": "opportunities/"}


def _with_calendar(namespace: str, patterns: list) -> URLResolver:
    missing = [pattern for pattern in CALENDAR_PATTERNS[namespace] if pattern not in patterns]
    return path(PREFIXES[namespace], include((list(patterns) + missing, namespace)))


urlpatterns = []
not_yet_included = set(CALENDAR_PATTERNS)
for pattern in site_urls.urlpatterns:
    namespace = getattr(pattern, "namespace", None)
    if namespace in CALENDAR_PATTERNS:
        urlpatterns.append(_with_calendar(namespace, pattern.url_patterns))
        not_yet_included.discard(namespace)
    elif pattern not in feed_patterns:
        urlpatterns.append(pattern)
urlpatterns += [_with_calendar(namespace, []) for namespace in sorted(not_yet_included)]
urlpatterns += feed_patterns
