"""The browse page's filter form and cards, rendered once per process and kept (issue 18).

Most of a request to /opportunities/ went on rendering the same markup again: the filter form
through the NHS.UK form pack (its two selects of teams and activity types alone are about a
hundred option templates, and two queries) and twenty cards. Both are kept in memory by
`involvement.fragments`, under keys that make a stale fragment impossible:

- A filter field is keyed by its name, the value it shows and its error messages; the team and
  activity-type selects also by the catalogue's version token, which any save or delete of a
  team or an activity type replaces (`catalogue_changed`, connected in apps.py). Everything
  else a field's markup shows (label, hint, ids, choices of the fixed lists) is code.
- A card is keyed by every column of its opportunity's row as read for the page (places taken,
  the waiting list, dates, fee and the rate in force today included), and every column of the
  rows it was read with (its course's name), and the time zone: a card can only change if one
  of those did.

The markup is the same as rendering without them, byte for byte
(opportunities/tests/test_browse_fragments.py compares the two).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import forms
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from involvement.fragments import FragmentStore, bump_version, version_token
from opportunities.models import Opportunity

CATALOGUE = "catalogue"

# A field's markup for each value seen (searches are what people type); cards for a few
# thousand opportunities, a page of which is 20. About 1 KB each.
filter_fields = FragmentStore(size=1000)
cards = FragmentStore(size=4000)

# What crispy-forms' `{{ form|crispy }}` filter renders its template with.
CRISPY_CONTEXT = {
    "field_class": "",
    "field_template": "nhsuk/field.html",
    "form_show_errors": True,
    "form_show_labels": True,
    "label_class": "",
}


def catalogue_changed(**kwargs: Any) -> None:
    """A team or an activity type was saved or deleted: the filter's selects show it at once."""
    bump_version(CATALOGUE)


def _freeze(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


def _field_key(field: BoundField, catalogue: str) -> Hashable:
    dynamic = isinstance(field.field, forms.ModelChoiceField)
    return (
        field.name,
        _freeze(field.value()),
        tuple(str(error) for error in field.errors),
        catalogue if dynamic else None,
    )


def filter_form_html(form: forms.Form) -> SafeString:
    """What `{{ form|crispy }}` renders (templates/nhsuk/uni_form.html), a field at a time
    from the store: the form's own errors, then each field followed by a new line."""
    catalogue = version_token(CATALOGUE)  # before any choice is read from the database
    field_template = get_template(CRISPY_CONTEXT["field_template"])
    context = {**CRISPY_CONTEXT, "form": form}
    parts = [get_template("nhsuk/errors.html").render(context), "\n"]
    for field in form:
        key = _field_key(field, catalogue)
        try:
            hash(key)
        except TypeError:  # a value no key can hold: render it every time
            parts.append(field_template.render({**context, "field": field}))
        else:
            parts.append(
                filter_fields.get_or_render(
                    key, lambda field=field: field_template.render({**context, "field": field})
                )
            )
        parts.append("\n")
    parts.append("\n")  # the template's last line
    return mark_safe("".join(parts))  # noqa: S308 (each part is rendered, escaped markup)


def _row_key(instance: Model) -> tuple:
    """Every value of the row as read (annotations included), and of the rows read with it;
    not the search vector, which only repeats the title, summary and description."""
    values: list[tuple[str, Hashable]] = [
        (name, value)
        for name, value in instance.__dict__.items()
        if not name.startswith("_") and name != "search_vector"
    ]
    for name, related in sorted(instance._state.fields_cache.items()):
        values.append((name, None if related is None else _row_key(related)))
    return tuple(values)


def _loaded(instance: Model) -> tuple[set[str], set[str]]:
    return set(instance.__dict__), set(instance._state.fields_cache)


def card_html(opportunity: Opportunity) -> SafeString:
    """templates/opportunities/_card.html for one opportunity."""
    key = (timezone.get_current_timezone_name(), _row_key(opportunity))
    try:
        html = cards.get(key)
    except TypeError:  # a value no key can hold
        key, html = None, None
    if html is None:
        loaded = _loaded(opportunity)
        html = get_template("opportunities/_card.html").render({"opportunity": opportunity})
        # Kept only if the card showed nothing but what the key holds: a deferred column or a
        # related row the template read for itself would not be in it.
        if key is not None and _loaded(opportunity) == loaded:
            cards.put(key, html)
    return html
