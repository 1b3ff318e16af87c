"""Opportunities for tests, published with one future session unless told otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person

# The reference data's factories live with it in catalogue; imported here too so that
# opportunity tests find every factory they use in one place.
from catalogue.models import InvolvementLevel
from catalogue.tests.factories import ActivityTypeFactory, TeamFactory
from opportunities.models import Opportunity, Session

__all__ = ["ActivityTypeFactory", "OpportunityFactory", "TeamFactory"]


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Interview panel {n}")
    summary = "Help us choose a new ward manager."
    description = "You will sit on the panel with two members of staff."
    activity_type = factory.SubFactory(ActivityTypeFactory)
    involvement_level = InvolvementLevel.CONSULTING
    team = factory.SubFactory(TeamFactory)
    format = "in_person"
    accessibility = "Step-free access. Breaks every hour."
    is_paid = True
    payment = "£25 an hour"
    places = 3
    selection_method = "first_come"
    signup_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    lead_worker = factory.LazyFunction(lambda: person(roles=[Role.WORKER]))
    status = Opportunity.Status.PUBLISHED

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        """`sessions=[(start, end), ...]`; by default one session ten days ahead."""
        if not create:
            return
        spans = extracted or [
            (timezone.now() + timedelta(days=10), timezone.now() + timedelta(days=10, hours=2))
        ]
        for start, end in spans:
            Session.objects.create(
                opportunity=self,
                starts_at=start,
                ends_at=end,
                area="Central Leeds",
                location="1 Park Row, Leeds",
                joining_link="",
            )
        self.starts_at = min(start for start, _ in spans)
        self.ends_at = max(end for _, end in spans)
        self.save()
