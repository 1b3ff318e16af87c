"""What each app declares about the personal data it holds (issue 16, ADR 17).

Each app that keeps anything about a person has a module `<app>/personal_data.py` with a
`PROVIDER`: the models it answers for, how to export one person's rows and how to erase
them. The privacy app, on top, finds them through the app registry and walks them; no app
imports privacy, and this module imports no app (the `shared` contract), so the shape of a
provider can be named from anywhere below.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A section of an export: a heading and its rows, each a dict of JSON-able values.
Section = tuple[str, list[dict[str, Any]]]

# What erasure writes in place of free text it cannot simply blank (a message's subject
# must not be empty); fixed, so a whole-database search for a person finds nothing of theirs.
ERASED_TEXT = "[erased]"
# What retention writes in place of text kept for its period.
RETAINED_TEXT = "[removed: older than we keep it]"


@dataclass(frozen=True)
class RetentionRule:
    """Something kept only for a while (issue 16, item 4): `due(now)` gives the ids of the rows
    past their period and not yet dealt with; `apply(pk, now)` deals with one, in the caller's
    transaction, reading it again under a lock, and returns 1 if it changed it, else 0, so a
    second run changes nothing. `days` reads the period from the settings when it runs."""

    name: str
    setting: str
    days: Callable[[], int]
    due: Callable[[Any], Any]
    apply: Callable[[int, Any], int]


@dataclass(frozen=True)
class PersonalDataProvider:
    # Walked in this order for erasure: higher apps first, so that places are freed by the
    # services while the person's row can still be read; accounts (the user row) last.
    order: int
    # "app_label.ModelName" of every model this provider answers for, personal or not.
    models: tuple[str, ...]
    export: Callable[[Any], list[Section]]
    erase: Callable[[Any], None]
    # Models it answers for although they hold nothing that identifies anyone, each with why.
    not_personal: dict[str, str] = field(default_factory=dict)
    # Checks before erasing; returns the reasons it must wait (a lead of running work).
    refuse: Callable[[Any], list[str]] = lambda person: []
    # What it keeps only for a while, applied by the nightly retention job.
    retention: tuple[RetentionRule, ...] = ()


def plain(value: Any) -> Any:
    """A model field's value as JSON can hold it: dates as ISO text, decimals as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def rows(queryset: Any, fields: list[str]) -> list[dict[str, Any]]:
    """The rows of a queryset as dicts of these fields (`values`, so no model is built)."""
    return [{key: plain(value) for key, value in row.items()} for row in queryset.values(*fields)]
