"""Check-in invitations and follow-ups, read as the person and the worker see them: an
invitation names the activity and links to its check-in, goes only within the window after
the activity, a check-in of scores alone records no words, and a worker closing a
follow-up twice is told plainly why not.

Built so that plausible wrong code gives a different answer; `make mutation` showed the
tests before these could not tell."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import FollowUp
from feedback.services import FeedbackError, check_in_create, check_in_invitations_send, follow_up_close
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def finished(title: str, *, days_ago: int) -> Opportunity:
    end = timezone.now() - timedelta(days=days_ago)
    return OpportunityFactory(
        title=title,
        status=Opportunity.Status.COMPLETED,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
    )


def test_an_invitation_names_the_activity_and_links_to_its_check_in(representative):
    opportunity = finished("Menu review", days_ago=2)
    SignUp.objects.create(opportunity=opportunity, person=representative, state=SignUp.State.ATTENDED)
    assert check_in_invitations_send() == 1
    message = Message.objects.get(kind=Kind.CHECK_IN_INVITATION)
    assert message.subject == "How did it go? Menu review"
    assert "Thank you for taking part in Menu review." in message.body_text
    assert f"{settings.SITE_URL}/me/check-ins/new/?opportunity={opportunity.pk}\n" in message.body_text


def test_no_invitation_once_the_window_after_the_activity_has_closed(representative):
    days = settings.CHECK_IN_INVITE_WITHIN_DAYS
    too_late = finished("Long-ago panel", days_ago=days + 1)
    just_in_time = finished("Recent panel", days_ago=days - 1)
    for opportunity in (too_late, just_in_time):
        SignUp.objects.create(opportunity=opportunity, person=representative, state=SignUp.State.ATTENDED)
    assert check_in_invitations_send() == 1
    assert Message.objects.get(kind=Kind.CHECK_IN_INVITATION).subject == "How did it go? Recent panel"


def test_closing_a_follow_up_twice_says_plainly_that_it_is_closed(representative, worker):
    opportunity = finished("Menu review", days_ago=2)
    SignUp.objects.create(opportunity=opportunity, person=representative, state=SignUp.State.ATTENDED)
    check_in_create(
        person=representative, opportunity=opportunity, how_it_went=2, felt_valued=2, wants_chat=True
    )
    follow_up = FollowUp.objects.get()
    follow_up_close(follow_up=follow_up, by=worker, action_taken="Phoned; meeting on Friday.")
    with pytest.raises(FeedbackError) as refused:
        follow_up_close(follow_up=follow_up, by=worker, action_taken="Again")
    assert str(refused.value) == "This follow-up is already closed."
    follow_up.refresh_from_db()
    assert follow_up.action_taken == "Phoned; meeting on Friday."


def test_a_check_in_with_only_the_two_scores_records_no_words(representative):
    check_in = check_in_create(person=representative, opportunity=None, how_it_went=4, felt_valued=5)
    check_in.refresh_from_db()
    assert (check_in.went_well, check_in.could_be_better, check_in.wants_chat) == ("", "", False)


# --- written for the survivors of `make mutation` at cc819dc (docs/testing.md) ------------------


def test_no_invitation_before_the_activity_has_ended(representative):
    """Someone recorded as attending the first session of an activity still going on is asked
    how it went once it is over, not before."""
    start = timezone.now() - timedelta(days=1)
    still_going = OpportunityFactory(
        title="Still going",
        sessions=[
            (start, start + timedelta(hours=2)),
            (start + timedelta(days=7), start + timedelta(days=7, hours=2)),
        ],
        signup_deadline=start - timedelta(days=5),
    )
    SignUp.objects.create(opportunity=still_going, person=representative, state=SignUp.State.ATTENDED)
    assert check_in_invitations_send() == 0


def test_the_refusals_of_a_check_in_and_of_closing_a_follow_up_say_why(representative, worker):
    not_there = finished("Menu review", days_ago=2)
    with pytest.raises(FeedbackError) as refused:
        check_in_create(person=representative, opportunity=not_there, how_it_went=3, felt_valued=3)
    assert str(refused.value) == "You can check in about activities you took part in."

    SignUp.objects.create(opportunity=not_there, person=representative, state=SignUp.State.ATTENDED)
    check_in_create(
        person=representative, opportunity=not_there, how_it_went=2, felt_valued=2, wants_chat=True
    )
    with pytest.raises(FeedbackError) as refused:
        follow_up_close(follow_up=FollowUp.objects.get(), by=worker, action_taken="  ")
    assert str(refused.value) == "Write what you did, so the record shows the person was followed up."


def test_each_person_who_took_part_checks_in_once_and_a_second_time_is_refused(representative, outsider):
    opportunity = finished("Menu review", days_ago=2)
    for someone in (representative, outsider):
        SignUp.objects.create(opportunity=opportunity, person=someone, state=SignUp.State.ATTENDED)
        check_in_create(person=someone, opportunity=opportunity, how_it_went=4, felt_valued=4)
    with pytest.raises(FeedbackError) as refused:
        check_in_create(person=representative, opportunity=opportunity, how_it_went=1, felt_valued=1)
    assert str(refused.value) == "You have already checked in about this activity. Thank you."


# --- written for the survivors of `make mutation` after 0e09a7d (docs/testing.md) --------------


def test_asking_for_a_chat_with_no_worker_to_turn_to_is_refused_in_words_that_say_whom_to_contact(
    outsider, representative, worker
):
    """A chat about anything at all (no activity, so no lead worker) from someone with no named
    worker, or whose named worker has left, cannot go to anybody: they are told so, word for
    word, and nothing they wrote is kept half-saved."""
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    for someone in (outsider, representative):
        with pytest.raises(FeedbackError) as refused:
            check_in_create(person=someone, opportunity=None, how_it_went=2, felt_valued=2, wants_chat=True)
        assert str(refused.value) == (
            "We could not find an involvement worker for you. Please contact the involvement team."
        )
    assert (
        not FollowUp.objects.exists() and not Message.objects.filter(kind=Kind.FOLLOW_UP_REQUESTED).exists()
    )


def test_inviting_three_people_to_check_in_reads_nobody_and_no_activity_one_query_at_a_time(
    django_assert_max_num_queries,
):
    """Each person invited, and the activity the invitation names, come with their sign-up.
    Two queries find who is due (the sign-ups, the invitations already sent), then each
    invitation costs four, in a savepoint of its own: the savepoint, the person's preferences
    read afresh by the outbox, the message, the release. Reading the person or the activity
    one at a time would add a query per person invited."""
    opportunity = finished("Menu review", days_ago=2)
    for _ in range(3):
        SignUp.objects.create(
            opportunity=opportunity, person=person(roles=[Role.REPRESENTATIVE]), state=SignUp.State.ATTENDED
        )
    with django_assert_max_num_queries(2 + 4 * 3):
        assert check_in_invitations_send() == 3
    assert set(Message.objects.values_list("subject", flat=True)) == {"How did it go? Menu review"}
