"""Keeps the roles, and the Administrator group's model permissions, in step after each migration.

Administrators run the Django admin without being superusers: a superuser passes every
permission check, and that would let them read support notes, which PRODUCT.md keeps
from them. This is set-up data, not business logic, so a post_migrate hook is the place.
"""

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from django.contrib.auth.signals import user_logged_in as django_user_logged_in
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

from accounts.models import User

ADMIN_MANAGED_APPS = [
    "catalogue",
    "accounts",
    "opportunities",
    "feedback",
    "notifications",
    "dashboard",  # the targets the dashboard compares its figures with
    "auth",
    "account",
    "mfa",
]
# Seen but never added, changed or deleted, even by an administrator: the outbox (account
# messages hold log-in codes), the access log (evidence), and people's e-mail addresses and
# two-factor authenticators (changed by the person, or through the audited reset).
VIEW_ONLY_MODELS = [
    ("notifications", "message"),
    ("accounts", "accesslogentry"),
    ("account", "emailaddress"),
    ("account", "emailconfirmation"),
    ("mfa", "authenticator"),
]

# Not even seen: a person's equality monitoring answers are counted only in aggregate
# (the dashboard's "Who we reach"), never read one by one by anyone on the staff.
NEVER_GRANTED_MODELS = [("accounts", "equalitymonitoring")]


@receiver(post_migrate)
def grant_administrator_permissions(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from accounts.permissions import Role

    # The roles are created by migration 0002; recreating them here also restores them
    # after a database flush (which runs post_migrate again).
    for role in Role:
        Group.objects.using(using).get_or_create(name=role)
    group = Group.objects.using(using).get(name=Role.ADMINISTRATOR)
    never = Q()
    for app_label, model in NEVER_GRANTED_MODELS:
        never |= Q(content_type__app_label=app_label, content_type__model=model)
    group.permissions.remove(*Permission.objects.using(using).filter(never))
    permissions = (
        Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_MANAGED_APPS).exclude(never)
    )
    view_only = Q()
    for app_label, model in VIEW_ONLY_MODELS:
        view_only |= Q(content_type__app_label=app_label, content_type__model=model)
    writes = permissions.filter(view_only).exclude(codename__startswith="view_")
    group.permissions.add(*permissions.exclude(pk__in=writes))
    # Taken back too from databases migrated before these were view-only.
    group.permissions.remove(*writes)


@receiver(m2m_changed, sender=User.groups.through)
def log_role_change(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A role given or taken away, whichever side it was changed from (a person's roles, or a
    role's people), is written to the access log (issue 16, item 5)."""
    from django.contrib.auth.models import Group

    from accounts.access_log import access_log_role_changes

    if action not in ("post_add", "post_remove") or not pk_set:
        return
    added = action == "post_add"
    if reverse:  # group.user_set.add(...): `instance` is the role, pk_set its people
        for person in User.objects.filter(pk__in=pk_set):
            access_log_role_changes(person=person, roles=[instance.name], added=added)
    else:
        roles = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        access_log_role_changes(person=instance, roles=roles, added=added)


@receiver(allauth_user_logged_in)
def log_staff_login(sender, request, user, **kwargs) -> None:
    """A member of staff logging in through allauth (any method, after two-factor) is written
    down: staff can read people's personal data from then on."""
    from accounts.access_log import access_log_event
    from accounts.models import AccessLogEntry
    from accounts.permissions import is_staff_member

    if is_staff_member(user):
        access_log_event(what=AccessLogEntry.What.STAFF_LOGIN, viewer=user, subject=user, path=request.path)


@receiver(django_user_logged_in)
def start_session_clock(sender, request, user, **kwargs) -> None:
    """The absolute timeout counts from the log-in (accounts.sessions)."""
    from accounts.sessions import session_started

    if request is not None and hasattr(request, "session"):
        session_started(request)
