"""The job that opens claims, at its edges, as mutation testing of opening.py found them
untested (docs/testing.md): one claim it cannot open stops none of the others and is logged by
its sign-up, and the people who did not attend cost the job nothing."""

import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import RateUnit
from opportunities.models import Attendance, Opportunity, SignUp
from payments.models import Claim
from payments.services import claims_open
from payments.tests.factories import held_opportunity

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
