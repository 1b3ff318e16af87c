"""Opening claims at their edges, as mutation testing of opening.py found them untested
(docs/testing.md): only the sessions attended are paid, one claim the job cannot open stops
none of the others and is logged by its sign-up, and neither the people who did not attend nor
the number of sessions costs more queries."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import RateUnit
from opportunities.models import Attendance, Opportunity, Session, SignUp
from payments.models import Claim
from payments.services import claim_open, claim_submit, claims_open
from payments.tests.factories import attended_claim, held_opportunity

pytestmark = pytest.mark.django_db


def signed_up(opportunity: Opportunity, *, state: str = SignUp.State.ATTENDED, place: int = 1) -> SignUp:
    """Someone on the activity, with every session recorded (attended or not); no claim yet."""
    someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Person {place}")
    signup = SignUp.objects.create(opportunity=opportunity, person=someone, state=state, place_number=place)
    for session in opportunity.sessions.all():
        Attendance.objects.create(signup=signup, session=session, attended=state == SignUp.State.ATTENDED)
    return signup


def test_a_claim_that_cannot_be_opened_is_logged_by_its_sign_up_and_the_others_open(caplog):
    # A block rate promised without its length (data no form lets in, but the columns allow):
    # its fee cannot be worked out.
    broken = signed_up(held_opportunity(fee_unit=RateUnit.BLOCK, fee_block_hours=None))
    fine = signed_up(held_opportunity())
    with caplog.at_level(logging.ERROR, logger="involvement.jobs"):
        assert claims_open() == 1
    assert list(Claim.objects.values_list("signup", flat=True)) == [fine.pk]
    failures = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert failures == [f"open claims: item sign-up {broken.pk} failed (ValueError); the others go on."]


def test_people_who_did_not_attend_cost_the_job_no_queries(django_assert_num_queries):
    opportunity = held_opportunity(places=6)
    signed_up(opportunity, place=1)
    signed_up(opportunity, state=SignUp.State.NO_SHOW, place=2)
    later = opportunity.ends_at + timedelta(minutes=1)
    with CaptureQueriesContext(connection) as one_no_show:
        assert claims_open(now=later) == 1

    other = held_opportunity(places=6)
    signed_up(other, place=1)
    for place in range(2, 6):
        signed_up(other, state=SignUp.State.NO_SHOW, place=place)
    with django_assert_num_queries(len(one_no_show.captured_queries)):
        assert claims_open(now=later) == 1


def sessions_on(opportunity: Opportunity, *starts) -> None:
    """More sessions of two hours on the activity."""
    session = opportunity.sessions.get()
    for starts_at in starts:
        Session.objects.create(
            opportunity=opportunity,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            area=session.area,
            location=session.location,
        )


def test_a_claim_pays_the_sessions_attended_and_is_dated_by_the_last_of_them(representative):
    first = timezone.now() - timedelta(days=9)
    opportunity = held_opportunity(starts_at=first, hours=3)
    sessions_on(opportunity, first + timedelta(days=7))  # missed
    signup = SignUp.objects.create(
        opportunity=opportunity, person=representative, state=SignUp.State.ATTENDED, place_number=1
    )
    attended, missed = opportunity.sessions.order_by("starts_at")
    Attendance.objects.create(signup=signup, session=attended, attended=True)
    Attendance.objects.create(signup=signup, session=missed, attended=False)
    claim = claim_open(signup=signup)
    assert (claim.hours, claim.activity_date) == (Decimal("3.00"), timezone.localdate(attended.starts_at))
    assert claim.calculated_fee == Decimal("34.50")  # 3 hours at £11.50


def test_opening_a_claim_takes_no_more_queries_for_many_sessions_than_for_one(
    representative, outsider, django_assert_num_queries
):
    def attended_all(opportunity: Opportunity, someone) -> SignUp:
        signup = SignUp.objects.create(
            opportunity=opportunity, person=someone, state=SignUp.State.ATTENDED, place_number=1
        )
        for session in opportunity.sessions.all():
            Attendance.objects.create(signup=signup, session=session, attended=True)
        return signup

    start = timezone.now() - timedelta(days=30)
    one = attended_all(held_opportunity(starts_at=start), representative)
    many = held_opportunity(starts_at=start)
    sessions_on(many, *(start + timedelta(days=day) for day in (7, 14, 21)))
    many_signup = attended_all(many, outsider)
    with CaptureQueriesContext(connection) as for_one:
        claim_open(signup=one)
    with django_assert_num_queries(len(for_one.captured_queries)):
        claim = claim_open(signup=many_signup)
    assert claim.hours == Decimal("8.00")


def test_attendance_corrected_to_none_after_the_claim_opened_pays_no_fee_when_it_is_sent(representative):
    """Sending reads the hours again: a record corrected to "did not attend" leaves no hours."""
    claim = attended_claim(person=representative)
    assert claim.fee == Decimal("23.00")
    Attendance.objects.filter(signup=claim.signup).update(attended=False)
    claim = claim_submit(claim=claim, by=representative)
    assert (claim.hours, claim.fee) == (Decimal("0.00"), Decimal("0.00"))


def test_three_full_days_are_paid_as_24_hours_to_the_penny(representative):
    start = timezone.now() - timedelta(days=30)
    opportunity = held_opportunity(starts_at=start, hours=8)
    for day in (1, 2):
        Session.objects.create(
            opportunity=opportunity,
            starts_at=start + timedelta(days=day),
            ends_at=start + timedelta(days=day, hours=8),
            area="Central Leeds",
            location="1 Park Row, Leeds",
        )
    claim = attended_claim(person=representative, opportunity=opportunity)
    assert (claim.hours, claim.fee) == (Decimal("24.00"), Decimal("276.00"))  # 24 hours at £11.50
