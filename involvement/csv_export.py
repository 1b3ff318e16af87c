"""Every CSV this service writes goes through here, so that no cell can run as a formula.

A spreadsheet reads a cell that begins with `=`, `+`, `-` or `@` (and, in some programs, a
tab or carriage return) as a formula: a title or a name typed into the service could then
run a command or send data elsewhere when a manager opens the export ("CSV injection").
Following OWASP, such text gets a leading single quote, which spreadsheets show as text.

Numbers are written as numbers and left alone: `-3` or `-0.5` written from an int, float or
Decimal cannot be a formula, and a quote would turn a figure into text nobody can add up.
Text that merely looks like a negative number is still quoted: we cannot tell it from
`-1+1|cmd` without parsing it the way a spreadsheet would.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell that no spreadsheet will run; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool is an int: written as True/False
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer's writerow and writerows, with every cell passed through safe_cell."""

    def __init__(self, file) -> None:
        self._writer = csv.writer(file)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(file) -> SafeWriter:
    """Use instead of csv.writer for anything a person will open in a spreadsheet."""
    return SafeWriter(file)
