"""Choosing a person's named worker and the contact log (accounts.caseload), and who may
read the log. What the messages say, the lead worker's part and the pages are tested in
home/tests/test_people_pages.py, which may reach the apps above accounts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.caseload import contact_log_add, named_worker_assign
from accounts.models import ContactChannel, ContactLogEntry, NamedWorkerChange, User
from accounts.permissions import Role
from accounts.selectors import people_awaiting_named_worker
from accounts.services import AccountsError
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


def _named_worker_of(someone: User):
    someone.profile.refresh_from_db()
    return someone.profile.named_worker


# --- named_worker_assign -------------------------------------------------------------------


def test_it_makes_the_worker_the_named_worker_and_records_who_when_and_why(
    representative, worker, other_worker, messages_asked
):
    before = timezone.now()
    change = named_worker_assign(
        person=representative, worker=other_worker, by=worker, reason="  Handing over  "
    )
    assert _named_worker_of(representative) == other_worker
    change.refresh_from_db()
    assert (change.person, change.previous_worker, change.new_worker, change.by) == (
        representative,
        worker,
        other_worker,
        worker,
    )
    assert change.reason == "Handing over"
    assert change.created_at >= before


def test_it_tells_the_person_the_new_worker_and_the_one_before(
    representative, worker, other_worker, messages_asked
):
    change = named_worker_assign(person=representative, worker=other_worker, by=worker, reason="Leaving")
    told = {(m.recipient, m.context["role"]) for m in messages_asked}
    assert told == {(representative, "person"), (other_worker, "new"), (worker, "previous")}
    assert {m.kind for m in messages_asked} == {"named_worker_changed"}
    assert {m.dedupe_key for m in messages_asked} == {
        f"named_worker:{change.pk}:person",
        f"named_worker:{change.pk}:new",
        f"named_worker:{change.pk}:previous",
    }
    by_role = {m.context["role"]: m.context for m in messages_asked}
    # The reason is for the workers; the person is told who, not why.
    assert by_role["person"]["reason"] == ""
    assert by_role["new"]["reason"] == by_role["previous"]["reason"] == "Leaving"
    assert by_role["previous"]["by_you"] is True
    assert by_role["new"]["by_you"] is False
    assert by_role["new"]["new_name"] == "Otto Other"
    assert by_role["new"]["previous_name"] == "Wendy Worker"
    assert by_role["new"]["person_name"] == "Robin"


def test_a_first_named_worker_tells_the_person_and_the_worker(
    outsider, other_worker, manager, messages_asked
):
    change = named_worker_assign(person=outsider, worker=other_worker, by=manager)
    assert change.previous_worker is None
    assert {(m.recipient, m.context["role"]) for m in messages_asked} == {
        (outsider, "person"),
        (other_worker, "new"),
    }
    assert _named_worker_of(outsider) == other_worker


def test_choosing_the_same_worker_again_changes_nothing(representative, worker, messages_asked):
    with pytest.raises(AccountsError, match="Wendy Worker is already their named worker") as refused:
        named_worker_assign(person=representative, worker=worker, by=worker)
    assert refused.value.field == "worker"
    assert not NamedWorkerChange.objects.exists()
    assert messages_asked == []


@pytest.mark.parametrize("role", [Role.MANAGER, Role.REPRESENTATIVE, Role.ADMINISTRATOR])
def test_only_an_involvement_worker_can_be_a_named_worker(outsider, worker, messages_asked, role):
    not_a_worker = person(roles=[role])
    with pytest.raises(AccountsError, match="Choose an involvement worker") as refused:
        named_worker_assign(person=outsider, worker=not_a_worker, by=worker)
    assert refused.value.field == "worker"
    assert _named_worker_of(outsider) is None
    assert messages_asked == []


def test_a_worker_who_has_left_cannot_be_chosen(outsider, worker, other_worker):
    User.objects.filter(pk=other_worker.pk).update(is_active=False)
    other_worker.refresh_from_db()
    with pytest.raises(AccountsError, match="Choose an involvement worker"):
        named_worker_assign(person=outsider, worker=other_worker, by=worker)


@pytest.mark.parametrize("role", [Role.REPRESENTATIVE, Role.ADMINISTRATOR, Role.FINANCE])
def test_only_workers_and_managers_choose_a_named_worker(outsider, worker, messages_asked, role):
    with pytest.raises(AccountsError, match="Only involvement workers and managers"):
        named_worker_assign(person=outsider, worker=worker, by=person(roles=[role]))
    assert _named_worker_of(outsider) is None
    assert messages_asked == []


def test_only_a_representative_has_a_named_worker(worker, other_worker, manager):
    with pytest.raises(AccountsError, match="Only a representative"):
        named_worker_assign(person=other_worker, worker=worker, by=manager)
    assert not NamedWorkerChange.objects.exists()


def test_a_reason_past_its_limit_is_refused_beside_its_field(outsider, worker, messages_asked):
    with pytest.raises(AccountsError, match="300 characters or fewer") as refused:
        named_worker_assign(person=outsider, worker=worker, by=worker, reason="x" * 301)
    assert refused.value.field == "reason"
    named_worker_assign(person=outsider, worker=worker, by=worker, reason="x" * 300)
    assert _named_worker_of(outsider) == worker


# --- contact_log_add -----------------------------------------------------------------------


def _add(person, by, **overrides):
    data = {
        "contacted_on": timezone.localdate(),
        "channel": ContactChannel.PHONE,
        "summary": "Talked about the panel in March.",
    }
    return contact_log_add(person=person, by=by, **{**data, **overrides})


def test_the_named_worker_adds_a_contact(representative, worker):
    yesterday = timezone.localdate() - timedelta(days=1)
    entry = _add(
        representative,
        worker,
        contacted_on=yesterday,
        channel=ContactChannel.LETTER,
        summary="  Sent the pack  ",
    )
    entry.refresh_from_db()
    assert (entry.person, entry.written_by, entry.contacted_on, entry.channel, entry.summary) == (
        representative,
        worker,
        yesterday,
        "letter",
        "Sent the pack",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"summary": "   "}, "summary", "Write a short summary"),
        ({"summary": "x" * 501}, "summary", "500 characters or fewer"),
        ({"contacted_on": timezone.localdate() + timedelta(days=1)}, "contacted_on", "today or in the past"),
        ({"channel": "pigeon"}, "channel", "Choose how you were in contact"),
    ],
)
def test_bad_input_is_refused_beside_its_field(representative, worker, overrides, field, message):
    with pytest.raises(AccountsError, match=message) as refused:
        _add(representative, worker, **overrides)
    assert refused.value.field == field
    assert not ContactLogEntry.objects.exists()


def test_a_summary_of_exactly_500_characters_is_kept(representative, worker):
    assert len(_add(representative, worker, summary="y" * 500).summary) == 500


@pytest.mark.parametrize("who", ["other_worker", "manager", "administrator", "outsider"])
def test_nobody_who_may_not_see_the_person_adds_to_their_log(request, representative, who):
    with pytest.raises(AccountsError, match="Only the person's named worker"):
        _add(representative, request.getfixturevalue(who))
    assert not ContactLogEntry.objects.exists()


# --- who reads the contact log -------------------------------------------------------------


def test_the_named_worker_reads_every_entry_and_the_author_keeps_theirs(
    representative, worker, other_worker, outsider, manager, administrator
):
    entry = _add(representative, worker)
    assert worker.has_perm("accounts.view_contact_log_entry", entry)
    for nobody in (other_worker, outsider, manager, administrator, representative):
        assert not nobody.has_perm("accounts.view_contact_log_entry", entry)
    # Handed over: the new named worker reads it, and its author still may.
    named_worker_assign(person=representative, worker=other_worker, by=worker)
    entry.person.profile.refresh_from_db()
    assert other_worker.has_perm("accounts.view_contact_log_entry", entry)
    assert worker.has_perm("accounts.view_contact_log_entry", entry)
    assert not worker.has_perm("accounts.view_person", representative)


# --- new registrants waiting for a named worker --------------------------------------------


def test_new_registrants_without_a_named_worker_are_waiting(representative, outsider, worker, manager):
    old = person(roles=[Role.REPRESENTATIVE], display_name="Old")
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - timedelta(days=31))
    newer = person(roles=[Role.REPRESENTATIVE], display_name="Newer")
    User.objects.filter(pk=newer.pk).update(date_joined=timezone.now() - timedelta(minutes=1))
    User.objects.filter(pk=outsider.pk).update(date_joined=timezone.now() - timedelta(days=2))
    # Not: one with a named worker, one who joined too long ago, staff.
    assert list(people_awaiting_named_worker()) == [outsider, newer]
