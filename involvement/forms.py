"""Form fields shared across the apps.

`DateField` follows the NHS.UK date input pattern: three boxes for day, month and year rather
than a date picker, because typing a known date is easier and more accessible than navigating a
calendar. Its errors are the plain-English ones the NHS.UK and GOV.UK design systems recommend.

Every date accepts only years in a window, so that no far-off date (year 9999, year 1) is
stored and later overflows the arithmetic of a page that reads it (a due date 28 days after a
session, a reminder 48 hours before). By default the window is 1900 to ten years from now,
wide enough for dates of birth and for any date in the past; forms about things being
planned narrow it (sessions: settings.SESSION_MAX_YEARS_AHEAD).
"""

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# (suffix, label): the suffix names the sub-input (`<name>_day`) and ends its id (`<id>_day`).
DATE_PARTS: tuple[tuple[str, str], ...] = (("day", "Day"), ("month", "Month"), ("year", "Year"))

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_OPTIONAL_SUFFIX = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)

EARLIEST_YEAR = 1900
YEARS_AHEAD = 10

Year = int | Callable[[], int]


def years_from_now(years: int) -> Callable[[], int]:
    """A latest year that moves with the calendar: worked out when a form is checked, not when
    the server started."""
    return lambda: timezone.localdate().year + years


class DateInput(forms.MultiWidget):
    """Three text boxes for day, month and year.

    Text boxes with `inputmode="numeric"` rather than `type="number"`: number inputs round,
    accept "e" and change value on scroll, which the NHS.UK date input guidance warns against.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        def part(width: int) -> forms.TextInput:
            return forms.TextInput(
                attrs={
                    "class": f"nhsuk-input nhsuk-input--width-{width} nhsuk-date-input__input",
                    "inputmode": "numeric",
                }
            )

        super().__init__({"day": part(2), "month": part(2), "year": part(4)}, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, str) and value:
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Name the ids after the part (id_dob_day), not its position (id_dob_0), so that links
        # from the error summary and tests read clearly.
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            for subwidget, suffix in zip(context["widget"]["subwidgets"], self.widgets_names, strict=True):
                subwidget["attrs"]["id"] = f"{field_id}{suffix}"
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else id_


class DateField(forms.MultiValueField):
    """A date typed into day, month and year boxes, cleaned to a `datetime.date`.

    Messages can use `%(label)s` and `%(lower_label)s` (the field's label without "(optional)")
    and `%(missing)s` ("day", "month and year", ...). Override them with `error_messages`, for
    example `{"required": "Enter your date of birth"}`.
    """

    widget = DateInput
    default_error_messages = {
        "required": "Enter %(lower_label)s",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "Enter a real date",
        "invalid_year": "Enter the year as 4 numbers",
        "year_too_early": "The year must be %(min_year)s or later",
        "year_too_late": "The year must be %(max_year)s or earlier",
    }

    def __init__(
        self, *, min_year: Year = EARLIEST_YEAR, max_year: Year | None = None, **kwargs: Any
    ) -> None:
        # The sub-fields only carry the typed text: all the checking happens in `compress`, so
        # that a person gets one message about the date as a whole.
        parts = tuple(forms.CharField(required=False, strip=True) for _ in DATE_PARTS)
        super().__init__(fields=parts, require_all_fields=True, **kwargs)
        self.min_year = min_year
        self.max_year = max_year if max_year is not None else years_from_now(YEARS_AHEAD)

    def year_window(self) -> tuple[int, int]:
        def year(value: Year) -> int:
            return value() if callable(value) else value

        return year(self.min_year), year(self.max_year)

    def clean(self, value: Any) -> datetime.date | None:
        parts = self._as_parts(value)
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required", params=self._params())
            return None
        result = self.compress(parts)
        self.validate(result)
        self.run_validators(result)
        return result

    def compress(self, data_list: Sequence[Any]) -> datetime.date | None:
        parts = self._as_parts(data_list)
        if not any(parts):
            return None
        named = dict(zip((suffix for suffix, _ in DATE_PARTS), parts, strict=True))
        if missing := [suffix for suffix, part in named.items() if not part]:
            raise self._error("incomplete", missing)
        if not_numbers := [suffix for suffix, part in named.items() if not _DIGITS.fullmatch(part)]:
            raise self._error("invalid", not_numbers)
        day, month, year = parts
        if len(year) != 4:
            raise self._error("invalid_year", ["year"])
        earliest, latest = self.year_window()
        if int(year) < earliest:
            raise self._error("year_too_early", ["year"], min_year=earliest)
        if int(year) > latest:
            raise self._error("year_too_late", ["year"], max_year=latest)
        if not 1 <= int(month) <= 12:
            raise self._error("invalid", ["month"])
        if not 1 <= int(day) <= 31:
            # Checked before building the date: a day of 99999999999999999999 would overflow.
            raise self._error("invalid", ["day"])
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            # The month is fine, so the day does not exist in it (31 2).
            raise self._error("invalid", ["day"]) from None

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        try:
            return self.compress(self._as_parts(initial)) != self.compress(self._as_parts(data))
        except ValidationError:
            return True

    def _as_parts(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        parts = [str(part).strip() if part is not None else "" for part in value]
        return (parts + ["", "", ""])[:3]

    def _params(self, parts: Sequence[str] = (), **extra: Any) -> dict[str, Any]:
        label = _OPTIONAL_SUFFIX.sub("", str(self.label or "")) or "Date"
        # Keep acronyms such as "NHS start date" as they are.
        lower_label = label if label[1:2].isupper() else label[:1].lower() + label[1:]
        return {
            "label": label,
            "lower_label": lower_label,
            "missing": " and ".join(parts),
            # Which boxes to mark as wrong (all of them when empty); read by the nhsuk template pack.
            "parts": tuple(parts),
            **extra,
        }

    def _error(self, code: str, parts: Sequence[str], **extra: Any) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params=self._params(parts, **extra))


def length_message(label: Any, limit: int) -> str:
    """ "Title must be 150 characters or fewer"; a question's label makes a poor subject, so
    a question gets "Your answer must be ..."."""
    subject = _OPTIONAL_SUFFIX.sub("", str(label or "")).strip()
    if not subject or subject.endswith("?"):
        subject = "Your answer"
    return f"{subject} must be {limit:,} characters or fewer"


class LengthLimitsMixin:
    """Every text box with a maximum length says so in plain English, by the field, and keeps
    what was typed.

    Django's own message is "Ensure this value has at most 2000 characters (it has 2468)." And
    the `maxlength` attribute Django adds makes browsers drop whatever is pasted past the limit
    without a word (the GOV.UK and NHS.UK character-count guidance warns against it), so it goes:
    the server checks, the form comes back with the text kept and the message beside it.
    Put it first among a form's bases.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if not limit:
                continue
            field.widget.attrs.pop("maxlength", None)
            field.error_messages.setdefault("max_length", length_message(field.label, limit))
