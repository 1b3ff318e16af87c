"""The requests themselves: exported as part of the copy; kept on erasure, since they hold
no name and are the record that lets a restore from backup apply the erasure again."""

from accounts.models import User
from involvement.personal_data import PersonalDataProvider, Section, rows
from privacy.models import DataRequest


def export(person: User) -> list[Section]:
    return [
        (
            "Your requests about your data",
            rows(
                DataRequest.objects.filter(person=person).order_by("created_at"),
                ["created_at", "kind", "channel", "status", "completed_at"],
            ),
        )
    ]


def erase(person: User) -> None:
    """Nothing to wipe: no free text, and the person is pointed at by id."""


PROVIDER = PersonalDataProvider(order=10, models=("privacy.DataRequest",), export=export, erase=erase)
