"""The feedback loop's lists and homes run a fixed number of queries, however much data there
is (PRODUCT.md, non-functional promises). Each page is measured with a few rows and with
many: the same bound must hold for both, so an N+1 query fails the larger case.

The bounds are what each page ran when measured (noted beside each), plus a margin of two.
For a signed-in person about seven go on the request itself (the session, the user, their
roles, the unread-messages count, and writing the session back), so each signed-in page is
asked for once before it is measured: the first request of a session does one-off work.

Every row gets its own team and activity type (the factories make new ones), so a missing
select_related shows as one query per row.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import CheckIn, FollowUp, Outcome
from opportunities.models import Opportunity, SignUp
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 40
SIZES = pytest.mark.parametrize("rows", [FEW, MANY], ids=["few", "many"])
Status = Opportunity.Status
State = SignUp.State


def ended(days_ago: int, *, status=Status.COMPLETED, **fields) -> Opportunity:
    """An opportunity whose one session ended `days_ago` days ago."""
    end = timezone.now() - timedelta(days=days_ago)
    return OpportunityFactory(
        status=status,
        sessions=[(end - timedelta(hours=2), end)],
        signup_deadline=end - timedelta(days=5),
        **fields,
    )


def published_outcome(opportunity: Opportunity, *, by, number: int = 0) -> Outcome:
    return Outcome.objects.create(
        opportunity=opportunity,
        you_said=f"You said {number}",
        we_did=f"We did {number}",
        evidence_url="https://www.example.nhs.uk/report",
        follow_up_on=timezone.localdate() + timedelta(days=60),
        status=Outcome.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=number),
        written_by=by,
    )


def rep(**profile):
    return person(roles=[Role.REPRESENTATIVE], **profile)


# --- /outcomes/ ------------------------------------------------------------------------------


@pytest.fixture
def outcomes(worker):
    def make(rows: int) -> None:
        for number in range(rows):
            published_outcome(ended(3 + number, lead_worker=worker), by=worker, number=number)
        # Drafts are left out, not counted.
        Outcome.objects.create(
            opportunity=ended(2, lead_worker=worker), you_said="S", we_did="D", written_by=worker
        )

    return make


@SIZES
def test_outcomes_run_a_fixed_number_of_queries(client, outcomes, rows, django_assert_max_num_queries):
    outcomes(rows)
    with django_assert_max_num_queries(6):  # measured: 4
        response = client.get(reverse("feedback:outcomes"))
    assert len(response.context["page"].object_list) == min(rows, 20)
    assert response.content.decode().count("See the evidence") == min(rows, 20)


@SIZES
def test_outcomes_for_a_signed_in_person_with_filters_run_a_fixed_number_of_queries(
    client, outcomes, representative, rows, django_assert_max_num_queries
):
    outcomes(rows)
    first = Outcome.objects.filter(status=Outcome.Status.PUBLISHED).select_related("opportunity").first()
    client.force_login(representative)
    client.get(reverse("feedback:outcomes"))
    with django_assert_max_num_queries(13):  # measured: 11
        response = client.get(
            reverse("feedback:outcomes"),
            {"team": first.opportunity.team_id, "activity_type": first.opportunity.activity_type_id},
        )
    assert len(response.context["page"].object_list) == 1


# --- check-ins -------------------------------------------------------------------------------


@pytest.fixture
def check_ins(representative, worker):
    """`rows` check-ins by the representative, each about an activity of its own, every other
    one asking for a chat (and every fourth chat done)."""

    def make(rows: int) -> None:
        for number in range(rows):
            activity = ended(3 + number, lead_worker=worker)
            SignUp.objects.create(opportunity=activity, person=representative, state=State.ATTENDED)
            check_in = CheckIn.objects.create(
                person=representative,
                opportunity=activity,
                how_it_went=1 + number % 5,
                felt_valued=1 + number % 5,
                went_well=f"Went well {number}",
                could_be_better=f"Could be better {number}",
                wants_chat=number % 2 == 0,
            )
            if check_in.wants_chat:
                closed = number % 4 == 0
                FollowUp.objects.create(
                    check_in=check_in,
                    person=representative,
                    worker=worker,
                    status=FollowUp.Status.CLOSED if closed else FollowUp.Status.OPEN,
                    closed_at=timezone.now() if closed else None,
                    due_on=timezone.localdate(),
                    # Picked up, so that the page names the worker of each: still no more queries.
                    picked_up_at=timezone.now() if number % 8 == 2 else None,
                    call_by=timezone.localdate() if number % 8 == 2 else None,
                )

    return make


@SIZES
def test_my_check_ins_run_a_fixed_number_of_queries(
    client, representative, check_ins, rows, django_assert_max_num_queries
):
    check_ins(rows)
    client.force_login(representative)
    client.get(reverse("feedback:my_check_ins"))
    with django_assert_max_num_queries(11):  # measured: 9
        response = client.get(reverse("feedback:my_check_ins"))
    assert len(response.context["page"].object_list) == min(rows, 20)
    page = response.content.decode()
    assert "Done: Wendy Worker followed it up on" in page
    assert "Wendy Worker will call you by" in page


@SIZES
def test_a_persons_check_ins_run_a_fixed_number_of_queries_for_their_worker(
    client, representative, worker, check_ins, rows, django_assert_max_num_queries
):
    check_ins(rows)
    address = reverse("feedback:person_check_ins", args=[representative.pk])
    client.force_login(worker)
    client.get(address)
    with django_assert_max_num_queries(12):  # measured: 10 (9 while the rules are not loaded)
        response = client.get(address)
    assert len(response.context["check_ins"]) == rows
    assert f"Went well {rows - 1}" in response.content.decode()
