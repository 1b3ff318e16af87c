"""Equality monitoring (issue 17, finding F4, "beyond the usual suspects"): optional answers a
person gives so the Trust can see whether involvement reaches everyone it serves.

Special-category data (UK GDPR article 9). Every answer is optional and "Prefer not to say" is
always offered. Nobody's answers are shown to staff one by one: the dashboard counts them
only in aggregate, with the small-number rule. Never logged, never e-mailed, kept apart from
the profile so that no form, list or admin page about a person picks them up by accident.

The categories are the NHS Data Dictionary's (ethnic category, sexual orientation, gender
identity same at birth); the age bands are the ones the Trust reports its population in.
"""

from django.conf import settings
from django.db import models

NOT_SAID = "Z"  # the NHS Data Dictionary's "not stated: asked, and declined to answer"


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", "Under 18"
    FROM_18 = "18-24", "18 to 24"
    FROM_25 = "25-34", "25 to 34"
    FROM_35 = "35-44", "35 to 44"
    FROM_45 = "45-54", "45 to 54"
    FROM_55 = "55-64", "55 to 64"
    FROM_65 = "65-74", "65 to 74"
    FROM_75 = "75+", "75 or over"
    NOT_SAID = "Z", "Prefer not to say"


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary, ETHNIC CATEGORY (2001 census categories)."""

    A = "A", "White: British"
    B = "B", "White: Irish"
    C = "C", "White: any other White background"
    D = "D", "Mixed: White and Black Caribbean"
    E = "E", "Mixed: White and Black African"
    F = "F", "Mixed: White and Asian"
    G = "G", "Mixed: any other mixed background"
    H = "H", "Asian or Asian British: Indian"
    J = "J", "Asian or Asian British: Pakistani"
    K = "K", "Asian or Asian British: Bangladeshi"
    L = "L", "Asian or Asian British: any other Asian background"
    M = "M", "Black or Black British: Caribbean"
    N = "N", "Black or Black British: African"
    P = "P", "Black or Black British: any other Black background"
    R = "R", "Other ethnic groups: Chinese"
    S = "S", "Other ethnic groups: any other ethnic group"
    NOT_SAID = "Z", "Prefer not to say"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    NOT_SAID = "Z", "Prefer not to say"


class YesNo(models.TextChoices):
    YES = "Y", "Yes"
    NO = "N", "No"
    NOT_SAID = "Z", "Prefer not to say"


class SexualOrientation(models.TextChoices):
    """NHS Data Dictionary, SEXUAL ORIENTATION CODE (2015)."""

    STRAIGHT = "1", "Heterosexual or straight"
    GAY = "2", "Gay or lesbian"
    BISEXUAL = "3", "Bisexual"
    OTHER = "4", "Another sexual orientation"
    UNSURE = "U", "Not sure"
    NOT_SAID = "Z", "Prefer not to say"


class EqualityMonitoring(models.Model):
    """One person's answers; a field left empty was not answered."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="equality_monitoring"
    )
    age_band = models.CharField("your age", max_length=5, choices=AgeBand.choices, blank=True)
    ethnic_category = models.CharField(
        "your ethnic group", max_length=1, choices=EthnicCategory.choices, blank=True
    )
    sex = models.CharField("your sex", max_length=1, choices=Sex.choices, blank=True)
    gender_same_as_at_birth = models.CharField(
        "is your gender identity the same as the sex you were registered at birth?",
        max_length=1,
        choices=YesNo.choices,
        blank=True,
    )
    disability = models.CharField(
        "do you consider yourself to have a disability or long-term health condition?",
        max_length=1,
        choices=YesNo.choices,
        blank=True,
        help_text=(
            "The Equality Act 2010 counts a condition with a substantial, long-term effect on daily life."
        ),
    )
    sexual_orientation = models.CharField(
        "your sexual orientation", max_length=1, choices=SexualOrientation.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "equality monitoring answers"
        verbose_name_plural = "equality monitoring answers"

    def __str__(self) -> str:
        # Never the answers: this can reach a log line or an admin message.
        return f"Equality monitoring answers #{self.pk}"


# The characteristics in the order the form and the dashboard show them.
CHARACTERISTICS: list[tuple[str, str, type[models.TextChoices]]] = [
    ("age_band", "Age", AgeBand),
    ("ethnic_category", "Ethnic group", EthnicCategory),
    ("sex", "Sex", Sex),
    ("gender_same_as_at_birth", "Gender identity the same as the sex registered at birth", YesNo),
    ("disability", "Disability or long-term health condition", YesNo),
    ("sexual_orientation", "Sexual orientation", SexualOrientation),
]
