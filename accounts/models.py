"""People: the user, their profile, and the access log of special-category reads."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who can log in. E-mail is the log-in; there are no usernames.

    What a person may do comes from their roles (Django groups), checked in
    accounts/permissions.py. `is_staff` only opens the Django admin and is kept in step
    with the Administrator role by the role services.
    """

    username = None
    # Empty (NULL) for a person a worker registered who has no e-mail address (assisted
    # digital, docs/adr/0013-assisted-digital.md): they cannot log in, and their messages
    # become texts or tasks for their worker. Unique when present; PostgreSQL lets NULLs be.
    email = models.EmailField("e-mail address", unique=True, null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    # Not a field: the person's role names, read once per request (accounts.permissions).
    _role_names: frozenset[str]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or f"Person {self.pk}"

    @property
    def has_email(self) -> bool:
        return bool(self.email)

    def clean(self) -> None:
        super().clean()
        # Django's clean() turns a missing address into "", which the unique index would
        # then allow only once: no address stays NULL (a form in the admin runs clean()).
        if not self.email:
            self.email = None


class ContactMethod(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"


class DigestFrequency(models.TextChoices):
    """How often a person wants the digest. Stored on their profile; the outbox reads it."""

    WEEKLY = "weekly", "Every week (Monday morning)"
    MONTHLY = "monthly", "Every month"
    NEVER = "never", "Never"


class PaymentPreference(models.TextChoices):
    """The default choice for what happens to a fee; a person can change it per activity."""

    FULL_FEE = "full_fee", "Full fee"
    REDUCED_FEE = "reduced_fee", "A reduced fee"
    DECLINE = "decline", "No payment, thank you"
    CHARITY = "charity", "Paid to a charity"
    VOUCHER = "voucher", "A voucher (still counts as earnings)"


class Profile(models.Model):
    """Everything a representative tells us about themselves, one per person.

    `support_needs` and `what_helps_me` are special-category data: shown only to the
    person, their named worker and the lead workers of opportunities they signed up to,
    and every read by staff is written to the access log.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(
        "what should we call you?",
        max_length=80,
        blank=True,
        help_text="The name staff and other people will see. It can be a first name or a nickname.",
    )
    pronouns = models.CharField(
        "pronouns (optional)",
        max_length=40,
        blank=True,
        help_text="For example, she/her, he/him or they/them.",
    )
    phone = models.CharField(
        "phone number (optional)",
        max_length=30,
        blank=True,
        help_text="Only if you would like us to call or text you.",
    )
    contact_method = models.CharField(
        "how should we contact you?",
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    contact_notes = models.CharField(
        "anything else about contacting you (optional)",
        max_length=200,
        blank=True,
        help_text="For example, the best times to call, or times to avoid.",
    )
    interests = models.ManyToManyField(
        "catalogue.ActivityType",
        blank=True,
        related_name="interested_profiles",
        verbose_name="what would you like to get involved in?",
    )
    support_needs = models.TextField(
        "support needs (optional)",
        blank=True,
        max_length=2000,
        help_text="Anything that would help you take part, such as access needs, breaks or a quiet room.",
    )
    what_helps_me = models.TextField(
        "what helps me if things get difficult (optional)",
        blank=True,
        max_length=2000,
        help_text="For example, who to contact, or what you would like staff to do or not do.",
    )
    # Not the support note: words the person chose to share with the lead worker of each
    # activity they join, printed on that worker's register for the day (issue 13). Writing
    # them is the consent, and the profile page says so beside the box; every staff reading
    # is access-logged like the support note.
    access_needs_shared = models.TextField(
        "access needs to share with the lead worker (optional)",
        blank=True,
        max_length=1000,
        help_text=(
            "For example, step-free access, a hearing loop, large print, or a seat near the door. "
            "We share this with the worker leading each activity you join, on their register for "
            "the day. Leave it empty to share nothing."
        ),
    )
    payment_preference = models.CharField(
        "how would you like to be paid?",
        max_length=20,
        choices=PaymentPreference.choices,
        default=PaymentPreference.FULL_FEE,
    )
    named_worker = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
        verbose_name="named involvement worker",
    )
    taking_break = models.BooleanField(
        "I am taking a break",
        default=False,
        help_text="We will pause invitations and digests. It is never held against you.",
    )
    break_until = models.DateField(
        "return date (optional)",
        null=True,
        blank=True,
        help_text="Leave this empty if you do not know yet.",
    )
    pace_per_month = models.PositiveSmallIntegerField(
        "at most this many activities a month (optional)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="We will warn you, not stop you, if you sign up for more.",
    )
    # Message preferences: the kinds this person does not want by e-mail (the inbox still
    # gets them), and how often the digest comes. The kinds are notifications' (its
    # `Kind` values), kept here as plain strings: notifications decides which a person may
    # turn off and offers only those (notifications.selectors.email_kind_choices).
    email_muted_kinds = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    digest_frequency = models.CharField(
        "how often would you like a digest?",
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
        help_text="What changed because of activities you took part in, new opportunities and your sessions.",
    )
    # Text messages (notifications' text channel): the mobile number texts go to, set only
    # once the person has typed back the code sent to it (accounts.services.phone_confirm),
    # so it always holds a confirmed number; in E.164. `phone` above is for calls and may be
    # a landline. `text_kinds` are the kinds this person wants by text (notifications'
    # `Kind` values, as plain strings, offered by notifications.selectors.text_kind_choices).
    mobile_number = models.CharField("mobile number for texts", max_length=16, blank=True)
    mobile_confirmed_at = models.DateTimeField(null=True, blank=True)
    text_kinds = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # The secret in the private calendar-feed address; the person can reset it.
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    privacy_consent_version = models.CharField(max_length=20, blank=True)
    privacy_consent_at = models.DateTimeField(null=True, blank=True)
    # Assisted digital (docs/adr/0013-assisted-digital.md): the worker who registered a
    # person without an e-mail address, having read them the privacy notice (its version is
    # `privacy_consent_version`) and heard their consent; empty for people who registered
    # themselves. Their address is for letters, when they have no phone.
    registered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    postal_address = models.TextField("postal address", max_length=300, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # What the people list searches: the names, e-mail and phone numbers (also as bare
    # national digits) in lower case, in one column with a trigram index, so that a search
    # is one indexed LIKE a word rather than a scan of six columns over two tables. Written
    # only by the database (triggers on this table and on the user's names and e-mail,
    # migration 0014), so nothing can save it stale; never shown.
    search_text = models.TextField(default="", editable=False)
    # The list's order, kept the same way: the name it shows (display name, else e-mail) in
    # lower case, indexed with the user's id so a page is read in order, not sorted.
    sort_name = models.TextField(default="", editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["named_worker"]),
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="profile_search_trgm"),
            models.Index(fields=["sort_name", "user"], name="profile_sort_name"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def is_on_break(self, today: date | None = None) -> bool:
        """Taking a break, and the chosen return date (if any) has not passed."""
        if not self.taking_break:
            return False
        today = today or timezone.localdate()
        return self.break_until is None or self.break_until >= today

    @property
    def has_support_note(self) -> bool:
        return bool(self.support_needs or self.what_helps_me)


class PhoneConfirmation(models.Model):
    """A code sent by text to a mobile number the person gave, to prove it is theirs before
    any other text goes to it. Only a keyed hash of the code is kept; it expires, and a
    few wrong tries end it (accounts.services.phone_confirmation_start, phone_confirm)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_confirmations")
    number = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"Code for {self.user} sent {self.created_at:%Y-%m-%d %H:%M}"


class AccessLogEntry(models.Model):
    """One read of a person's special-category data by a member of staff, or one of the
    other events the Data Security and Protection Toolkit asks us to review: a read refused,
    an export, a change of role, a log-in as staff (docs/adr/0018-access-log-review.md).

    Append-only: written by explicit calls in the views that show such data, read-only in
    the admin, and the database itself refuses UPDATE and DELETE (see migration 0003).
    People are kept with PROTECT, so erasure anonymises a person rather than deleting them.
    `detail` names what was touched (a page's name, a table, a role), never what it holds.
    """

    class What(models.TextChoices):
        SUPPORT_NOTE = "support_note", "Support note"
        CHECK_IN = "check_in", "Check-in"
        # Not a read: the one change staff may make to another person's log-in, kept here
        # with the reads because it is evidence of the same kind.
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset"
        # The access needs people shared with the lead worker, read on a session's register.
        ACCESS_NEEDS = "access_needs", "Access needs shared for the day"
        # A protected page refused (403 or 404) to someone logged in: who tried what.
        DENIED = "denied", "Protected page refused"
        # A CSV downloaded or a register printed: data leaving the service.
        EXPORT = "export", "Export"
        ROLE_CHANGE = "role_change", "Role changed"
        STAFF_LOGIN = "staff_login", "Log-in as staff"
        # A person's data erased, by the administrator who confirmed it (issue 16).
        ERASURE = "erasure", "Person erased"

    # Null only for a change nobody logged in made (a role given by a management command).
    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # Null when no one person is concerned: an export of aggregates, a page of many.
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    what = models.CharField(max_length=20, choices=What.choices)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            models.Index(fields=["subject", "-created_at"]),
            models.Index(fields=["viewer", "-created_at"], name="accesslog_viewer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_what_display()}: {self.viewer or 'the system'} → {self.subject or '-'}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"


class ContactLogEntry(models.Model):
    """One contact between a worker and a person: when, how, and a short summary.

    Read by the person's named worker and the lead workers their sign-ups open them to
    (`accounts.view_person`), and by the worker who wrote it; never by managers
    (accounts.permissions). It is not a place for special-category detail, and the form says
    so, which is why its reads are not access-logged like support notes and check-ins.
    """

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="contact_log")
    contacted_on = models.DateField("date of contact")
    channel = models.CharField("how", max_length=10, choices=ContactChannel.choices)
    summary = models.CharField("summary", max_length=500)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-contacted_on", "-created_at", "-pk"]
        verbose_name = "contact log entry"
        verbose_name_plural = "contact log"
        indexes = [models.Index(fields=["person", "-contacted_on"], name="contactlog_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} with {self.person} on {self.contacted_on}"


class NamedWorkerChange(models.Model):
    """A change of a person's named worker: who it was, who it is now, who changed it and
    when (accounts.caseload.named_worker_assign). Kept as history; never edited."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="named_worker_changes")
    previous_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="namedworker_person_idx")]

    def __str__(self) -> str:
        return f"{self.person}: named worker now {self.new_worker}"


# Kept in a module of its own (special-category data, never on the profile's forms); imported
# here so that Django finds the model.
from accounts.equality import EqualityMonitoring  # noqa: E402, F401
