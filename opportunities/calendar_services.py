"""The secret in a person's private calendar-feed address."""

import secrets

from django.db import transaction

from accounts.models import Profile


def _new_token() -> str:
    # 32 random bytes: unguessable, and URL-safe so it sits in a path without escaping.
    return secrets.token_urlsafe(32)


def calendar_token_reset(*, profile: Profile) -> str:
    """A new secret; the old feed address stops working at once."""
    token = _new_token()
    with transaction.atomic():
        profile.calendar_token = token
        profile.save(update_fields=["calendar_token", "updated_at"])
    return token


def calendar_token_get_or_create(*, profile: Profile) -> str:
    """The person's secret, made the first time they ask for it."""
    existing = profile.calendar_token
    if existing:
        return existing
    # Set it only if still empty, so two pages opened at once agree on one address rather
    # than the second silently replacing the first.
    Profile.objects.filter(pk=profile.pk, calendar_token__isnull=True).update(calendar_token=_new_token())
    profile.refresh_from_db(fields=["calendar_token"])
    # Ours, or the one a page opened at the same moment set first: never empty now.
    assert profile.calendar_token
    return profile.calendar_token
