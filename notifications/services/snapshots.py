"""Snapshots: what a message will say, fixed when it is written and rendered later.

A message written in a busy transaction (a sign-up, under the opportunity's lock) need not be
rendered there: the outbox row keeps its kind and a snapshot of the facts its templates read
(names, titles, dates, links, amounts: plain values, never ids to read again), and the row is
rendered from that snapshot, with the same templates, when it is delivered (or, for a message
that is only listed in the inbox, by a worker soon after the commit). Whatever changes in
between, the message says what was true when it was written.

`freeze` turns a context of plain values into JSON for the row's `context` column, and refuses
anything else (a model instance would be read again at delivery, and could say more than the
message does); `thaw` gives it back, as `Facts` that templates and filters read like the
objects they stood for (`opportunity.title`, `session.starts_at`).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

# Markers for the values JSON has no type for.
_DATETIME, _DATE, _DECIMAL = "$datetime", "$date", "$decimal"


class Facts(dict):
    """A record of a snapshot: its keys are also attributes, for filters such as
    `nhs_session` that read `session.starts_at`."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def freeze(value: Any) -> Any:
    """`value` as JSON: dicts (string keys), lists and tuples, strings, numbers, booleans and
    None as they are; datetimes, dates and decimals marked. Anything else is refused with a
    TypeError: the snapshot holds facts, not objects to be read again."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError("A snapshot's datetimes must be aware.")
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, dict):
        frozen = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"A snapshot's keys are strings, not {type(key).__name__}.")
            frozen[key] = freeze(item)
        return frozen
    if isinstance(value, (list, tuple)):
        return [freeze(item) for item in value]
    raise TypeError(f"A snapshot holds plain values, not {type(value).__name__}.")


def thaw(value: Any) -> Any:
    """The snapshot's values back, dicts as `Facts`."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, item),) = value.items()
            if key == _DATETIME:
                return datetime.fromisoformat(item)
            if key == _DATE:
                return date.fromisoformat(item)
            if key == _DECIMAL:
                return Decimal(item)
        return Facts((key, thaw(item)) for key, item in value.items())
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value
