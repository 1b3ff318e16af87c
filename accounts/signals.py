"""Keeps the roles, and the Administrator group's model permissions, in step after each migration.

Administrators run the Django admin without being superusers: a superuser passes every
permission check, and that would let them read support notes, which PRODUCT.md keeps
from them. This is set-up data, not business logic, so a post_migrate hook is the place.
"""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

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
