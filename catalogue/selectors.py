"""Reads of reference data that depend on the day: which rate and which payment policy apply."""

from datetime import date

from django.db.models import QuerySet

from catalogue.models import PaymentPolicy, Rate, RateCard


def rate_in_force(*, card: RateCard, day: date) -> Rate | None:
    """The card's rate on `day`: the latest that had started by then."""
    return card.rates.filter(effective_from__lte=day).order_by("-effective_from").first()


def policy_in_force(*, day: date) -> PaymentPolicy | None:
    return PaymentPolicy.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def active_rate_cards() -> QuerySet[RateCard]:
    return RateCard.objects.filter(is_active=True).prefetch_related("rates")
