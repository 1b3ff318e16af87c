"""The people and opportunities a benchmark makes for itself. Import it after `django.setup()`,
as the benchmarks import every model."""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Profile, User
from accounts.permissions import Role
from opportunities.models import ActivityType, Format, Opportunity, SelectionMethod, Team
from opportunities.services import SessionData, opportunity_publish, opportunity_save


def someone(prefix: str, name: str, role: Role) -> User:
    """`<prefix>-<name>@example.org` with `role`, onboarded, its display name `name` in title case."""
    user, created = User.objects.get_or_create(email=f"{prefix}-{name}@example.org")
    if created:
        user.groups.add(Group.objects.get(name=role))
        Profile.objects.create(user=user, display_name=name.title(), onboarded_at=timezone.now())
    return user


def first_come_opportunity(*, title: str, description: str, places: int) -> Opportunity:
    """A fresh first-come opportunity with `places` places and one session a week away, open
    for sign-ups, made and published by the demo's worker through the services."""
    worker = User.objects.get(email="worker@example.org")
    now = timezone.now()
    opportunity = Opportunity(
        title=title,
        summary="Sit on the interview panel that chooses a new ward manager.",
        description=description,
        activity_type=ActivityType.objects.get(name="Interview panel"),
        involvement_level="consulting",
        team=Team.objects.order_by("pk").first(),
        format=Format.ONLINE,
        accessibility="On Microsoft Teams with live captions.",
        is_paid=True,
        payment="£25 an hour.",
        places=places,
        selection_method=SelectionMethod.FIRST_COME,
        signup_deadline=now + timedelta(days=3),
        lead_worker=worker,
    )
    starts = (now + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    sessions = [SessionData(starts_at=starts, ends_at=starts + timedelta(hours=2), area="Online")]
    opportunity = opportunity_save(opportunity=opportunity, sessions=sessions, by=worker)
    opportunity_publish(opportunity=opportunity, by=worker)
    return opportunity
