"""Claims for tests: an opportunity that has happened, the person's attendance, the claim."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from catalogue.models import Rate, RateCard, RateUnit
from opportunities.models import Attendance, Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory
from payments.models import Claim
from payments.services import claim_open


def rate_card(
    *,
    name: str = "Test rate",
    unit: str = RateUnit.HOUR,
    amount: str = "11.50",
    block_hours: str | None = None,
    preparation_hours: str = "0",
    effective_from=None,
) -> RateCard:
    card, _ = RateCard.objects.get_or_create(name=name)
    Rate.objects.update_or_create(
        card=card,
        effective_from=effective_from or timezone.localdate() - timedelta(days=365),
        defaults={
            "unit": unit,
            "amount": Decimal(amount),
            "block_hours": Decimal(block_hours) if block_hours else None,
            "preparation_hours": Decimal(preparation_hours),
        },
    )
    return card


def held_opportunity(
    *, starts_at: datetime | None = None, hours: float = 2, card: RateCard | None = None, **fields
) -> Opportunity:
    """A paid opportunity whose one session has happened, with its rate promised (copied as
    publishing copies it)."""
    starts_at = starts_at or timezone.now() - timedelta(days=2)
    card = card or rate_card()
    rate = card.rates.order_by("-effective_from").first()
    promised = {
        "rate_card": card,
        "fee_rate_name": card.name,
        "fee_unit": rate.unit,
        "fee_amount": rate.amount,
        "fee_block_hours": rate.block_hours,
        "fee_preparation_hours": rate.preparation_hours,
        "fee_rate_from": rate.effective_from,
    }
    return OpportunityFactory(
        sessions=[(starts_at, starts_at + timedelta(hours=hours))],
        signup_deadline=starts_at - timedelta(days=1),
        status=Opportunity.Status.COMPLETED,
        **(promised | fields),
    )


def attended_claim(*, person: User, opportunity: Opportunity | None = None, **opportunity_fields) -> Claim:
    """The person attended every session of the opportunity, and their claim is open."""
    opportunity = opportunity or held_opportunity(**opportunity_fields)
    signup = SignUp.objects.create(
        opportunity=opportunity,
        person=person,
        state=SignUp.State.ATTENDED,
        place_number=_next_place(opportunity),
    )
    for session in opportunity.sessions.all():
        Attendance.objects.create(signup=signup, session=session, attended=True)
    opportunity.places_taken = opportunity.signups.filter(place_number__isnull=False).count()
    opportunity.save(update_fields=["places_taken"])
    claim = claim_open(signup=signup)
    assert claim is not None
    return claim


def _next_place(opportunity: Opportunity) -> int:
    taken = set(opportunity.signups.exclude(place_number=None).values_list("place_number", flat=True))
    return min(set(range(1, opportunity.places + 1)) - taken)
