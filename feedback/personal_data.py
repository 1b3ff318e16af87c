"""What feedback holds about a person: their check-ins, the follow-ups they asked for, the
invitations they were sent (ADR 9, ADR 17). Scores and states stay (the dashboard averages
them); what they wrote, and what a worker wrote back, is wiped."""

from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import User
from feedback.models import CheckIn, FollowUp, Invitation
from involvement.personal_data import PersonalDataProvider, RetentionRule, Section, rows


def export(person: User) -> list[Section]:
    return [
        (
            "Your check-ins",
            rows(
                CheckIn.objects.filter(person=person).order_by("created_at"),
                [
                    "created_at",
                    "opportunity__title",
                    "how_it_went",
                    "felt_valued",
                    "went_well",
                    "could_be_better",
                    "wants_chat",
                ],
            ),
        ),
        (
            # Their existence and progress; the worker's own notes stay staff's working notes.
            "Chats you asked for",
            rows(
                FollowUp.objects.filter(person=person).order_by("requested_at"),
                ["requested_at", "status", "call_by", "closed_at"],
            ),
        ),
        (
            "Opportunities we invited you to",
            rows(
                Invitation.objects.filter(person=person).order_by("sent_at"),
                ["sent_at", "opportunity__title"],
            ),
        ),
    ]


def refuse(person: User) -> list[str]:
    open_ones = FollowUp.objects.filter(worker=person).exclude(status=FollowUp.Status.CLOSED).count()
    if open_ones:
        return [f"They have {open_ones} open follow-ups: a manager must hand them to another worker first."]
    return []


def erase(person: User) -> None:
    CheckIn.objects.filter(person=person).update(went_well="", could_be_better="")
    FollowUp.objects.filter(person=person).update(action_taken="")


def _check_in_text_days() -> int:
    return settings.RETENTION_CHECK_IN_TEXT_DAYS


def _check_in_text_due(now) -> QuerySet[CheckIn]:
    days = _check_in_text_days()
    if not days:
        return CheckIn.objects.none()
    old = CheckIn.objects.filter(created_at__lt=now - timedelta(days=days))
    return old.exclude(went_well="", could_be_better="")


def _check_in_text_wipe(pk: int, now) -> int:
    # One UPDATE that checks again that the row is due: a second run finds nothing to do.
    return _check_in_text_due(now).filter(pk=pk).update(went_well="", could_be_better="")


PROVIDER = PersonalDataProvider(
    order=20,
    models=("feedback.CheckIn", "feedback.FollowUp", "feedback.Invitation", "feedback.Outcome"),
    export=export,
    erase=erase,
    refuse=refuse,
    retention=(
        RetentionRule(
            name="What people wrote in check-ins (the scores stay)",
            setting="RETENTION_CHECK_IN_TEXT_DAYS",
            days=_check_in_text_days,
            due=_check_in_text_due,
            apply=_check_in_text_wipe,
        ),
    ),
    not_personal={
        "feedback.Outcome": "What changed because of an activity, written by staff about the activity."
    },
)
