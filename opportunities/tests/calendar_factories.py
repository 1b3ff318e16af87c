"""Opportunities, sessions and sign-ups for the calendar tests."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import ActivityType, InvolvementLevel, Team
from opportunities.models import Format, Opportunity, Session, SignUp


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    name = factory.Sequence(lambda n: f"Interview panel {n}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Interview panel for a ward manager {n}")
    summary = "Help us choose a new ward manager. No experience needed."
    description = "You will read applications with us and ask questions at interview."
    activity_type = factory.SubFactory(ActivityTypeFactory)
    involvement_level = InvolvementLevel.CONSULTING
    team = factory.SubFactory(TeamFactory)
    format = Format.IN_PERSON
    accessibility = "Step-free access and a quiet room."
    places = 5
    signup_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    lead_worker = factory.LazyFunction(lambda: person(roles=[Role.WORKER]))
    status = Opportunity.Status.PUBLISHED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(hours=2))
    area = "Central Leeds"
    location = "Room 4, Trust Headquarters, 1 Example Street, Leeds LS1 1AA"
    joining_link = ""


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    opportunity = factory.SubFactory(OpportunityFactory)
    person = factory.LazyFunction(lambda: person(roles=[Role.REPRESENTATIVE]))
    state = SignUp.State.CONFIRMED
