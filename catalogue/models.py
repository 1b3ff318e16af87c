"""Reference data every other app reads and administrators keep: teams, activity types, the
involvement ladder, what involvement is paid (rate cards and the payment policy), and the
training courses an opportunity may require. At the bottom of the apps: it imports none of them.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

PENNY = Decimal("0.01")


def to_pence(amount: Decimal) -> Decimal:
    """Pounds rounded to the penny, half up, as finance systems and people expect."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


class InvolvementLevel(models.TextChoices):
    """The upper rungs of the Think Local Act Personal ladder of co-production."""

    INFORMING = "informing", "Informing"
    CONSULTING = "consulting", "Consulting"
    ENGAGING = "engaging", "Engaging"
    CO_DESIGNING = "co-designing", "Co-designing"
    CO_PRODUCING = "co-producing", "Co-producing"


# One line each, shown beside the level wherever it appears, so nobody is promised more
# influence than an activity gives.
INVOLVEMENT_LEVEL_MEANINGS = {
    InvolvementLevel.INFORMING: "We tell you about a decision and why it was made.",
    InvolvementLevel.CONSULTING: "We ask for your views before we decide.",
    InvolvementLevel.ENGAGING: "You help shape the work as it goes, and we report back what changed.",
    InvolvementLevel.CO_DESIGNING: "You design the service or change with staff.",
    InvolvementLevel.CO_PRODUCING: "You share power and decisions with staff from start to finish.",
}


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    is_active = models.BooleanField(default=True, help_text="Inactive teams are hidden from new choices.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActivityType(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, max_length=2000, help_text="Plain English: what taking part involves."
    )
    default_involvement_level = models.CharField(
        max_length=20, choices=InvolvementLevel.choices, default=InvolvementLevel.CONSULTING
    )
    is_active = models.BooleanField(default=True, help_text="Inactive types are hidden from new choices.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def default_involvement_level_meaning(self) -> str:
        return INVOLVEMENT_LEVEL_MEANINGS[InvolvementLevel(self.default_involvement_level)]


class Course(models.Model):
    """Training the Trust offers representatives ("Recruitment panel training"), which an
    opportunity may require. A completion lasts `valid_for_months`, or for ever if blank."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, max_length=2000, help_text="Plain English: what the course covers."
    )
    valid_for_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="How long the training counts for, in months. Leave blank if it never expires.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive courses are hidden from new choices.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RateCard(models.Model):
    """A named way of paying for involvement ("Standard", "Enhanced: chairing or training"),
    chosen per opportunity. What it pays changes over time (NIHR's rates rose 10% from 16
    December 2025), so the amounts are dated rows (`Rate`); an opportunity copies the one in
    force when it is published, and a later rate never changes what was promised."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, max_length=2000, help_text="Plain English: when this rate applies."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive rate cards are hidden from new choices."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RateUnit(models.TextChoices):
    HOUR = "hour", "Per hour"
    BLOCK = "block", "Per block of hours (for example a half day)"
    FIXED = "fixed", "A fixed fee for the activity"


class Rate(models.Model):
    """What a rate card pays from a date. A change is a new row with a later date: rows that
    an opportunity has copied stay as they were, so the record of what was promised holds."""

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField(help_text="The first day this rate applies.")
    unit = models.CharField(max_length=10, choices=RateUnit.choices, default=RateUnit.HOUR)
    amount = models.DecimalField(
        "amount (£)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))],
    )
    block_hours = models.DecimalField(
        "hours in a block",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For a block rate: the most hours one block pays for, for example 3 or 3.5.",
    )
    preparation_hours = models.DecimalField(
        "preparation hours added",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Hours of preparation paid on top of the time recorded: 0 when the rate includes it.",
    )

    class Meta:
        ordering = ["card", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["card", "effective_from"], name="one_rate_per_card_per_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_amount_positive"),
            models.CheckConstraint(
                condition=~Q(unit="block") | Q(block_hours__gt=0), name="block_rate_has_hours"
            ),
            models.CheckConstraint(
                condition=Q(preparation_hours__gte=0), name="rate_preparation_not_negative"
            ),
        ]

    def __str__(self) -> str:
        rate = describe_rate(self.unit, self.amount, self.block_hours, self.preparation_hours)
        return f"{self.card}: {rate} from {self.effective_from:%d %B %Y}"


def describe_rate(unit: str, amount: Decimal, block_hours: Decimal | None, preparation_hours: Decimal) -> str:
    """How a rate reads on a page: "£11.50 an hour, plus 1 hour of preparation"."""
    pounds = f"£{to_pence(amount):,.2f}"
    if unit == RateUnit.HOUR:
        text = f"{pounds} an hour"
    elif unit == RateUnit.BLOCK:
        text = f"{pounds} for each block of up to {_hours(block_hours or Decimal(0))}"
    else:
        text = f"{pounds} for the activity"
    if preparation_hours > 0:
        text += f", plus {_hours(preparation_hours)} of preparation"
    elif unit != RateUnit.FIXED:
        text += ", preparation included"
    return text


def _hours(hours: Decimal) -> str:
    number = f"{hours.normalize():f}"
    return f"{number} hour" if hours == 1 else f"{number} hours"


class Vehicle(models.TextChoices):
    CAR = "car", "Car or van"
    MOTORCYCLE = "motorcycle", "Motorcycle"
    BICYCLE = "bicycle", "Bicycle"


class PaymentPolicy(models.Model):
    """The Trust's rules for expenses and paid time, dated like rates: HMRC's mileage rates
    (45p a mile for a car's first 10,000 business miles in a tax year, then 25p; 24p for a
    motorcycle, 20p for a bicycle, 5p per passenger), the most paid for a meal, and the cap on
    paid hours a month. The row in force on the day of an activity applies to its claim."""

    effective_from = models.DateField(unique=True)
    car_rate = models.DecimalField("car: per mile (£)", max_digits=5, decimal_places=2)
    car_rate_after_step = models.DecimalField(
        "car: per mile after the step (£)", max_digits=5, decimal_places=2
    )
    car_step_miles = models.PositiveIntegerField("car: miles in a tax year at the first rate", default=10000)
    motorcycle_rate = models.DecimalField("motorcycle: per mile (£)", max_digits=5, decimal_places=2)
    bicycle_rate = models.DecimalField("bicycle: per mile (£)", max_digits=5, decimal_places=2)
    passenger_rate = models.DecimalField("per passenger per mile (£)", max_digits=5, decimal_places=2)
    meal_limit = models.DecimalField("most paid for meals on one day (£)", max_digits=6, decimal_places=2)
    monthly_paid_hours_cap = models.PositiveSmallIntegerField(
        "most paid hours in a calendar month", null=True, blank=True
    )

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "payment policies"

    def __str__(self) -> str:
        return f"Payment policy from {self.effective_from:%d %B %Y}"


def tax_year_start(day: date) -> date:
    """The first day of the UK tax year holding `day` (tax years run 6 April to 5 April)."""
    start = date(day.year, 4, 6)
    return start if day >= start else date(day.year - 1, 4, 6)
