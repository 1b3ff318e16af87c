"""Writes to the record itself: the person's role on an activity, their skills and statement."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from records.models import ActivityRole, RecordStatement, Role
from records.selectors import activity_of
from records.services.errors import RecordError


@transaction.atomic
def activity_role_set(
    *, person: User, signup_id: int, role: str, other_role: str = "", by: User
) -> ActivityRole:
    """Set `person`'s role on an activity they took part in (by themselves, or by a worker
    acting for them). Someone else's activity, or one never attended, is refused."""
    if activity_of(person=person, signup_id=signup_id) is None:
        raise RecordError("That activity is not on your record.")
    if role not in Role.values:
        raise RecordError("Choose your role", field="role")
    other_role = other_role.strip()
    if role == Role.OTHER and not other_role:
        raise RecordError("Enter your role", field="other_role")
    record_role, _ = ActivityRole.objects.update_or_create(
        signup_id=signup_id,
        defaults={
            "role": role,
            "other_role": other_role if role == Role.OTHER else "",
            "set_by": by,
            "set_at": timezone.now(),
        },
    )
    return record_role


@transaction.atomic
def statement_save(*, person: User, skills: str, statement: str) -> RecordStatement:
    record, _ = RecordStatement.objects.update_or_create(
        person=person,
        defaults={"skills": skills.strip(), "statement": statement.strip(), "updated_at": timezone.now()},
    )
    return record
