"""Reference data for tests."""

import factory

from catalogue.models import ActivityType, Team


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Activity type {n}")
