"""Reads about people, shaped so that pages run a fixed number of queries."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import AccessLogEntry, ContactLogEntry, NamedWorkerChange, Profile, User
from accounts.permissions import Role


def person_get(*, person_id: int) -> User | None:
    return (
        User.objects.select_related("profile", "profile__named_worker", "profile__registered_by__profile")
        .filter(pk=person_id, is_active=True)
        .first()
    )


def profile_for_user(*, user: User) -> Profile:
    """The person's profile; every person has one (created at sign-up or by seed_demo), and
    one is made here for anyone created another way, such as `createsuperuser`."""
    profile, _ = Profile.objects.select_related("named_worker").get_or_create(user=user)
    return profile


def profile_for_calendar_token(*, token: str) -> Profile | None:
    """The profile whose calendar feed this is. Looked up by the unique indexed column, so the
    database does the comparison and there is no per-character timing to measure."""
    if not token:
        return None
    return Profile.objects.select_related("user").filter(calendar_token=token, user__is_active=True).first()


def caseload_for_worker(*, worker: User) -> QuerySet[User]:
    """People who have this worker as their named involvement worker (opportunities adds
    when each last took part: `opportunities.selectors.caseload_with_last_involved`)."""
    return (
        User.objects.filter(profile__named_worker=worker, is_active=True)
        .select_related("profile")
        .order_by("profile__display_name", "email")
    )


def workers() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.WORKER, is_active=True).order_by("first_name", "email")


def representatives() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.REPRESENTATIVE, is_active=True)


def access_log_for_subject(*, subject: User) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(subject=subject).select_related("viewer")


def two_factor_methods_for_person(*, person: User) -> QuerySet[Any]:
    """A person's two-factor authenticators, without their secrets (for the admin's reset)."""
    from allauth.mfa.models import Authenticator

    # allauth has no type information: its models are Any to mypy.
    methods: QuerySet[Any] = (
        Authenticator.objects.filter(user=person)
        .only("id", "type", "user_id", "created_at", "last_used_at")
        .order_by("created_at", "id")
    )
    return methods


def names_by_person_id(*, person_ids: Iterable[int]) -> dict[int, str]:
    """The names pages show for these people (display name, else e-mail), in one query.
    For records that keep ids rather than names, such as a selection's ranking, so that
    erasing a person changes what every page shows of them at once."""
    rows = User.objects.filter(pk__in=list(person_ids)).values_list("pk", "profile__display_name", "email")
    return {pk: display_name or email or "" for pk, display_name, email in rows}


# New registrants count as new for this long on the people list and the worker's home.
NEW_REGISTRANT_DAYS = 30


def representatives_in_list_order() -> QuerySet[User]:
    """Representatives in the people list's order, with nothing joined but what the order
    needs: what the list filters, counts and pages. Only the ids of the page shown are read
    from it (a narrow sort); `people_for_staff` then loads those few rows in full."""
    # Every representative has a profile; saying so makes the join an inner one, which lets
    # PostgreSQL read the profile's index in order and stop after the page.
    return User.objects.filter(
        groups__name=Role.REPRESENTATIVE, is_active=True, profile__isnull=False
    ).order_by("profile__sort_name", "profile__user_id")


def people_for_staff() -> QuerySet[User]:
    """Representatives, with what the people list shows of each (their profile and their
    named worker's name) joined in, so that a page of them is one query."""
    return (
        User.objects.filter(groups__name=Role.REPRESENTATIVE, is_active=True)
        .select_related("profile", "profile__named_worker", "profile__named_worker__profile")
        .order_by("profile__display_name", "email", "pk")
    )


def people_awaiting_named_worker(*, within_days: int = NEW_REGISTRANT_DAYS) -> QuerySet[User]:
    """People who registered in the last `within_days` and have no named worker yet, oldest
    first, since they have waited longest (for the worker's home)."""
    since = timezone.now() - timedelta(days=within_days)
    return (
        people_for_staff()
        .filter(profile__named_worker__isnull=True, date_joined__gte=since)
        .order_by("date_joined", "pk")
    )


def contact_log_for_person(*, person: User, written_by: User | None = None) -> QuerySet[ContactLogEntry]:
    """The person's contact log, newest first; only `written_by`'s entries when given (what
    a worker who may no longer see the person still may: what they wrote)."""
    entries = ContactLogEntry.objects.filter(person=person).select_related("written_by__profile")
    if written_by is not None:
        entries = entries.filter(written_by=written_by)
    return entries


def named_worker_history(*, person: User) -> QuerySet[NamedWorkerChange]:
    return NamedWorkerChange.objects.filter(person=person).select_related(
        "previous_worker__profile", "new_worker__profile", "by__profile"
    )
