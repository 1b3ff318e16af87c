"""Payment claims: what is owed for an attended activity, the person's choice about the fee,
expenses kept apart (never income), receipts, the finance export and payment (F3: people's
experience turns on feeling valued, and paying late, or in a way that harms someone's
benefits, undoes it). Money is Decimal pounds and pence throughout, never float."""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalogue.models import Vehicle
from opportunities.models import Opportunity, SignUp

ZERO = Decimal("0.00")


def receipts_storage() -> FileSystemStorage:
    """Receipts live outside the static and media roots, with no URL of their own: they are
    served only through the permission-checked receipt view (payments.views)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class FeeChoice(models.TextChoices):
    """What the person wants done with the fee (PRODUCT.md, Payment claim)."""

    FULL_FEE = "full_fee", "The full fee"
    REDUCED_FEE = "reduced_fee", "A smaller amount"
    DECLINE = "decline", "No payment, thank you"
    CHARITY = "charity", "Pay it to a charity"
    VOUCHER = "voucher", "A voucher"


# Choices whose money reaches the person, so count as earnings for benefits. A voucher does
# too (vouchers and gift cards count as earnings); expenses never do.
EARNING_CHOICES = frozenset({FeeChoice.FULL_FEE, FeeChoice.REDUCED_FEE, FeeChoice.VOUCHER})


class LimitPeriod(models.TextChoices):
    WEEK = "week", "Each week (Monday to Sunday)"
    MONTH = "month", "Each calendar month"


class PaymentDetails(models.Model):
    """What a person tells us, if they wish, so that we pay them safely: an earnings limit
    (no diagnosis and no benefit details beyond that), and the reference finance pays them
    by. Only the person sees the limit; workers see only that a claim is near it."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_details"
    )
    earnings_limit = models.DecimalField(
        "earnings limit (£)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100000"))],
    )
    limit_period = models.CharField(max_length=10, choices=LimitPeriod.choices, default=LimitPeriod.WEEK)
    payroll_reference = models.CharField(
        "payroll or supplier reference",
        max_length=40,
        blank=True,
        help_text="The reference the finance system pays this person by.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "payment details"
        constraints = [
            models.CheckConstraint(
                condition=Q(earnings_limit__isnull=True) | Q(earnings_limit__gte=0),
                name="earnings_limit_not_negative",
            )
        ]


class Claim(models.Model):
    """One per attended sign-up, opened by a job once the attendance is recorded. States and
    who may move them are in payments/services/states.py."""

    class State(models.TextChoices):
        DRAFT = "draft", "Not sent yet"
        SUBMITTED = "submitted", "Waiting for approval"
        RETURNED = "returned", "Returned to you to change"
        APPROVED = "approved", "Approved"
        EXPORTED = "exported", "With finance"
        PAID = "paid", "Paid"

    signup = models.OneToOneField(SignUp, on_delete=models.PROTECT, related_name="claim")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="claims")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The day of the last session the person attended: the earnings limit, the tax year of
    # mileage and the time to pay all count from it.
    activity_date = models.DateField()
    hours = models.DecimalField("hours recorded", max_digits=6, decimal_places=2, default=ZERO)
    calculated_fee = models.DecimalField(max_digits=8, decimal_places=2, default=ZERO)
    # A worker may change the fee (a longer day, a shorter one), always with a reason.
    adjusted_fee = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    adjustment_reason = models.CharField(max_length=300, blank=True)
    choice = models.CharField(max_length=20, choices=FeeChoice.choices, default=FeeChoice.FULL_FEE)
    reduced_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    charity_name = models.CharField(max_length=120, blank=True)
    # The person chose, knowingly, a fee that takes them past their own earnings limit.
    past_limit_confirmed = models.BooleanField(default=False)
    # What workers see of the limit: only that this claim brings the person near it (or past
    # it), set when the claim is sent; never the figure, never why they have one.
    near_limit = models.BooleanField(default=False)
    # Paid hours this calendar month, with this claim, pass the payment policy's cap (30 in
    # the seeded example): a flag for the approver to look at, set when sent, not a refusal.
    over_hours_cap = models.BooleanField(default=False)
    return_reason = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "ExportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    paid_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-activity_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="claim_hours_not_negative"),
            models.CheckConstraint(condition=Q(calculated_fee__gte=0), name="claim_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(adjusted_fee__isnull=True) | Q(adjusted_fee__gte=0),
                name="claim_adjusted_fee_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reduced_amount__isnull=True) | Q(reduced_amount__gte=0),
                name="claim_reduced_amount_not_negative",
            ),
            # Exported and paid claims belong to exactly one batch; nothing else to any.
            models.CheckConstraint(
                condition=Q(state__in=["exported", "paid"], batch__isnull=False)
                | (~Q(state__in=["exported", "paid"]) & Q(batch__isnull=True)),
                name="claim_batch_only_once_exported",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "activity_date"], name="claim_state_idx"),
            models.Index(fields=["person", "activity_date"], name="claim_person_idx"),
            models.Index(fields=["opportunity", "state"], name="claim_opportunity_idx"),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk} for {self.opportunity}"

    @property
    def can_still_change(self) -> bool:
        """The person may still change it: not sent yet, or returned to them."""
        return self.state in EDITABLE_STATES

    @property
    def is_returned(self) -> bool:
        return self.state == self.State.RETURNED

    @property
    def fee(self) -> Decimal:
        """The fee owed for the activity, before the person's choice."""
        return self.adjusted_fee if self.adjusted_fee is not None else self.calculated_fee

    @property
    def fee_payable(self) -> Decimal:
        """What is paid out as a fee: to the person, as a voucher, or to their charity."""
        if self.choice == FeeChoice.DECLINE:
            return ZERO
        if self.choice == FeeChoice.REDUCED_FEE:
            return min(self.reduced_amount or ZERO, self.fee)
        return self.fee

    @property
    def earnings(self) -> Decimal:
        """What counts as the person's earnings for their benefits: never expenses."""
        return self.fee_payable if self.choice in EARNING_CHOICES else ZERO


# States in which the person may still change their claim (the services and rules use these).
EDITABLE_STATES = frozenset({Claim.State.DRAFT, Claim.State.RETURNED})


class ClaimEvent(models.Model):
    """The history of a claim: every change of state, who made it, when and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class ExpenseKind(models.TextChoices):
    MILEAGE = "mileage", "Mileage"
    PUBLIC_TRANSPORT = "public_transport", "Bus, train or tram fares"
    PARKING = "parking", "Parking"
    MEAL = "meal", "Meals"
    CARE_COVER = "care_cover", "Care cover (for someone you look after)"


class ExpenseLine(models.Model):
    """An expense on a claim, repaid at cost: never a fee, never earnings. Mileage is worked
    out from the miles with the rates copied from the payment policy in force on the day."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(max_length=20, choices=ExpenseKind.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField("amount (£)", max_digits=8, decimal_places=2)
    miles = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    vehicle = models.CharField(max_length=20, choices=Vehicle.choices, blank=True)
    passengers = models.PositiveSmallIntegerField(default=0)
    # How the mileage was worked out, kept so the figure can be explained later.
    mileage_workings = models.CharField(max_length=300, blank=True)
    receipt = models.FileField(upload_to="receipts/%Y/%m/", storage=receipts_storage, blank=True)
    receipt_content_type = models.CharField(max_length=50, blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_amount_not_negative"),
            models.CheckConstraint(condition=~Q(kind="mileage") | Q(miles__gt=0), name="mileage_has_miles"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.amount}"


class ExportBatch(models.Model):
    """Approved claims handed to finance together. Made once; downloading it again gives the
    same file, and a claim belongs to one batch at most, so nothing is paid twice."""

    reference = models.CharField(max_length=30, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claim_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "export batches"

    def __str__(self) -> str:
        return self.reference
