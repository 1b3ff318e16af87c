"""The charter's sections: fixed in code, so every version has the same ones in the same
order, and a proposal changes the wording of one, never the shape of the charter.

The involvement levels have a section each (`level-<value>` of catalogue's
InvolvementLevel), so that each opportunity can link to the explanation of its own level
and each explanation can be proposed, co-signed and published like any other section."""

from django.db import models

from catalogue.models import InvolvementLevel

LEVEL_PREFIX = "level-"


class SectionKey(models.TextChoices):
    MEANING = "meaning", "What involvement means here"
    FROM_US = "from-us", "What you can expect from us"
    FROM_YOU = "from-you", "What we ask of you"
    PAYMENT = "payment", "Payment and recognition"
    WELLBEING = "wellbeing", "Wellbeing and support"
    CONCERN = "concern", "How to raise a concern"
    LEVELS = "levels", "How much say you have"
    LEVEL_INFORMING = LEVEL_PREFIX + InvolvementLevel.INFORMING, "Informing"
    LEVEL_CONSULTING = LEVEL_PREFIX + InvolvementLevel.CONSULTING, "Consulting"
    LEVEL_ENGAGING = LEVEL_PREFIX + InvolvementLevel.ENGAGING, "Engaging"
    LEVEL_CO_DESIGNING = LEVEL_PREFIX + InvolvementLevel.CO_DESIGNING, "Co-designing"
    LEVEL_CO_PRODUCING = LEVEL_PREFIX + InvolvementLevel.CO_PRODUCING, "Co-producing"


# The order of the page: SectionKey's own.
ORDER = {key: index for index, key in enumerate(SectionKey.values)}

# The sections a personal agreement is built from: a version that changes one of them asks
# every representative to read their agreement again and agree to it.
AGREEMENT_SECTIONS = frozenset(
    {SectionKey.FROM_US, SectionKey.FROM_YOU, SectionKey.PAYMENT, SectionKey.WELLBEING}
)


def is_level(key: str) -> bool:
    return key.startswith(LEVEL_PREFIX)


def level_anchor(level: str) -> str:
    """The id of a level's explanation on the charter page (`/charter/#level-consulting`)."""
    return LEVEL_PREFIX + level
