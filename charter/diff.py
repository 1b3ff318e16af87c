"""Comparing two wordings, word by word, for the comparison and proposal pages.

Each piece is kept, added or removed; the templates mark added and removed words with
<ins> and <del> and say "added:" and "removed:" in visually hidden text, since colour and
strike-through alone reach nobody using a screen reader (WCAG 1.3.1, 1.4.1)."""

import difflib
import re
from dataclasses import dataclass

# Words with the spaces after them, so that joining the pieces gives the text back.
_TOKENS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added" or "removed"
    text: str


def wording_diff(old: str, new: str) -> list[Piece]:
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(before[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("added", "".join(after[b1:b2])))
    return pieces


@dataclass(frozen=True)
class SectionChange:
    key: str
    title: str
    changed: bool
    pieces: list[Piece]


def versions_diff(old_sections, new_sections) -> list[SectionChange]:
    """Every section of the newer version, in its order, compared with the older one's."""
    old = {section.key: section.body for section in old_sections}
    changes = []
    for section in new_sections:
        before = old.get(section.key, "")
        changes.append(
            SectionChange(
                key=section.key,
                title=section.title,
                changed=before != section.body,
                pieces=wording_diff(before, section.body),
            )
        )
    return changes
