"""Keeps the roles, and the Administrator group's model permissions, in step after each migration.

Administrators run the Django admin without being superusers: a superuser passes every
permission check, and that would let them read support notes, which PRODUCT.md keeps
from them. This is set-up data, not business logic, so a post_migrate hook is the place.
"""

from django.db.models.signals import post_migrate
from django.dispatch import receiver

ADMIN_MANAGED_APPS = ["accounts", "opportunities", "feedback", "notifications", "auth", "account", "mfa"]


@receiver(post_migrate)
def grant_administrator_permissions(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from accounts.permissions import Role

    # The roles are created by migration 0002; recreating them here also restores them
    # after a database flush (which runs post_migrate again).
    for role in Role:
        Group.objects.using(using).get_or_create(name=role)
    group = Group.objects.using(using).get(name=Role.ADMINISTRATOR)
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_MANAGED_APPS)
    group.permissions.add(*permissions)
