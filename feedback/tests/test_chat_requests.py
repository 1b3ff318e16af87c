"""Chat requests (issue 13, item 9): how soon the person would like a chat, the worker picking
it up with a date to call by, the person told and seeing it, the worker's order (urgency,
then age), the target in working days, and overdue requests in the daily summary."""

import html
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import FollowUp
from feedback.selectors import follow_ups_waiting
from feedback.services import (
    FeedbackError,
    check_in_create,
    follow_up_close,
    follow_up_due_on,
    follow_up_pick_up,
    worker_summaries_send,
)
from involvement.working_days import working_days_after
from notifications.kinds import Channel, Kind
from notifications.models import Message

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def ask(person_, *, urgency=FollowUp.Urgency.THIS_WEEK) -> FollowUp:
    check_in = check_in_create(
        person=person_, opportunity=None, how_it_went=2, felt_valued=2, wants_chat=True, urgency=urgency
    )
    return check_in.follow_up


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "asked,due",
    [
        (date(2026, 11, 26), date(2026, 11, 30)),  # Thursday: Friday, then Monday
        (date(2026, 11, 27), date(2026, 12, 1)),  # Friday: the weekend skipped, Tuesday
        (date(2026, 11, 28), date(2026, 12, 1)),  # Saturday: Monday and Tuesday
        (date(2026, 11, 29), date(2026, 12, 1)),  # Sunday: the same
        (date(2026, 11, 30), date(2026, 12, 2)),  # Monday: Wednesday
        # Christmas: Friday 25 a bank holiday, the weekend, Monday 28 the Boxing Day holiday.
        (date(2026, 12, 24), date(2026, 12, 30)),
    ],
)
def test_the_target_counts_working_days_only(asked, due):
    assert working_days_after(asked, 2) == due


def test_a_bank_holiday_is_taken_from_the_setting(settings):
    settings.BANK_HOLIDAYS = ["2026-11-30"]
    assert working_days_after(date(2026, 11, 27), 2) == date(2026, 12, 2)
    settings.BANK_HOLIDAYS = []
    assert working_days_after(date(2026, 12, 24), 2) == date(2026, 12, 28)


def test_the_number_of_working_days_is_a_setting(settings):
    settings.FOLLOW_UP_TARGET_WORKING_DAYS = 3
    friday_evening = datetime(2026, 11, 27, 23, 30, tzinfo=LONDON)
    assert follow_up_due_on(friday_evening) == date(2026, 12, 2)


def test_the_day_asked_is_the_day_in_london():
    # 00:30 on Saturday in London is still Friday in UTC in summer: London's day counts.
    just_after_midnight = datetime(2026, 8, 1, 0, 30, tzinfo=LONDON)
    assert follow_up_due_on(just_after_midnight) == date(2026, 8, 4)


# --- asking ----------------------------------------------------------------------------------


@time_machine.travel(datetime(2026, 11, 27, 16, 0, tzinfo=LONDON), tick=False)
def test_a_request_records_how_soon_and_its_last_day(representative, worker):
    follow_up = ask(representative, urgency=FollowUp.Urgency.TODAY)
    assert (follow_up.urgency, follow_up.worker, follow_up.due_on) == (
        FollowUp.Urgency.TODAY,
        worker,
        date(2026, 12, 1),
    )
    assert not follow_up.is_picked_up and follow_up.call_by is None
    body = Message.objects.get(kind=Kind.FOLLOW_UP_REQUESTED).body_text
    assert "How soon they would like to hear from you: today, if you can." in body


def test_a_request_with_no_valid_urgency_is_refused(representative):
    with pytest.raises(FeedbackError, match="Choose how soon you would like a chat."):
        check_in_create(
            person=representative, opportunity=None, how_it_went=2, felt_valued=2, wants_chat=True, urgency=""
        )
    assert not FollowUp.objects.exists()


def test_the_check_in_form_asks_how_soon_and_shows_urgent_help(client, representative):
    client.force_login(representative)
    page = text_of(client.get(reverse("feedback:check_in_new")))
    assert "If you would like a chat, how soon?" in page
    for label in ("Today, if you can", "This week", "There is no rush"):
        assert label in page
    assert "Your worker will aim to call within 2 working days." in page
    assert "116 123" in page and "999" in page


def test_asking_for_a_chat_without_saying_how_soon_is_sent_back(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("feedback:check_in_new"),
        {"how_it_went": "2", "felt_valued": "2", "wants_chat": "on", "went_well": "Kept"},
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Error: How did it go?" in page
    assert page.count("Choose how soon you would like a chat") == 2  # the summary and the field
    assert "Kept" in page
    assert not FollowUp.objects.exists()


def test_no_urgency_is_needed_without_a_chat(client, representative):
    client.force_login(representative)
    response = client.post(reverse("feedback:check_in_new"), {"how_it_went": "4", "felt_valued": "4"})
    assert response.status_code == 302
    assert not FollowUp.objects.exists()


def test_the_chosen_urgency_reaches_the_follow_up(client, representative):
    client.force_login(representative)
    client.post(
        reverse("feedback:check_in_new"),
        {"how_it_went": "2", "felt_valued": "2", "wants_chat": "on", "urgency": "no_rush"},
    )
    assert FollowUp.objects.get().urgency == FollowUp.Urgency.NO_RUSH


# --- picking up ------------------------------------------------------------------------------


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=LONDON), tick=False)
def test_picking_up_records_the_date_and_tells_the_person(representative, worker):
    follow_up = ask(representative)
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=date(2026, 12, 3))
    follow_up.refresh_from_db()
    assert follow_up.call_by == date(2026, 12, 3) and follow_up.picked_up_at == timezone.now()
    assert follow_up.is_open
    told = Message.objects.get(kind=Kind.CHAT_REPLY, channel=Channel.EMAIL)
    assert told.recipient == representative
    assert told.subject == "Wendy Worker will call you by Thursday 3 December 2026"
    assert "Wendy Worker has seen your request for a chat and will call you by Thursday 3 December 2026." in (
        told.body_text
    )


def test_a_person_who_chose_texts_for_replies_gets_one(representative, worker, settings):
    settings.TEXT_MESSAGES_ENABLED = True
    profile = representative.profile
    profile.mobile_number, profile.text_kinds = "+447700900123", [Kind.CHAT_REPLY]
    profile.save()
    follow_up = ask(representative)
    call_by = timezone.localdate() + timedelta(days=1)
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=call_by)
    text = Message.objects.get(kind=Kind.CHAT_REPLY, channel=Channel.TEXT)
    assert text.to_phone == "+447700900123"
    assert text.body_text.startswith("Involvement Hub: Wendy Worker has seen your request for a chat")


def test_picking_up_again_with_the_same_date_tells_nobody_twice(representative, worker):
    follow_up = ask(representative)
    first = timezone.localdate() + timedelta(days=1)
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=first)
    picked_at = FollowUp.objects.get().picked_up_at
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=first)
    assert Message.objects.filter(kind=Kind.CHAT_REPLY).count() == 1
    # A new date is news: the person is told again, and the first pick-up time stays.
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=first + timedelta(days=1))
    assert Message.objects.filter(kind=Kind.CHAT_REPLY).count() == 2
    follow_up.refresh_from_db()
    assert follow_up.call_by == first + timedelta(days=1) and follow_up.picked_up_at == picked_at


def test_a_date_in_the_past_is_refused(representative, worker):
    follow_up = ask(representative)
    with pytest.raises(FeedbackError, match="The date you will call by must be today or later."):
        follow_up_pick_up(follow_up=follow_up, by=worker, call_by=timezone.localdate() - timedelta(days=1))
    follow_up.refresh_from_db()
    assert not follow_up.is_picked_up and not Message.objects.filter(kind=Kind.CHAT_REPLY).exists()
    # Today is fine.
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=timezone.localdate())


def test_a_closed_follow_up_cannot_be_picked_up(representative, worker):
    follow_up = ask(representative)
    follow_up_close(follow_up=follow_up, by=worker, action_taken="Phoned.")
    with pytest.raises(FeedbackError, match="This follow-up is already closed."):
        follow_up_pick_up(follow_up=follow_up, by=worker, call_by=timezone.localdate())


def test_closing_tells_the_person_it_is_done_without_what_was_written(representative, worker):
    follow_up = ask(representative)
    follow_up_close(follow_up=follow_up, by=worker, action_taken="Talked about the panel.")
    told = Message.objects.get(kind=Kind.CHAT_REPLY)
    assert told.recipient == representative and told.subject == "Your chat with Wendy Worker"
    assert "Wendy Worker has marked your request for a chat as done." in told.body_text
    assert "Talked about the panel." not in told.body_text + told.body_html


@time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=LONDON), tick=False)
def test_the_person_sees_who_will_call_and_when_then_that_it_is_done(client, representative, worker):
    follow_up = ask(representative, urgency=FollowUp.Urgency.TODAY)
    client.force_login(representative)
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert "You asked for a chat (today, if you can). Waiting for your worker to pick it up." in page
    follow_up_pick_up(follow_up=follow_up, by=worker, call_by=date(2026, 12, 3))
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert "Wendy Worker will call you by Thursday 3 December." in page
    follow_up_close(follow_up=follow_up, by=worker, action_taken="Phoned.")
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert "Done: Wendy Worker followed it up on Monday 30 November 2026." in page
    assert "will call you by" not in page


# --- the pick-up form -----------------------------------------------------------------------


def pick_up(client, follow_up, day: date | None):
    fields = {
        "action": "pick_up",
        "pick_up-call_by_day": "",
        "pick_up-call_by_month": "",
        "pick_up-call_by_year": "",
    }
    if day is not None:
        fields.update(
            {
                "pick_up-call_by_day": day.day,
                "pick_up-call_by_month": day.month,
                "pick_up-call_by_year": day.year,
            }
        )
    return client.post(reverse("feedback:follow_up", args=[follow_up.pk]), fields)


def test_the_worker_picks_it_up_on_the_follow_up_page(client, representative, worker):
    follow_up = ask(representative)
    client.force_login(worker)
    page = text_of(client.get(reverse("feedback:follow_up", args=[follow_up.pk])))
    assert "How soon" in page and "This week" in page and "Pick it up" in page
    day = timezone.localdate() + timedelta(days=2)
    response = pick_up(client, follow_up, day)
    assert response.status_code == 302 and response["Location"] == reverse(
        "feedback:follow_up", args=[follow_up.pk]
    )
    follow_up.refresh_from_db()
    assert follow_up.call_by == day and follow_up.is_open
    assert "Picked up. We have told them when you will call." in text_of(client.get(response["Location"]))


def test_the_pick_up_form_refuses_a_missing_or_past_date(client, representative, worker):
    follow_up = ask(representative)
    client.force_login(worker)
    response = pick_up(client, follow_up, None)
    page = text_of(response)
    assert response.status_code == 200 and "<title>Error: Follow-up" in page
    assert "Enter the date you will call by" in page
    response = pick_up(client, follow_up, timezone.localdate() - timedelta(days=1))
    assert "The date you will call by must be today or later." in text_of(response)
    follow_up.refresh_from_db()
    assert not follow_up.is_picked_up


@pytest.mark.parametrize(
    "role,status", [("representative", 403), ("other_worker", 404), ("manager", 403), ("worker", 302)]
)
def test_only_the_assigned_worker_may_pick_it_up(client, request, representative, role, status):
    follow_up = ask(representative)
    client.force_login(request.getfixturevalue(role))
    assert pick_up(client, follow_up, timezone.localdate()).status_code == status
    follow_up.refresh_from_db()
    assert follow_up.is_picked_up == (role == "worker")


def test_a_visitor_is_sent_to_log_in(client, representative):
    follow_up = ask(representative)
    response = pick_up(client, follow_up, timezone.localdate())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FollowUp.objects.get().is_picked_up


# --- the worker's order and the summary --------------------------------------------------------


def test_the_worker_sees_the_most_urgent_first_then_the_oldest(worker):
    people = [person(roles=[Role.REPRESENTATIVE], named_worker=worker) for _ in range(4)]
    start = timezone.now() - timedelta(days=3)
    made = []
    for hours, someone, urgency in [
        (0, people[0], FollowUp.Urgency.NO_RUSH),
        (1, people[1], FollowUp.Urgency.THIS_WEEK),
        (2, people[2], FollowUp.Urgency.TODAY),
        (3, people[3], FollowUp.Urgency.THIS_WEEK),
    ]:
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            made.append(ask(someone, urgency=urgency))
    assert list(follow_ups_waiting(worker=worker)) == [made[2], made[1], made[3], made[0]]


def test_the_worker_home_shows_how_soon_and_what_is_overdue(client, representative, worker):
    with time_machine.travel(timezone.now() - timedelta(days=10), tick=False):
        late = ask(representative, urgency=FollowUp.Urgency.TODAY)
    client.force_login(worker)
    page = text_of(client.get(reverse("worker:home")))
    assert "How soon: today, if you can." in page and "Overdue" in page
    follow_up_pick_up(follow_up=late, by=worker, call_by=timezone.localdate())
    page = text_of(client.get(reverse("worker:home")))
    assert "You said you will call by" in page and "Overdue" not in page


def test_the_daily_summary_lists_requests_not_picked_up_in_time(representative, outsider, worker):
    outsider.profile.named_worker = worker
    outsider.profile.save()
    with time_machine.travel(datetime(2026, 11, 27, 16, 0, tzinfo=LONDON), tick=False):
        late = ask(representative)  # due Tuesday 1 December
        picked = ask(outsider)
        follow_up_pick_up(follow_up=picked, by=worker, call_by=date(2026, 12, 4))
    assert worker_summaries_send(today=date(2026, 12, 1)) == 1
    body = Message.objects.get(kind=Kind.WORKER_SUMMARY).body_text
    assert "Requests for a chat not picked up within 2 working days" not in body
    Message.objects.filter(kind=Kind.WORKER_SUMMARY).delete()
    assert worker_summaries_send(today=date(2026, 12, 2)) == 1
    body = Message.objects.get(kind=Kind.WORKER_SUMMARY).body_text
    overdue, waiting = body.split("People waiting for a chat:")
    assert "Requests for a chat not picked up within 2 working days:" in overdue
    assert f"/worker/follow-ups/{late.pk}/" in overdue and f"/worker/follow-ups/{picked.pk}/" not in overdue
    assert "this week, asked Friday 27 November 2026, 4pm, due Tuesday 1 December 2026" in overdue
    assert f"/worker/follow-ups/{picked.pk}/" in waiting
