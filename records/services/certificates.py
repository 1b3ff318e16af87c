"""Certificates: what the person chose to share, frozen at the time, behind an unguessable
code (ADR 0015)."""

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from records.models import Certificate
from records.presenters import activity_row, totals_by_year, training_rows
from records.selectors import activities_taken_part_in, statement_of, training_of
from records.services.errors import RecordError

# 24 random bytes: 192 bits, 32 URL-safe characters. Guessing one among a million issued
# certificates at the verify page's rate limit would take longer than the universe has left.
CODE_BYTES = 24


@dataclass(frozen=True)
class CertificateChoice:
    """What the person chose to include."""

    name: str
    activity_ids: Collection[int] = ()
    training_ids: Collection[int] = ()
    include_skills: bool = False
    include_statement: bool = False
    include_totals: bool = False


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def certificate_content(*, person: User, choice: CertificateChoice) -> dict[str, Any]:
    """The chosen parts of the record as they are now, as JSON. Only the person's own
    activities and training can be chosen: anything else asked for is refused."""
    name = choice.name.strip()
    if not name:
        raise RecordError("Choose the name to show", field="name")
    rows = [activity_row(signup) for signup in activities_taken_part_in(person=person)]
    chosen_rows = [row for row in rows if row.signup_id in set(choice.activity_ids)]
    if len(chosen_rows) != len(set(choice.activity_ids)):
        raise RecordError("One of the activities chosen is not on your record.", field="activities")
    training = [
        row for row in training_rows(training_of(person=person)) if row.id in set(choice.training_ids)
    ]
    if len(training) != len(set(choice.training_ids)):
        raise RecordError("One of the courses chosen is not on your record.", field="training")
    statement = statement_of(person=person)
    content: dict[str, Any] = {
        "name": name,
        "issued_on": timezone.localdate().isoformat(),
        "activities": [row.as_json() for row in chosen_rows],
        "training": [row.as_json() for row in training],
    }
    if choice.include_skills:
        if statement is None or not statement.skills_list:
            raise RecordError("You have not written any skills yet.", field="include_skills")
        content["skills"] = statement.skills_list
    if choice.include_statement:
        if statement is None or not statement.statement:
            raise RecordError("You have not written a statement yet.", field="include_statement")
        content["statement"] = statement.statement
    if choice.include_totals:
        if not chosen_rows:
            raise RecordError("Choose at least one activity to show totals.", field="include_totals")
        content["totals"] = [
            {"year": total.year, "activities": total.activities, "hours": str(total.hours)}
            for total in totals_by_year(chosen_rows)
        ]
    if not (chosen_rows or training or "skills" in content or "statement" in content):
        raise RecordError("Choose at least one activity or course to include.", field="activities")
    return content


@transaction.atomic
def certificate_issue(*, person: User, choice: CertificateChoice) -> Certificate:
    """Freeze the chosen parts of the record under a new code."""
    content = certificate_content(person=person, choice=choice)
    return Certificate.objects.create(person=person, code=new_code(), content=content)


@transaction.atomic
def certificate_withdraw(*, certificate: Certificate, by: User) -> Certificate:
    """Withdraw a certificate: its address then says so and shows nothing else. Once is
    enough; doing it again changes nothing."""
    if certificate.person_id != by.pk:
        raise RecordError("Only the person a certificate is about can withdraw it.")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
    return locked
