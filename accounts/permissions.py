"""Who may do what: roles and the predicates behind every permission check.

Roles are Django groups. This module is the one place that knows their names: views use
the permission decorators and getters below, templates ask `perms` or the `navigation`
context, and nothing compares role names anywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import rules
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import ContactLogEntry, User

    # Whoever a rule is asked about: a person, or somebody not logged in (request.user).
    Anyone: TypeAlias = User | AnonymousUser


class Role(models.TextChoices):
    REPRESENTATIVE = "Representative"
    WORKER = "Involvement worker"
    MANAGER = "Manager"
    ADMINISTRATOR = "Administrator"
    # Exports approved claims to the finance system and records payments (issue 12).
    FINANCE = "Finance officer"


STAFF_ROLES = frozenset({Role.WORKER, Role.MANAGER, Role.ADMINISTRATOR, Role.FINANCE})


def role_names(user: Anyone | None) -> frozenset[str]:
    """The names of a person's roles, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user: Anyone, role: Role) -> bool:
    return role in role_names(user)


def is_staff_member(user: Anyone) -> bool:
    return bool(role_names(user) & STAFF_ROLES)


@rules.predicate
def is_representative(user: Anyone) -> bool:
    return has_role(user, Role.REPRESENTATIVE)


@rules.predicate
def is_worker(user: Anyone) -> bool:
    return has_role(user, Role.WORKER)


@rules.predicate
def is_manager(user: Anyone) -> bool:
    return has_role(user, Role.MANAGER)


@rules.predicate
def is_administrator(user: Anyone) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


@rules.predicate
def is_finance_officer(user: Anyone) -> bool:
    return has_role(user, Role.FINANCE)


@rules.predicate
def is_self(user: Anyone, person: User | None) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def is_named_worker_of(user: Anyone, person: User | None) -> bool:
    """`person` is a User; its profile should be loaded with select_related."""
    profile = getattr(person, "profile", None)
    return profile is not None and profile.named_worker_id == user.pk


# Who may see a person (`accounts.view_person`) and their support note
# (`accounts.view_support_note`) also turns on who leads which opportunity, which only
# opportunities knows: those two rules are composed, once, in opportunities/permissions.py
# from the predicates here. `get_person_for_staff` below asks for them by name.
rules.add_perm("accounts.use_worker_area", is_worker)
rules.add_perm("accounts.view_dashboard", is_manager | is_administrator)
rules.add_perm("accounts.use_admin", is_administrator)
# The access log's review page and CSV (issue 16): the administrators, who review it.
rules.add_perm("accounts.review_access_log", is_administrator)
# The one change an administrator may make to another person's log-in (audited, re-authenticated).
rules.add_perm("accounts.reset_two_factor", is_administrator & ~is_self)
rules.add_perm("accounts.use_representative_area", is_representative)

# Finding people and choosing their named worker (PRODUCT.md: workers "find people, assign
# named workers"). The people list shows only what any worker may know of anyone: a name,
# who their named worker is, when they last took part and whether they are on a break.
# Managers see it too, and may choose a named worker (issue 13), but nothing more of a
# person: their details and notes stay behind `accounts.view_person`.
rules.add_perm("accounts.find_people", is_worker | is_manager)
rules.add_perm("accounts.assign_named_worker", is_worker | is_manager)


@rules.predicate
def wrote_contact_log_entry(user: Anyone, entry: ContactLogEntry | None) -> bool:
    return entry is not None and entry.written_by_id == user.pk


@rules.predicate
def may_view_contact_log_person(user: Anyone, entry: ContactLogEntry | None) -> bool:
    return entry is not None and user.has_perm("accounts.view_person", entry.person)


# The contact log follows the rule that opens a person's notes (their named worker, the lead
# workers their sign-ups open them to), and its author may always read what they wrote. Not
# managers, although they may find people and choose a named worker: PRODUCT.md gives them
# aggregates and read-only opportunities and keeps every individual's record from them (no
# check-in, no note), and a log of conversations with one person is such a record, however
# carefully it is written.
rules.add_perm(
    "accounts.view_contact_log_entry",
    is_worker & (wrote_contact_log_entry | may_view_contact_log_person),
)


def get_person_for_staff(user: Anyone, person_id: int) -> User:
    """The person, if this member of staff may see them; otherwise a 404, so that what
    somebody may not see is not even confirmed to exist."""
    from accounts.selectors import person_get

    person = person_get(person_id=person_id)
    if person is None or not user.has_perm("accounts.view_person", person):
        raise Http404("No such person")  # pragma: no mutate: templates/404.html never shows the text
    return person


def get_person_to_assign(user: Anyone, person_id: int) -> User:
    """A representative whose named worker this member of staff may choose; anybody else is a
    404. (The caller has checked `accounts.assign_named_worker` first: a 403 for the wrong role.)"""
    from accounts.selectors import person_get

    person = person_get(person_id=person_id)
    if person is None or not is_representative(person):
        raise Http404("No such person")  # pragma: no mutate: templates/404.html never shows the text
    return person


def home_url_name(user: Anyone) -> str:
    """Where a person lands after logging in: the home of their most staff-like role."""
    if has_role(user, Role.WORKER):
        return "worker:home"
    if has_role(user, Role.MANAGER):
        return "dashboard:home"
    if has_role(user, Role.FINANCE):
        return "payments:exports"
    if has_role(user, Role.ADMINISTRATOR):
        return "admin:index"
    return "me:home"
