"""How hard a wording is to read, as a hint to whoever proposes it (the charter is written
for a reading age of about 9 to 11).

textstat's Flesch-Kincaid grade is a US school grade; a UK reading age is about five more
(grade 4 is age 9, grade 6 is age 11). Pinned at textstat 0.7.8, which reads its syllable
data from disk: later releases download it, which a server may not be allowed to do."""

import textstat

UK_AGE_OVER_US_GRADE = 5
TARGET_READING_AGE = 11


def reading_age(text: str) -> int | None:
    """The UK reading age of the words, or None when there are too few to measure."""
    if len(text.split()) < 5:
        return None
    grade = textstat.flesch_kincaid_grade(text)
    return max(5, round(grade) + UK_AGE_OVER_US_GRADE)
