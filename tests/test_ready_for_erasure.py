"""Ready for erasure (issue 11, item 7; docs/adr/0009-erasing-a-person.md): a person with
history cannot be deleted, because deleting them would take their sign-ups, attendance,
check-ins and messages with them behind the counts' back; erasing them will mean anonymising
them. And the records that outlive a person keep ids, not names: the selection ranking, and
the message a worker gets when someone asks for a chat."""

import importlib
import json

import pytest
from django.apps import apps
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.models import AccessLogEntry, User
from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import CheckIn, FollowUp, Outcome
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import (
    Attendance,
    Opportunity,
    OpportunityEvent,
    SelectionDraw,
    SelectionMethod,
    SignUp,
    SignUpEvent,
)
from opportunities.services import selection_preview, signup_create
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

APPLIED = SignUp.State.APPLIED


def someone(name: str = "Sam") -> User:
    return person(roles=[Role.REPRESENTATIVE], display_name=name)


def someone_elses_signup(opportunity: Opportunity) -> SignUp:
    return SignUp.objects.create(opportunity=opportunity, person=someone("Other"), state=APPLIED)


def someone_elses_check_in() -> CheckIn:
    return CheckIn.objects.create(person=someone("Other"), how_it_went=3, felt_valued=3, wants_chat=True)


# Each builds one record that names `who` in one way and nothing else, so that each case
# proves its own foreign key.
HISTORY = {
    "a sign-up": lambda who, opp: SignUp.objects.create(opportunity=opp, person=who, state=APPLIED),
    "a change of state they made": lambda who, opp: SignUpEvent.objects.create(
        signup=someone_elses_signup(opp), to_state=APPLIED, actor=who
    ),
    "attendance they recorded": lambda who, opp: Attendance.objects.create(
        signup=someone_elses_signup(opp), session=opp.sessions.first(), attended=True, recorded_by=who
    ),
    "a change of lead they made": lambda who, opp: OpportunityEvent.objects.create(
        opportunity=opp, kind=OpportunityEvent.Kind.LEAD_CHANGED, actor=who
    ),
    "having led an opportunity before": lambda who, opp: OpportunityEvent.objects.create(
        opportunity=opp, kind=OpportunityEvent.Kind.LEAD_CHANGED, previous_lead=who
    ),
    "having been made lead": lambda who, opp: OpportunityEvent.objects.create(
        opportunity=opp, kind=OpportunityEvent.Kind.LEAD_CHANGED, new_lead=who
    ),
    "a selection they ran": lambda who, opp: SelectionDraw.objects.create(
        opportunity=opp, seed="s", run_by=who
    ),
    "an outcome they wrote": lambda who, opp: Outcome.objects.create(
        opportunity=opp, you_said="You said", we_did="We did", written_by=who
    ),
    "a check-in": lambda who, opp: CheckIn.objects.create(person=who, how_it_went=4, felt_valued=5),
    "a follow-up about them": lambda who, opp: FollowUp.objects.create(
        check_in=someone_elses_check_in(), person=who, worker=opp.lead_worker
    ),
    "a follow-up they closed": lambda who, opp: FollowUp.objects.create(
        check_in=someone_elses_check_in(), person=someone("Third"), worker=opp.lead_worker, closed_by=who
    ),
    "a message to them": lambda who, opp: Message.objects.create(
        recipient=who,
        to_email=who.email,
        kind=Kind.WELCOME,
        dedupe_key="welcome:x",
        subject="Hi",
        body_text="Hi",
    ),
    "reading someone's notes": lambda who, opp: AccessLogEntry.objects.create(
        viewer=who, subject=someone("Other"), what=AccessLogEntry.What.SUPPORT_NOTE
    ),
    "their notes being read": lambda who, opp: AccessLogEntry.objects.create(
        viewer=opp.lead_worker, subject=who, what=AccessLogEntry.What.SUPPORT_NOTE
    ),
}


@pytest.mark.parametrize("history", HISTORY)
def test_it_refuses_to_delete_a_person_with_history(history):
    who = someone()
    record = HISTORY[history](who, OpportunityFactory())
    with pytest.raises(ProtectedError):
        who.delete()
    assert User.objects.filter(pk=who.pk).exists()
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_confirmed_place_and_its_count_survive_an_attempt_to_delete_the_person():
    opportunity = OpportunityFactory(places=2)
    who = someone()
    signup_create(opportunity=opportunity, person=who)
    with pytest.raises(ProtectedError):
        who.delete()
    opportunity.refresh_from_db()
    assert opportunity.places_taken == 1
    assert opportunity.signups.get().state == SignUp.State.CONFIRMED


def test_a_person_with_no_history_can_still_be_deleted():
    # An account made and never used: nothing hangs on it, so nothing is protected.
    who = someone()
    who.delete()
    assert not User.objects.filter(pk=who.pk).exists()


# --- the selection ranking keeps ids --------------------------------------------------------


@pytest.fixture
def fair_share(worker):
    opportunity = OpportunityFactory(
        lead_worker=worker, places=1, selection_method=SelectionMethod.FAIR_SHARE
    )
    for name in ("Robin Applicant", "Olive Applicant"):
        signup_create(opportunity=opportunity, person=someone(name))
    return opportunity


def test_a_selection_ranking_holds_ids_not_names(fair_share, worker):
    draw = selection_preview(opportunity=fair_share, by=worker)
    draw.refresh_from_db()
    signups = {s.pk: s.person_id for s in fair_share.signups.all()}
    assert {row["signup_id"]: row["person_id"] for row in draw.ranking} == signups
    stored = json.dumps(draw.ranking)
    for applicant in User.objects.filter(pk__in=signups.values()):
        assert applicant.profile.display_name not in stored and applicant.email not in stored
    assert all("person_name" not in row for row in draw.ranking)


def selection_page(client, worker, draw) -> str:
    client.force_login(worker)
    response = client.get(reverse("opportunities:selection", args=[draw.opportunity_id, draw.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_selection_page_still_shows_names_read_when_it_is_shown(client, fair_share, worker):
    draw = selection_preview(opportunity=fair_share, by=worker)
    page = selection_page(client, worker, draw)
    assert "Robin Applicant" in page and "Olive Applicant" in page
    # What erasing someone will do to their name shows at once: the draw kept no copy.
    robin = User.objects.get(profile__display_name="Robin Applicant")
    robin.profile.display_name = "Former participant"
    robin.profile.save()
    page = selection_page(client, worker, draw)
    assert "Robin Applicant" not in page and "Former participant" in page and "Olive Applicant" in page


def test_the_selection_page_reads_every_name_in_one_query(client, worker, django_assert_max_num_queries):
    opportunity = OpportunityFactory(
        lead_worker=worker, places=2, selection_method=SelectionMethod.FAIR_SHARE
    )
    for n in range(12):
        signup_create(opportunity=opportunity, person=someone(f"Applicant {n}"))
    draw = selection_preview(opportunity=opportunity, by=worker)
    client.force_login(worker)
    url = reverse("opportunities:selection", args=[opportunity.pk, draw.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert all(f"Applicant {n}<" in page for n in range(12))


def test_rankings_recorded_with_names_are_rewritten_with_ids(fair_share, worker):
    draw = selection_preview(opportunity=fair_share, by=worker)
    old = [{**row, "person_name": "Robin Applicant"} for row in draw.ranking]
    for row in old:
        del row["person_id"]
    SelectionDraw.objects.filter(pk=draw.pk).update(ranking=old)
    migration = importlib.import_module("opportunities.migrations.0009_ranking_ids_not_names")
    migration.names_to_ids(apps, None)
    draw.refresh_from_db()
    assert "Robin" not in json.dumps(draw.ranking)
    people = dict(fair_share.signups.values_list("pk", "person_id"))
    assert {row["signup_id"]: row["person_id"] for row in draw.ranking} == people
