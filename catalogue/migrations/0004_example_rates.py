"""Examples an administrator replaces (issue 12): HMRC's mileage rates, which are facts, and
a Trust's published rate cards, which are ours to change. Rates are dated, so replacing one
means adding a row with a later date."""

from datetime import date
from decimal import Decimal

from django.db import migrations

CARDS = [
    ("Standard", "Most involvement: meetings, groups, reading and commenting.", "hour", "11.50", None),
    ("Enhanced: chairing or training", "Chairing a meeting, co-delivering training, or sitting on an interview panel.", "hour", "15.00", None),
    ("Short activity", "A short piece of work, paid per block of up to 3 hours.", "block", "20.00", "3"),
]


def add_examples(apps, schema_editor):
    RateCard = apps.get_model("catalogue", "RateCard")
    Rate = apps.get_model("catalogue", "Rate")
    PaymentPolicy = apps.get_model("catalogue", "PaymentPolicy")
    for name, description, unit, amount, block_hours in CARDS:
        card, created = RateCard.objects.get_or_create(name=name, defaults={"description": description})
        if created:
            Rate.objects.create(
                card=card,
                effective_from=date(2025, 4, 1),
                unit=unit,
                amount=Decimal(amount),
                block_hours=Decimal(block_hours) if block_hours else None,
            )
    PaymentPolicy.objects.get_or_create(
        effective_from=date(2011, 4, 6),
        defaults={
            "car_rate": Decimal("0.45"),
            "car_rate_after_step": Decimal("0.25"),
            "car_step_miles": 10000,
            "motorcycle_rate": Decimal("0.24"),
            "bicycle_rate": Decimal("0.20"),
            "passenger_rate": Decimal("0.05"),
            "meal_limit": Decimal("10.00"),
            "monthly_paid_hours_cap": 30,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_rate_cards_and_payment_policy")]

    operations = [migrations.RunPython(add_examples, migrations.RunPython.noop)]
