"""Roles at their edges. Written for a change that `make mutation` (docs/testing.md) made to
accounts/permissions.py and that no other test noticed."""

from django.contrib.auth.models import AnonymousUser

from accounts.permissions import Role, has_role, role_names


def test_nobody_and_a_visitor_have_no_roles():
    """`role_names` is asked about "no user at all" (None) as well as a visitor not logged in:
    both have no role, and neither is an error."""
    assert role_names(None) == frozenset()
    assert role_names(AnonymousUser()) == frozenset()
    assert not has_role(AnonymousUser(), Role.WORKER)
