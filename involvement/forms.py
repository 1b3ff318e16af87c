"""Form fields shared across the apps.

`DateField` follows the NHS.UK date input pattern: three boxes for day, month and year rather
than a date picker, because typing a known date is easier and more accessible than navigating a
calendar. Its errors are the plain-English ones the NHS.UK and GOV.UK design systems recommend.
"""

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# (suffix, label): the suffix names the sub-input (`<name>_day`) and ends its id (`<id>_day`).
DATE_PARTS: tuple[tuple[str, str], ...] = (("day", "Day"), ("month", "Month"), ("year", "Year"))

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_OPTIONAL_SUFFIX = re.compile(r"\s*\(optional\)\s*$", re.IGNORECASE)


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
    }

    def __init__(self, **kwargs: Any) -> None:
        # The sub-fields only carry the typed text: all the checking happens in `compress`, so
        # that a person gets one message about the date as a whole.
        parts = tuple(forms.CharField(required=False, strip=True) for _ in DATE_PARTS)
        super().__init__(fields=parts, require_all_fields=True, **kwargs)

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
        if not 1 <= int(month) <= 12:
            raise self._error("invalid", ["month"])
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            # The month is fine, so the day does not exist in it (31 2) or the year is 0000.
            raise self._error("invalid", ["year"] if int(year) < 1 else ["day"]) from None

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

    def _params(self, parts: Sequence[str] = ()) -> dict[str, Any]:
        label = _OPTIONAL_SUFFIX.sub("", str(self.label or "")) or "Date"
        # Keep acronyms such as "NHS start date" as they are.
        lower_label = label if label[1:2].isupper() else label[:1].lower() + label[1:]
        return {
            "label": label,
            "lower_label": lower_label,
            "missing": " and ".join(parts),
            # Which boxes to mark as wrong (all of them when empty); read by the nhsuk template pack.
            "parts": tuple(parts),
        }

    def _error(self, code: str, parts: Sequence[str]) -> ValidationError:
        return ValidationError(self.error_messages[code], code=code, params=self._params(parts))
