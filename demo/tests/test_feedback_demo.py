import pytest
from django.core.management import call_command

from accounts.models import User
from feedback.models import FollowUp, Outcome
from feedback.services import outcomes_overdue
from notifications.kinds import Kind
from notifications.models import Message

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_feedback_loop_and_stays_the_same_when_run_again():
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)
    rep = User.objects.get(email="rep@example.org")
    worker = User.objects.get(email="worker@example.org")
    assert Outcome.objects.filter(status="published").count() == 1
    assert Message.objects.filter(recipient=rep, kind=Kind.OUTCOME_PUBLISHED).count() == 1
    assert FollowUp.objects.filter(worker=worker, status="open").count() == 1
    assert [o.title for o in outcomes_overdue()] == [
        "Interview panel: consultant psychiatrist for the memory service"
    ]
