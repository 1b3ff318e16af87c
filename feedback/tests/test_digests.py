"""What a digest holds, read as the representative reads it: this period's outcomes of what
they attended, new opportunities they can still sign up for, their next two weeks of sessions
and the check-ins still open, each on its own enough to send one, and nothing else.

Each test is built so that plausible wrong code (a filter dropped, a bound moved, the wrong
period) gives a different digest; `make mutation` showed the tests before these could not
tell. The clock is fixed on a Wednesday, so that "this week" began two days ago."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import ProfileFactory, UserFactory, person
from feedback.services import check_in_create, digests_build, outcome_publish, outcome_save
from notifications.kinds import DigestFrequency, Kind
from notifications.models import Message
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)  # the week began on Monday 23 November
State = SignUp.State


@pytest.fixture(autouse=True)
def on_a_wednesday():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


def rep(**profile) -> User:
    return person(roles=[Role.REPRESENTATIVE], **profile)


def finished(title: str, *, ended: datetime) -> Opportunity:
    return OpportunityFactory(
        title=title,
        status=Opportunity.Status.COMPLETED,
        sessions=[(ended - timedelta(hours=2), ended)],
        signup_deadline=ended - timedelta(days=5),
        places=5,
    )


def published_outcome(title: str, someone, *, state=State.ATTENDED, published: datetime) -> Opportunity:
    # Ended long enough ago that its check-in has closed: the outcome is all the digest has.
    opportunity = finished(title, ended=WEDNESDAY - timedelta(days=40))
    SignUp.objects.create(opportunity=opportunity, person=someone, state=state)
    with time_machine.travel(published, tick=False):
        outcome = outcome_save(
            opportunity=opportunity, by=opportunity.lead_worker, you_said="a", we_did=f"{title} changed."
        )
        outcome_publish(outcome=outcome, by=opportunity.lead_worker)
    return opportunity


def digest_of(someone) -> Message:
    return Message.objects.get(kind=Kind.DIGEST, recipient=someone)


def test_outcomes_are_this_weeks_for_activities_the_person_attended():
    someone = rep()
    published_outcome("Menu review", someone, published=WEDNESDAY - timedelta(days=1))
    published_outcome("Missed review", someone, state=State.NO_SHOW, published=WEDNESDAY - timedelta(days=1))
    published_outcome("Old review", someone, published=WEDNESDAY - timedelta(days=10))
    assert digests_build() == 1
    body = digest_of(someone).body_text
    assert "What changed because of you:\n- Menu review: Menu review changed.\n" in body
    assert "Missed review" not in body and "Old review" not in body


def test_only_old_outcomes_or_ones_they_missed_make_no_digest():
    someone = rep()
    published_outcome("Missed review", someone, state=State.NO_SHOW, published=WEDNESDAY - timedelta(days=1))
    published_outcome("Old review", someone, published=WEDNESDAY - timedelta(days=10))
    assert digests_build() == 0


def test_new_opportunities_are_those_published_this_week_that_are_still_open_to_sign_up():
    interview = ActivityTypeFactory(name="Interview panel")
    someone = rep()
    someone.profile.interests.set([interview])
    now = WEDNESDAY
    for title, fields in [
        ("Open panel", {}),
        ("Last week's panel", {"published_at": now - timedelta(days=8)}),
        ("Deadline passed panel", {"signup_deadline": now - timedelta(hours=1)}),
        ("Cancelled panel", {"status": Opportunity.Status.CANCELLED}),
        ("Draft panel", {"status": Opportunity.Status.DRAFT}),
    ]:
        OpportunityFactory(**{"activity_type": interview, "title": title, "published_at": now, **fields})
    assert digests_build() == 1
    body = digest_of(someone).body_text
    assert "New opportunities you may like:\n- Open panel (sign up by" in body
    for title in ("Last week's panel", "Deadline passed panel", "Cancelled panel", "Draft panel"):
        assert title not in body


def test_sessions_in_the_next_two_weeks_alone_make_a_digest():
    someone = rep()
    for title, ahead in [("Soon panel", timedelta(days=13)), ("Later panel", timedelta(days=14, hours=12))]:
        opportunity = OpportunityFactory(
            title=title,
            sessions=[(WEDNESDAY + ahead, WEDNESDAY + ahead + timedelta(hours=1))],
            signup_deadline=WEDNESDAY + timedelta(days=1),
        )
        SignUp.objects.create(opportunity=opportunity, person=someone, state=State.CONFIRMED)
    assert digests_build() == 1
    body = digest_of(someone).body_text
    assert "Your next sessions:\n- Soon panel: Tuesday 8 December 2026, 10am to 11am\n" in body
    assert "Later panel" not in body


def test_check_ins_still_open_alone_make_a_digest():
    someone = rep()
    recent = finished("Recent panel", ended=WEDNESDAY - timedelta(days=3))
    missed = finished("Missed panel", ended=WEDNESDAY - timedelta(days=3))
    done = finished("Checked-in panel", ended=WEDNESDAY - timedelta(days=3))
    too_old = finished("Long-ago panel", ended=WEDNESDAY - timedelta(days=31))
    for opportunity, state in [
        (recent, State.ATTENDED),
        (missed, State.NO_SHOW),
        (done, State.ATTENDED),
        (too_old, State.ATTENDED),
    ]:
        SignUp.objects.create(opportunity=opportunity, person=someone, state=state)
    check_in_create(person=someone, opportunity=done, how_it_went=4, felt_valued=4)
    assert digests_build() == 1
    body = digest_of(someone).body_text
    assert (
        "Tell us how it went, if you would like to:\n"
        f"- Recent panel: {settings.SITE_URL}/me/check-ins/new/?opportunity={recent.pk}\n"
    ) in body
    for title in ("Missed panel", "Checked-in panel", "Long-ago panel"):
        assert title not in body


def test_a_monthly_digest_covers_the_month_so_far_says_so_and_goes_once_a_month():
    someone = rep(digest_frequency=DigestFrequency.MONTHLY)
    # Published on 2 November: in November's digest, though not in this week's.
    published_outcome("Menu review", someone, published=datetime(2026, 11, 2, 12, 0, tzinfo=LONDON))
    assert digests_build(frequency=DigestFrequency.MONTHLY) == 1
    message = digest_of(someone)
    assert message.subject == "Your Involvement Hub monthly digest"
    assert "- Menu review: Menu review changed." in message.body_text
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=LONDON), tick=False):
        assert digests_build(frequency=DigestFrequency.MONTHLY) == 0  # a new week, the same month


def test_people_who_have_left_get_no_digest():
    someone = rep()
    published_outcome("Menu review", someone, published=WEDNESDAY - timedelta(days=1))
    User.objects.filter(pk=someone.pk).update(is_active=False)
    assert digests_build() == 0


# --- written for the survivors of `make mutation` at cc819dc (docs/testing.md) ------------------


def confirmed_for(
    someone, title: str, *, start: datetime, status=Opportunity.Status.PUBLISHED, state=State.CONFIRMED
):
    opportunity = OpportunityFactory(
        title=title,
        status=status,
        sessions=[(start, start + timedelta(hours=1))],
        signup_deadline=WEDNESDAY - timedelta(days=5),
    )
    SignUp.objects.create(opportunity=opportunity, person=someone, state=state)
    return opportunity


@pytest.mark.parametrize(
    ("days_after_today", "gets_one"),
    [(None, False), (1, False), (0, False), (-1, True)],
    ids=["open-ended break", "ends tomorrow", "ends today", "ended yesterday"],
)
def test_someone_on_a_break_gets_no_digest_until_the_day_after_it_ends(days_after_today, gets_one):
    today = WEDNESDAY.date()
    until = None if days_after_today is None else today + timedelta(days=days_after_today)
    someone = rep(taking_break=True, break_until=until)
    confirmed_for(someone, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    assert digests_build() == (1 if gets_one else 0)


def test_the_next_sessions_are_those_still_to_come_of_places_confirmed_on_activities_going_ahead():
    someone = rep()
    confirmed_for(someone, "Coming panel", start=WEDNESDAY + timedelta(days=2))
    confirmed_for(someone, "Yesterday panel", start=WEDNESDAY - timedelta(days=1))
    confirmed_for(
        someone, "Cancelled panel", start=WEDNESDAY + timedelta(days=3), status=Opportunity.Status.CANCELLED
    )
    confirmed_for(someone, "Withdrawn panel", start=WEDNESDAY + timedelta(days=4), state=State.WITHDRAWN)
    # Closed to newcomers, still going ahead for those confirmed.
    confirmed_for(
        someone, "Closed panel", start=WEDNESDAY + timedelta(days=5), status=Opportunity.Status.CLOSED
    )
    assert digests_build() == 1
    body = digest_of(someone).body_text
    assert "Coming panel" in body and "Closed panel" in body
    for title in ("Yesterday panel", "Cancelled panel", "Withdrawn panel"):
        assert title not in body


def test_someone_with_nothing_this_week_does_not_stop_the_digests_of_the_people_after_them():
    nothing_for_them, someone = rep(), rep()
    assert nothing_for_them.pk < someone.pk
    confirmed_for(someone, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    assert digests_build() == 1
    assert digest_of(someone)


def test_an_interest_with_nothing_new_this_week_does_not_stop_the_digest():
    someone = rep()
    someone.profile.interests.set([ActivityTypeFactory(name="Reading group")])
    confirmed_for(someone, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    assert digests_build() == 1
    assert "Soon panel" in digest_of(someone).body_text


def test_a_weekly_digest_goes_again_the_next_week(on_a_wednesday):
    someone = rep()
    confirmed_for(someone, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    confirmed_for(someone, "Next week's panel", start=WEDNESDAY + timedelta(days=9))
    assert digests_build() == 1
    on_a_wednesday.shift(timedelta(days=7))
    assert digests_build() == 1
    assert Message.objects.filter(kind=Kind.DIGEST, recipient=someone).count() == 2


def test_a_digest_lists_at_most_ten_new_opportunities():
    interview = ActivityTypeFactory(name="Interview panel")
    someone = rep()
    someone.profile.interests.set([interview])
    for number in range(11):
        OpportunityFactory(activity_type=interview, title=f"Panel number {number}", published_at=WEDNESDAY)
    assert digests_build() == 1
    assert digest_of(someone).body_text.count("- Panel number ") == 10


# --- written for the survivors of `make mutation` after 0e09a7d (docs/testing.md) --------------


def test_listing_the_next_sessions_of_many_people_takes_no_more_queries_than_for_one(
    django_assert_max_num_queries,
):
    """Each session coming up is listed with its activity's title, read with the session:
    four people with three sessions between them cost what one person with one session
    does, not a query more for each session listed."""
    first = rep()
    confirmed_for(first, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    with CaptureQueriesContext(connection) as one_person:
        assert digests_build() == 1
    Message.objects.all().delete()
    for number in range(3):
        confirmed_for(rep(), f"Panel number {number}", start=WEDNESDAY + timedelta(days=3 + number))
    with django_assert_max_num_queries(len(one_person.captured_queries)):
        assert digests_build() == 4
    assert "Your next sessions:\n- Panel number 2: " in Message.objects.latest("pk").body_text


def test_a_week_with_more_than_two_hundred_new_opportunities_offers_the_two_hundred_soonest():
    """A digest chooses its new opportunities from the 200 published this period that start
    soonest: someone interested only in the 201st, which starts last, hears of nothing new,
    while someone interested in the others hears of the soonest ten."""
    interview, reading = (
        ActivityTypeFactory(name="Interview panel"),
        ActivityTypeFactory(name="Reading group"),
    )
    panels, readers = rep(), rep()
    panels.profile.interests.set([interview])
    readers.profile.interests.set([reading])
    first = OpportunityFactory(activity_type=interview, title="Panel number 0", published_at=WEDNESDAY)
    # Bulk-created copies of the first, each starting an hour after the one before.
    fields = {
        f.attname: getattr(first, f.attname)
        for f in Opportunity._meta.concrete_fields
        if not f.primary_key and not f.generated
    }
    Opportunity.objects.bulk_create(
        Opportunity(
            **{
                **fields,
                "title": f"Panel number {number}",
                "starts_at": first.starts_at + timedelta(hours=number),
            }
        )
        for number in range(1, 200)
    )
    OpportunityFactory(
        activity_type=reading,
        title="The last to start",
        published_at=WEDNESDAY,
        sessions=[(first.starts_at + timedelta(days=30), first.starts_at + timedelta(days=30, hours=1))],
    )
    assert Opportunity.objects.filter(published_at=WEDNESDAY).count() == 201
    assert digests_build() == 1
    body = digest_of(panels).body_text
    assert body.count("- Panel number ") == 10 and "- Panel number 9 (sign up by" in body
    assert not Message.objects.filter(kind=Kind.DIGEST, recipient=readers).exists()


def test_the_representative_whose_account_is_number_one_gets_a_digest_like_everyone_else():
    """The batches of people start from the very first account: the first person ever to
    join, account number 1, is not skipped."""
    first_ever = rep()
    if first_ever.pk != 1:
        # The ids' sequence is past 1 already (earlier tests), so the account made by hand
        # with id 1 cannot clash with those made after it.
        first_ever = UserFactory(pk=1, roles=[Role.REPRESENTATIVE])
        ProfileFactory(user=first_ever)
    confirmed_for(first_ever, "Soon panel", start=WEDNESDAY + timedelta(days=2))
    assert digests_build() == 1
    assert "Soon panel" in digest_of(first_ever).body_text
