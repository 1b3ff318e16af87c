"""The people a benchmark makes for itself: one per name, kept between runs. Import it after
`django.setup()`, as the benchmarks import every model."""

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Profile, User
from accounts.permissions import Role


def someone(prefix: str, name: str, role: Role) -> User:
    """`<prefix>-<name>@example.org` with `role`, onboarded, its display name `name` in title case."""
    user, created = User.objects.get_or_create(email=f"{prefix}-{name}@example.org")
    if created:
        user.groups.add(Group.objects.get(name=role))
        Profile.objects.create(user=user, display_name=name.title(), onboarded_at=timezone.now())
    return user
