"""The worker's daily summary, read as the worker reads it: which offers lapse today, which
outcomes are overdue on the day it is for, that it is dated, and who gets one.

Each test is built so that plausible wrong code (a filter dropped, a bound moved, the day
ignored) gives a different summary; `make mutation` showed the ones these replace could not
tell."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from feedback import summary_sections
from feedback.models import CheckIn, FollowUp
from feedback.services import check_in_create, worker_summaries_send
from feedback.summary_sections import SummaryLine, SummarySection
from involvement.templatetags.nhs_dates import nhs_date
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Nine in the morning: an offer can lapse later today, and one can have lapsed already.
NINE_AM = datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)


def summary_for(worker) -> Message:
    return Message.objects.get(kind=Kind.WORKER_SUMMARY, recipient=worker)


def offer(*, lead, title: str, expires_at: datetime, state=SignUp.State.OFFERED) -> SignUp:
    opportunity = OpportunityFactory(lead_worker=lead, title=title, places=5)
    return SignUp.objects.create(
        opportunity=opportunity,
        person=person(roles=[Role.REPRESENTATIVE]),
        state=state,
        offer_expires_at=expires_at,
    )


def test_offers_lapsing_later_today_are_listed_for_their_lead_worker_and_no_others(worker, other_worker):
    with time_machine.travel(NINE_AM, tick=False):
        offer(lead=worker, title="Ward panel", expires_at=NINE_AM.replace(hour=17))
        offer(lead=worker, title="Tomorrow's panel", expires_at=NINE_AM + timedelta(days=1))
        # Still marked offered (the expiry job has not run yet), but no longer lapsing "today".
        offer(lead=worker, title="Lapsed panel", expires_at=NINE_AM.replace(hour=8))
        # Accepted before it lapsed: nothing for the worker to chase.
        offer(
            lead=worker,
            title="Accepted panel",
            expires_at=NINE_AM.replace(hour=17),
            state=SignUp.State.CONFIRMED,
        )
        assert worker_summaries_send() == 1
    body = summary_for(worker).body_text
    assert "Offers lapsing today:\n- Ward panel, at 5pm\n" in body
    for title in ("Tomorrow's panel", "Lapsed panel", "Accepted panel"):
        assert title not in body
    assert not Message.objects.filter(kind=Kind.WORKER_SUMMARY, recipient=other_worker).exists()


def test_the_summary_is_dated_the_day_it_is_for(worker):
    with time_machine.travel(NINE_AM, tick=False):
        offer(lead=worker, title="Ward panel", expires_at=NINE_AM.replace(hour=17))
        worker_summaries_send()
    assert summary_for(worker).subject == "Your summary for Tuesday 10 March 2026"


def test_outcomes_overdue_are_counted_on_the_day_the_summary_is_for(worker):
    # Finished 20 days ago: due in 8 days (28 after the end), so overdue in a summary for
    # 10 days from now, not in today's.
    end = datetime.now(tz=LONDON) - timedelta(days=20)
    late = OpportunityFactory(
        lead_worker=worker,
        title="Leaflet review",
        status=Opportunity.Status.COMPLETED,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
    )
    assert worker_summaries_send() == 0
    in_ten_days = timezone.localdate() + timedelta(days=10)
    assert worker_summaries_send(today=in_ten_days) == 1
    message = summary_for(worker)
    assert f"- Leaflet review, finished {nhs_date(late.ends_at)}" in message.body_text
    assert message.subject == f"Your summary for {nhs_date(in_ten_days)}"


def test_a_worker_who_has_left_gets_no_summary(worker, representative):
    end = datetime.now(tz=LONDON) - timedelta(days=2)
    opportunity = OpportunityFactory(
        lead_worker=worker,
        status=Opportunity.Status.COMPLETED,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
    )
    SignUp.objects.create(opportunity=opportunity, person=representative, state=SignUp.State.ATTENDED)
    check_in_create(
        person=representative, opportunity=opportunity, how_it_went=2, felt_valued=2, wants_chat=True
    )
    User.objects.filter(pk=worker.pk).update(is_active=False)
    assert worker_summaries_send() == 0
    assert not Message.objects.filter(kind=Kind.WORKER_SUMMARY).exists()


def test_summaries_take_the_same_queries_for_one_worker_or_many(django_assert_max_num_queries):
    workers = [person(roles=[Role.WORKER]) for _ in range(4)]
    with time_machine.travel(NINE_AM, tick=False):
        offer(lead=workers[0], title="First panel", expires_at=NINE_AM.replace(hour=17))
        with django_assert_max_num_queries(20) as one:
            assert worker_summaries_send() == 1
        for index, worker in enumerate(workers[1:]):
            offer(lead=worker, title=f"Panel {index}", expires_at=NINE_AM.replace(hour=17))
        Message.objects.all().delete()
        with django_assert_max_num_queries(len(one.captured_queries)):
            assert worker_summaries_send() == 4


@pytest.fixture
def extra_section():
    """A section from an app above feedback, as home registers the overdue claims: given
    here by the test, then the registry is put back as it was."""
    saved = dict(summary_sections._providers)
    given: dict[int, SummarySection] = {}
    summary_sections.summary_section_register("test", lambda *, today: dict(given))
    yield given
    summary_sections._providers.clear()
    summary_sections._providers.update(saved)


def test_a_section_another_app_registers_is_in_the_summary_and_reason_enough_to_send_one(
    worker, other_worker, extra_section
):
    extra_section[worker.pk] = SummarySection(
        heading="Claims not paid within 14 days",
        lines=[SummaryLine(text="2 claims for opportunities you lead", path="/worker/claims/")],
    )
    # A section with nothing in it sends nothing.
    extra_section[other_worker.pk] = SummarySection(heading="Claims not paid within 14 days")

    assert worker_summaries_send() == 1

    body = summary_for(worker).body_text
    assert "Claims not paid within 14 days:\n- 2 claims for opportunities you lead: " in body
    assert "/worker/claims/\n" in body
    assert not Message.objects.filter(kind=Kind.WORKER_SUMMARY, recipient=other_worker).exists()


def test_registering_a_section_again_replaces_it(worker, extra_section):
    extra_section[worker.pk] = SummarySection(heading="Once", lines=[SummaryLine(text="only once")])
    summary_sections.summary_section_register("test", lambda *, today: dict(extra_section))
    worker_summaries_send()
    assert summary_for(worker).body_text.count("only once") == 1


def test_each_person_waiting_for_a_chat_is_listed_with_a_link_to_their_request(worker, representative):
    """`make mutation`: a list of follow-ups with nothing in it (each entry lost) still gave a
    summary; the worker must be able to open each request from it."""
    activity = OpportunityFactory(lead_worker=worker)
    check_in = CheckIn.objects.create(
        person=representative, opportunity=activity, how_it_went=3, felt_valued=3, wants_chat=True
    )
    # Asked today: due in FOLLOW_UP_TARGET_WORKING_DAYS, so not yet late.
    follow_up = FollowUp.objects.create(check_in=check_in, person=representative, worker=worker)
    assert worker_summaries_send() == 1
    body = summary_for(worker).body_text
    assert "People waiting for a chat:" in body
    assert f"/worker/follow-ups/{follow_up.pk}/" in body
