"""Retention (issue 16, item 4): each app's provider names what it keeps only for a while
(`RetentionRule`); the nightly job applies every rule, one row per transaction, so one bad
row leaves the others be and a second run changes nothing. The report is the same walk
without changing anything: administrators read it first (/worker/data-requests/retention/,
or `manage.py retention --dry-run`)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from involvement.jobs import each_in_own_transaction
from involvement.personal_data import RetentionRule
from privacy.registry import providers


@dataclass(frozen=True)
class RetentionLine:
    app: str
    name: str
    setting: str
    days: int
    due: int


def retention_rules() -> list[tuple[str, RetentionRule]]:
    return [(label, rule) for label, provider in providers() for rule in provider.retention]


def retention_report(*, now: datetime | None = None) -> list[RetentionLine]:
    """What a run now would change, rule by rule (one count query each)."""
    now = now or timezone.now()
    return [
        RetentionLine(
            app=label, name=rule.name, setting=rule.setting, days=rule.days(), due=rule.due(now).count()
        )
        for label, rule in retention_rules()
    ]


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every rule; returns how many rows each changed."""
    now = now or timezone.now()
    changed = {}
    for label, rule in retention_rules():
        ids = list(rule.due(now).order_by("pk").values_list("pk", flat=True))
        changed[rule.name] = each_in_own_transaction(
            ids,
            lambda pk, rule=rule: rule.apply(pk, now),
            job=f"retention ({label}: {rule.setting})",  # pragma: no mutate: labels its log line only
            item_id=lambda pk: pk,
        )
    return changed
