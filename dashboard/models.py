"""What the Trust aims for: the targets the dashboard's answers compare each figure with.
One row, kept by an administrator in the Django admin. The day limits themselves (an outcome
within OUTCOME_DUE_DAYS, a follow-up within FOLLOW_UP_TARGET_WORKING_DAYS, payment within
PAYMENT_TARGET_DAYS) are settings the rest of the service works to; these are the shares."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.equality import CHARACTERISTICS

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
CHOICES = {field: choices.choices for field, _, choices in CHARACTERISTICS}


class Targets(models.Model):
    top_decile_share_max = models.PositiveSmallIntegerField(
        "share of places taken by the 10% most involved: under (%)",
        default=30,
        validators=PERCENT,
        help_text="Lower is fairer. 10 would mean the most involved took no more than their share.",
    )
    first_timers_min = models.PositiveIntegerField(
        "first-time participants per period: at least",
        null=True,
        blank=True,
        help_text="Leave empty for no target.",
    )
    outcome_on_time_min = models.PositiveSmallIntegerField(
        "outcomes fed back on time: at least (%)", default=90, validators=PERCENT
    )
    felt_valued_min = models.DecimalField(
        "mean answer to 'did you feel valued?' (1 to 5): at least",
        max_digits=3,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    follow_up_on_time_min = models.PositiveSmallIntegerField(
        "follow-ups picked up on time: at least (%)", default=90, validators=PERCENT
    )
    paid_on_time_min = models.PositiveSmallIntegerField(
        "claims paid on time: at least (%)", default=90, validators=PERCENT
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dashboard targets"
        verbose_name_plural = "dashboard targets"

    def __str__(self) -> str:
        return "Dashboard targets"

    @classmethod
    def current(cls) -> "Targets":
        """The one row, made with the defaults the first time it is asked for."""
        targets, _ = cls.objects.get_or_create(pk=1)
        return targets


class PopulationShare(models.Model):
    """The share of the population the Trust serves in one category of one equality
    characteristic (for example, from the census for its area), entered by an administrator
    so the dashboard can set who takes part beside who the Trust is for."""

    characteristic = models.CharField(
        max_length=30, choices=[(field, label) for field, label, _ in CHARACTERISTICS]
    )
    category = models.CharField(
        max_length=5, help_text="The category's code, as on the profile: for example 'A' for White: British."
    )
    share = models.DecimalField(
        "share of the population (%)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="For example, Census 2021, the Trust's area."
    )

    class Meta:
        ordering = ["characteristic", "category"]
        constraints = [
            models.UniqueConstraint(fields=["characteristic", "category"], name="one_share_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.get_characteristic_display()}: {self.category_label}"

    @property
    def category_label(self) -> str:
        return dict(CHOICES.get(self.characteristic, {})).get(self.category, self.category)

    def clean(self) -> None:
        if self.characteristic in CHOICES and self.category not in dict(CHOICES[self.characteristic]):
            codes = ", ".join(f"{code} ({label})" for code, label in CHOICES[self.characteristic])
            raise ValidationError({"category": f"Enter one of this characteristic's codes: {codes}"})
