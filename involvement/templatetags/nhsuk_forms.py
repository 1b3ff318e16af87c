"""Helpers for the NHS.UK crispy-forms template pack in templates/nhsuk/.

Django templates cannot call `BoundField.as_widget(attrs=...)`, so these tags let the pack add
the NHS.UK classes and `aria-describedby` to the markup Django renders for a widget, without
changing the widget itself: a form may be rendered more than once, and Django's own rendering
keeps the widget's attributes and the value a person typed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString

from involvement.forms import DATE_PARTS, DateInput

register = template.Library()

# Django's label for the empty choice of an optional choice field.
BLANK_CHOICE_LABEL = "---------"


@dataclass(frozen=True)
class FieldState:
    """The ids and error state a field's markup shares between label, hint, error and input."""

    id: str
    label_for: str
    hint_id: str
    error_id: str
    has_error: bool

    @property
    def describedby(self) -> str:
        return " ".join(filter(None, (self.hint_id, self.error_id)))


@dataclass(frozen=True)
class DatePart:
    label: str
    id: str
    html: SafeString
    has_error: bool


@dataclass(frozen=True)
class SummaryError:
    message: str
    target: str  # the id to link to; empty for errors that belong to no visible input


def _classes(*groups: str) -> str:
    names: list[str] = []
    for group in groups:
        for name in (group or "").split():
            if name not in names:
                names.append(name)
    return " ".join(names)


@register.filter
def nhsuk_kind(field: BoundField) -> str:
    """Which NHS.UK component renders the field; field.html dispatches on this."""
    widget = field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


@register.simple_tag
def nhsuk_field_state(field: BoundField, show_errors: Any = True) -> FieldState:
    # A missing `form_show_errors` resolves to "", which must not hide errors: only an explicit
    # False from a FormHelper does.
    has_error = bool(field.errors) and show_errors is not False
    field_id = field.field.widget.attrs.get("id") or field.auto_id or ""
    return FieldState(
        id=field_id,
        label_for=field.id_for_label or "",
        hint_id=f"{field_id}-hint" if field_id and field.help_text else "",
        error_id=f"{field_id}-error" if field_id and has_error else "",
        has_error=has_error,
    )


@register.simple_tag
def nhsuk_widget(field: BoundField, state: FieldState, base_class: str, error_class: str = "") -> SafeString:
    """The field's own widget markup with the NHS.UK classes and aria-describedby added."""
    widget = field.field.widget
    attrs = {
        "class": _classes(base_class, error_class if state.has_error else "", widget.attrs.get("class", ""))
    }
    describedby = _classes(state.describedby, widget.attrs.get("aria-describedby", ""))
    if describedby:
        attrs["aria-describedby"] = describedby
    # What BoundField.as_widget() does, except that without ids of our own Django would point
    # aria-describedby at its "_helptext" and "_error" elements, which this pack does not render.
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs(attrs, widget)
    if not describedby:
        attrs.pop("aria-describedby", None)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.render(name=field.html_name, value=field.value(), attrs=attrs, renderer=field.form.renderer)


@register.simple_tag
def nhsuk_choices(field: BoundField, input_class: str) -> list[BoundWidget]:
    """One input per choice, rendered by Django (so ids, values and `checked` are its own)."""
    widget = field.field.widget
    field_id = widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": field_id} if field_id else {}, widget)
    attrs["class"] = _classes(input_class, widget.attrs.get("class", ""))
    options = [
        BoundWidget(widget, data, field.form.renderer)
        for data in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
    # A "---------" radio or checkbox reads as nonsense; an optional question needs no such
    # option, as leaving it unanswered already means "no answer".
    return [option for option in options if not _is_blank_choice(option)]


def _is_blank_choice(option: BoundWidget) -> bool:
    return option.data["value"] in ("", None) and str(option.data["label"]) == BLANK_CHOICE_LABEL


def _date_error_parts(field: BoundField) -> set[str]:
    """The boxes to mark as wrong: those DateField named, or all for any other error."""
    wrong: set[str] = set()
    for error in field.errors.as_data():
        parts = error.params.get("parts") if isinstance(error.params, dict) else None
        wrong.update(parts or (suffix for suffix, _ in DATE_PARTS))
    return wrong


@register.simple_tag
def nhsuk_date_parts(field: BoundField, state: FieldState) -> list[DatePart]:
    widget = field.field.widget
    values = field.value()
    if not isinstance(values, list | tuple):
        values = widget.decompress(values)
    values = [*values, None, None, None][: len(DATE_PARTS)]
    # required/disabled as Django decides them for the whole field; aria-invalid goes only on
    # the boxes that are wrong, and aria-describedby on the fieldset instead.
    shared = {
        key: value
        for key, value in {**widget.attrs, **field.build_widget_attrs({}, widget)}.items()
        if key not in {"id", "class", "aria-invalid", "aria-describedby"}
    }
    wrong = _date_error_parts(field) if state.has_error else set()
    parts = []
    for (suffix, label), name_suffix, subwidget, value in zip(
        DATE_PARTS, widget.widgets_names, widget.widgets, values, strict=True
    ):
        has_error = suffix in wrong
        part_id = f"{state.id}_{suffix}" if state.id else ""
        error_class = "nhsuk-input--error" if has_error else ""
        attrs = {**shared, "class": _classes("nhsuk-input", error_class, subwidget.attrs.get("class", ""))}
        if part_id:
            attrs["id"] = part_id
        if has_error:
            attrs["aria-invalid"] = "true"
        html = subwidget.render(f"{field.html_name}{name_suffix}", value, attrs, renderer=field.form.renderer)
        parts.append(DatePart(label=label, id=part_id, html=html, has_error=has_error))
    return parts


def _first_input_id(field: BoundField) -> str:
    """The id an error summary link should move focus to."""
    kind = nhsuk_kind(field)
    if kind == "hidden":
        return ""
    if kind in {"radios", "checkboxes"}:
        options = nhsuk_choices(field, "")
        return (options[0].id_for_label or "") if options else ""
    if kind == "date":
        state = nhsuk_field_state(field)
        wrong = _date_error_parts(field)
        first = next((suffix for suffix, _ in DATE_PARTS if suffix in wrong), DATE_PARTS[0][0])
        return f"{state.id}_{first}" if state.id else ""
    return field.id_for_label or ""


def _messages(errors: Iterable[ValidationError | str]) -> list[str]:
    return [str(message) for message in errors]


@register.simple_tag
def nhsuk_error_summary(form: forms.BaseForm) -> list[SummaryError]:
    """Every error on the form in page order, each linked to the input it is about."""
    summary = [SummaryError(message, "") for message in _messages(form.non_field_errors())]
    for field in form:
        if field.errors:
            target = _first_input_id(field)
            summary.extend(SummaryError(message, target) for message in _messages(field.errors))
    return summary


@register.filter
def nhsuk_button_class(button: Any) -> str:
    """NHS.UK button classes for a crispy Submit/Button, dropping crispy's Bootstrap defaults."""
    extra = [name for name in str(getattr(button, "field_classes", "")).split() if not name.startswith("btn")]
    return _classes("nhsuk-button", *extra)
