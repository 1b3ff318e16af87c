"""The secret in a person's private calendar-feed address, kept on their profile (the feed
itself is opportunities'): opportunities asks these services for it, never writes it."""

import pytest

from accounts.selectors import profile_for_calendar_token, profile_for_user
from accounts.services import calendar_token_get_or_create, calendar_token_reset

pytestmark = pytest.mark.django_db


def test_reset_saves_a_new_unguessable_token_each_time(representative):
    profile = profile_for_user(user=representative)
    first = calendar_token_reset(profile=profile)
    second = calendar_token_reset(profile=profile)
    assert first != second
    assert len(second) >= 43
    assert profile_for_user(user=representative).calendar_token == second


def test_get_or_create_keeps_a_token_another_request_already_made(representative):
    # Two pages opened at once: the second must not replace the address the first showed.
    stale = profile_for_user(user=representative)
    made_elsewhere = calendar_token_get_or_create(profile=profile_for_user(user=representative))

    assert stale.calendar_token is None
    assert calendar_token_get_or_create(profile=stale) == made_elsewhere
    assert calendar_token_get_or_create(profile=stale) == made_elsewhere


def test_the_token_finds_its_profile_and_only_an_active_persons(representative):
    token = calendar_token_get_or_create(profile=profile_for_user(user=representative))
    assert profile_for_calendar_token(token=token).user == representative
    assert profile_for_calendar_token(token="") is None
    representative.is_active = False
    representative.save()
    assert profile_for_calendar_token(token=token) is None
