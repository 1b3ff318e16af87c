"""Sections of the worker's daily summary that apps above feedback provide, such as the
claims not paid in time (payments). feedback cannot import those apps (docs/architecture.md:
`feedback | payments` side by side, `home` above both), so an app that can see them
registers a provider here when Django starts (`HomeConfig.ready`), and the summary asks each
provider once per run, for every worker at once: the summary's queries stay fixed however
many workers there are.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SummaryLine:
    text: str
    # A path on this site ("/worker/claims/"); the message puts the site's address before it.
    path: str = ""


@dataclass(frozen=True)
class SummarySection:
    heading: str
    lines: list[SummaryLine] = field(default_factory=list)


# Given the day the summary is for, a section for each worker (by id) with something in it.
SectionProvider = Callable[..., dict[int, SummarySection]]

_providers: dict[str, SectionProvider] = {}


def summary_section_register(name: str, provider: SectionProvider) -> None:
    """Add a section to every worker's summary. Registering a name again replaces its
    provider, so an app's `ready()` running twice adds nothing twice."""
    _providers[name] = provider


def summary_sections_for(*, today: date) -> dict[int, list[SummarySection]]:
    """Every provider's sections, gathered by worker id, in the order they were registered."""
    sections: dict[int, list[SummarySection]] = {}
    for provider in _providers.values():
        for worker_id, section in provider(today=today).items():
            if section.lines:
                sections.setdefault(worker_id, []).append(section)
    return sections
