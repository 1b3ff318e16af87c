"""Every app's personal-data provider (`<app>/personal_data.py`, involvement.personal_data),
found through the app registry, so no app below needs to know that privacy exists."""

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from involvement.personal_data import PersonalDataProvider


@cache
def providers() -> list[tuple[str, PersonalDataProvider]]:
    """(app label, provider), in the order erasure walks them (higher apps first)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        # involvement's own module of that name is the shape of a provider, not one.
        provider = getattr(import_module(name), "PROVIDER", None) if find_spec(name) else None
        if provider is not None:
            found.append((config.label, provider))
    return sorted(found, key=lambda item: (item[1].order, item[0]))
