"""The first charter is written in plain English: every section is measured with textstat.

The measure is the Flesch-Kincaid grade, a US school grade. A UK reading age is about five
years more than the grade: grade 4 is a reading age of 9, grade 6 a reading age of 11. The
charter aims at a reading age of 9 to 11, so no section may be above grade 6. There is no
lower limit: words easier than that are better still (plain English guidance: as simple as
the meaning allows), and short texts score low whatever their words."""

import pytest
import textstat

from charter.first_charter import FIRST_CHARTER
from charter.readability import UK_AGE_OVER_US_GRADE, reading_age
from charter.sections import SectionKey

HIGHEST_GRADE = 6  # a UK reading age of 11


@pytest.mark.parametrize("key", SectionKey.values)
def test_each_section_reads_at_a_reading_age_of_eleven_or_under(key):
    grade = textstat.flesch_kincaid_grade(FIRST_CHARTER[key])
    assert grade <= HIGHEST_GRADE, (
        f"{key}: US grade {grade}, UK reading age {grade + UK_AGE_OVER_US_GRADE:.0f}"
    )


def test_the_whole_charter_reads_at_a_reading_age_of_nine_to_eleven_or_easier():
    whole = " ".join(FIRST_CHARTER.values())
    assert textstat.flesch_kincaid_grade(whole) <= HIGHEST_GRADE
    assert textstat.flesch_reading_ease(whole) >= 80  # "easy": 80 to 90 and over


def test_every_section_has_words():
    assert set(FIRST_CHARTER) == set(SectionKey.values)
    assert all(words.strip() for words in FIRST_CHARTER.values())


def test_the_hint_gives_a_uk_reading_age():
    assert reading_age("Too short.") is None
    assert reading_age(FIRST_CHARTER[SectionKey.MEANING]) <= 11
    hard = (
        "Notwithstanding organisational constraints, the multidisciplinary governance infrastructure "
        "facilitates collaborative co-production methodologies across commissioning pathways."
    )
    assert reading_age(hard) > 11
