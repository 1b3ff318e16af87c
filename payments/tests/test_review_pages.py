"""The worker's claim pages (/worker/claims/): who sees what, and every change through them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.models import Message
from payments.models import Claim, ClaimEvent
from payments.services import ExpenseData, claim_submit, earnings_limit_set, expense_add
from payments.tests.factories import attended_claim, held_opportunity
from payments.tests.receipts import receipt_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return person(roles=[Role.WORKER], display_name="Lee Lead")


@pytest.fixture
def claim(representative, lead):
    """The representative's claim (2 hours at £11.50) for an activity `lead` led, sent."""
    claim = attended_claim(person=representative, lead_worker=lead, title="Interview panel")
    return claim_submit(claim=claim, by=representative)


@pytest.fixture
def people(representative, outsider, other_worker, lead, worker, manager, administrator, finance_officer):
    return {
        "rep": representative,
        "other_rep": outsider,
        "worker": other_worker,
        "lead": lead,
        "named": worker,
        "manager": manager,
        "admin": administrator,
        "finance": finance_officer,
    }


def as_(client, user):
    client.force_login(user)
    return client


# --- who may see and change a claim -----------------------------------------------------------

LIST = {"rep": 403, "other_rep": 403, "worker": 200, "lead": 200, "named": 200, "manager": 200}
LIST |= {"admin": 403, "finance": 403}
DETAIL = {"rep": 403, "other_rep": 403, "worker": 404, "lead": 200, "named": 200, "manager": 200}
DETAIL |= {"admin": 403, "finance": 403}
# A POST that changes the claim: the named worker sees it but may not change it (403).
CHANGE = {"rep": 403, "other_rep": 403, "worker": 404, "lead": 302, "named": 403, "manager": 302}
CHANGE |= {"admin": 403, "finance": 403}


@pytest.mark.parametrize("role", list(LIST))
def test_it_lets_each_role_see_the_list_as_the_rules_say(client, people, claim, role):
    response = as_(client, people[role]).get(reverse("worker:claims"))
    assert response.status_code == LIST[role]
    if response.status_code == 200:
        # Listed for the lead and managers only: a named or unrelated worker leads nothing here.
        assert (reverse("worker:claim", args=[claim.pk]) in response.text) == (role in {"lead", "manager"})


@pytest.mark.parametrize("role", list(DETAIL))
def test_it_lets_each_role_see_a_claim_as_the_rules_say(client, people, claim, role):
    response = as_(client, people[role]).get(reverse("worker:claim", args=[claim.pk]))
    assert response.status_code == DETAIL[role]
    if role == "named":
        assert "Only the activity's lead worker or a manager" in response.text
        assert "Approve the claim" not in response.text
    if role in {"lead", "manager"}:
        assert "Approve the claim" in response.text and "Return the claim" in response.text


@pytest.mark.parametrize("role", list(CHANGE))
def test_it_lets_only_the_lead_and_a_manager_approve(client, people, claim, role):
    response = as_(client, people[role]).post(reverse("worker:claim_approve", args=[claim.pk]))
    assert response.status_code == CHANGE[role]
    claim.refresh_from_db()
    assert (claim.state == Claim.State.APPROVED) == (CHANGE[role] == 302)


@pytest.mark.parametrize("role", list(CHANGE))
def test_it_lets_only_the_lead_and_a_manager_return_or_change_the_fee(client, people, claim, role):
    client = as_(client, people[role])
    adjusted = client.post(
        reverse("worker:claim_adjust", args=[claim.pk]), {"adjust-fee": "1", "adjust-reason": "Shorter"}
    )
    returned = client.post(reverse("worker:claim_return", args=[claim.pk]), {"return-reason": "Receipt?"})
    assert adjusted.status_code == returned.status_code == CHANGE[role]
    claim.refresh_from_db()
    allowed = CHANGE[role] == 302
    assert (claim.state == Claim.State.RETURNED) == allowed
    assert (claim.adjusted_fee == Decimal("1.00")) == allowed


def test_a_visitor_is_sent_to_log_in(client, claim):
    for url in (reverse("worker:claims"), reverse("worker:claim", args=[claim.pk])):
        assert client.get(url)["Location"].startswith(reverse("account_login"))


def test_a_claim_that_does_not_exist_is_a_404(client, manager):
    client = as_(client, manager)
    assert client.get(reverse("worker:claim", args=[999999])).status_code == 404
    assert client.post(reverse("worker:claim_approve", args=[999999])).status_code == 404
    assert client.get("/worker/claims/99999999999999999999999/").status_code == 404


def test_nobody_approves_their_own_claim(client, lead):
    """A worker who also took part (a peer worker) cannot approve their own claim, even on an
    activity they lead, and it is not on their list to review."""
    both = person(roles=[Role.WORKER, Role.REPRESENTATIVE], display_name="Pat Peer")
    own = attended_claim(person=both, lead_worker=both)
    claim_submit(claim=own, by=both)
    client = as_(client, both)
    assert reverse("worker:claim", args=[own.pk]) not in client.get(reverse("worker:claims")).text
    assert client.post(reverse("worker:claim_approve", args=[own.pk])).status_code == 403
    own.refresh_from_db()
    assert own.state == Claim.State.SUBMITTED


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_the_claim_with_its_money(client, representative, lead, claim):
    response = as_(client, lead).get(reverse("worker:claims"))
    text = response.text
    assert "Robin" in text and "Interview panel" in text
    assert "£23.00" in text  # 2 hours at £11.50: fee and total, no expenses
    assert "£0.00" in text
    assert "Waiting for approval: 1" in text


def test_the_list_shows_waiting_claims_first_and_other_states_when_asked(client, representative, lead, claim):
    draft = attended_claim(person=person(roles=[Role.REPRESENTATIVE]), lead_worker=lead, title="Draft one")
    client = as_(client, lead)
    waiting = client.get(reverse("worker:claims")).text
    assert reverse("worker:claim", args=[claim.pk]) in waiting
    assert reverse("worker:claim", args=[draft.pk]) not in waiting
    drafts = client.get(reverse("worker:claims"), {"state": "draft"}).text
    assert reverse("worker:claim", args=[draft.pk]) in drafts
    assert reverse("worker:claim", args=[claim.pk]) not in drafts
    everything = client.get(reverse("worker:claims"), {"state": "all"}).text
    assert reverse("worker:claim", args=[draft.pk]) in everything
    assert reverse("worker:claim", args=[claim.pk]) in everything
    # Anything else is the default, never an error.
    for odd in ("nonsense", "\x00", "1" * 5000):
        response = client.get(reverse("worker:claims"), {"state": odd, "page": odd})
        assert response.status_code in (200, 400)
    assert (
        reverse("worker:claim", args=[claim.pk])
        in client.get(reverse("worker:claims"), {"state": "nonsense"}).text
    )


def test_near_their_limit_shows_the_flag_never_the_figure(client, lead):
    careful = person(roles=[Role.REPRESENTATIVE], display_name="Casey")
    earnings_limit_set(person=careful, limit=Decimal("24.75"), period="week")
    claim = attended_claim(person=careful, lead_worker=lead)
    claim_submit(claim=claim, by=careful)
    client = as_(client, lead)
    for url in (reverse("worker:claims"), reverse("worker:claim", args=[claim.pk])):
        text = client.get(url).text
        assert "Near their limit" in text
        assert "24.75" not in text and "weekly" not in text.lower()


def test_a_claim_far_from_any_limit_has_no_flag(client, lead, claim):
    assert "nhsuk-tag--yellow" not in as_(client, lead).get(reverse("worker:claims")).text


def test_overdue_shows_when_past_the_target_and_unpaid(client, representative, lead, settings):
    settings.PAYMENT_TARGET_DAYS = 14
    old = attended_claim(
        person=representative, lead_worker=lead, starts_at=timezone.now() - timedelta(days=16)
    )
    claim_submit(claim=old, by=representative)
    client = as_(client, lead)
    assert "nhsuk-tag--red" in client.get(reverse("worker:claims")).text
    settings.PAYMENT_TARGET_DAYS = 30
    assert "nhsuk-tag--red" not in client.get(reverse("worker:claims")).text


def test_the_list_takes_the_same_queries_for_many_claims(
    client, lead, manager, django_assert_max_num_queries
):
    opportunity = held_opportunity(lead_worker=lead, places=80)
    for index in range(60):
        someone = person(roles=[Role.REPRESENTATIVE], display_name=f"Person {index}")
        claim = attended_claim(person=someone, opportunity=opportunity)
        expense_add(claim=claim, by=someone, data=ExpenseData(kind="parking", amount=Decimal("2")))
        claim_submit(claim=claim, by=someone)
    for user in (lead, manager):
        client = as_(client, user)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("worker:claims"))
        assert response.text.count("£2.00") == 25  # a page of 25, each with its expense
        with django_assert_max_num_queries(12):
            second = client.get(reverse("worker:claims"), {"page": 3})
        assert second.text.count("£2.00") == 10


# --- one claim: expenses, receipts, history ------------------------------------------------------


def test_the_claim_page_shows_expenses_receipts_and_history(client, representative, lead):
    claim = attended_claim(person=representative, lead_worker=lead)
    line = expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="parking", amount=Decimal("4.50"), receipt=receipt_png()),
    )
    expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="mileage", miles=Decimal("10"), vehicle="car"),
    )
    claim_submit(claim=claim, by=representative)
    text = as_(client, lead).get(reverse("worker:claim", args=[claim.pk])).text
    assert "Parking" in text and "£4.50" in text
    assert "10 miles at 45p" in text
    assert "£9.00" in text and "£32.00" in text  # expenses: £4.50 parking, £4.50 mileage; fee £23
    assert f'href="{reverse("payments:receipt", args=[line.pk])}"' in text
    assert "Waiting for approval (Robin)" in text


# --- changes through the page ---------------------------------------------------------------------


def test_the_lead_approves_and_the_person_is_told(client, representative, lead, claim):
    response = as_(client, lead).post(reverse("worker:claim_approve", args=[claim.pk]), follow=True)
    assert "The claim is approved" in response.text
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and claim.approved_by == lead
    assert ClaimEvent.objects.filter(claim=claim, to_state="approved", actor=lead).count() == 1
    told = Message.objects.filter(
        recipient=representative, kind="claim_update", dedupe_key__startswith="claim_approved"
    )
    assert told.count() == 1


def test_approving_twice_approves_once(client, representative, lead, claim):
    client = as_(client, lead)
    client.post(reverse("worker:claim_approve", args=[claim.pk]))
    response = client.post(reverse("worker:claim_approve", args=[claim.pk]), follow=True)
    assert "already been approved" in response.text
    assert ClaimEvent.objects.filter(claim=claim, to_state="approved").count() == 1


def test_a_claim_not_yet_sent_cannot_be_approved(client, representative, lead):
    draft = attended_claim(person=representative, lead_worker=lead)
    response = as_(client, lead).post(reverse("worker:claim_approve", args=[draft.pk]), follow=True)
    assert response.status_code == 200 and "cannot be changed that way" in response.text
    draft.refresh_from_db()
    assert draft.state == Claim.State.DRAFT


def test_the_lead_returns_a_claim_with_a_reason_the_person_reads(client, representative, lead, claim):
    response = as_(client, lead).post(
        reverse("worker:claim_return", args=[claim.pk]), {"return-reason": "Please add the parking receipt."}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.RETURNED and claim.return_reason == "Please add the parking receipt."
    message = Message.objects.get(recipient=representative, dedupe_key__startswith="claim_returned")
    assert "Please add the parking receipt." in message.body_text


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_return_needs_a_reason(client, lead, claim, reason):
    response = as_(client, lead).post(
        reverse("worker:claim_return", args=[claim.pk]), {"return-reason": reason}
    )
    assert response.status_code == 200
    assert "Enter what needs to change" in response.text
    assert response.text.count("<title>Error: ") == 1
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_a_return_of_more_than_500_characters_keeps_the_words(client, lead, claim):
    words = "x" * 501
    response = as_(client, lead).post(
        reverse("worker:claim_return", args=[claim.pk]), {"return-reason": words}
    )
    assert (
        response.status_code == 200 and "500 characters or fewer" in response.text and words in response.text
    )


def test_the_lead_changes_the_fee_with_a_reason(client, representative, lead, claim):
    response = as_(client, lead).post(
        reverse("worker:claim_adjust", args=[claim.pk]),
        {"adjust-fee": "34.50", "adjust-reason": "The panel ran an hour over."},
        follow=True,
    )
    assert "The fee is now £34.50" in response.text
    claim.refresh_from_db()
    assert claim.adjusted_fee == Decimal("34.50") and claim.adjustment_reason == "The panel ran an hour over."
    assert claim.state == Claim.State.SUBMITTED
    assert "Fee changed from £23.00 to £34.50: The panel ran an hour over." in response.text


@pytest.mark.parametrize(
    ("fee", "reason", "error"),
    [
        ("30", "", "Enter why you are changing the fee"),
        ("-1", "Shorter day", "The fee cannot be less than £0"),
        ("100000", "Typo", "The fee must be £5,000 or less."),
        ("999999999", "Typo", "Enter a fee of £5,000 or less"),
        ("ten pounds", "Shorter day", "Enter the fee as a number, like 23.50"),
        ("", "Shorter day", "Enter the fee, in pounds and pence"),
        ("12.345", "Shorter day", "Enter the fee in pounds and pence, like 23.50"),
        ("NaN", "Shorter day", "Enter the fee as a number"),
        ("Infinity", "Shorter day", "Enter the fee as a number"),
    ],
)
def test_a_bad_fee_is_refused_with_the_words_kept(client, lead, claim, fee, reason, error):
    response = as_(client, lead).post(
        reverse("worker:claim_adjust", args=[claim.pk]), {"adjust-fee": fee, "adjust-reason": reason}
    )
    assert response.status_code == 200
    assert error in response.text
    assert "<title>Error: " in response.text
    claim.refresh_from_db()
    assert claim.adjusted_fee is None


def test_the_fee_cannot_change_once_approved(client, lead, claim):
    client = as_(client, lead)
    client.post(reverse("worker:claim_approve", args=[claim.pk]))
    page = client.get(reverse("worker:claim", args=[claim.pk])).text
    assert "Change the fee" not in page
    response = client.post(
        reverse("worker:claim_adjust", args=[claim.pk]), {"adjust-fee": "1", "adjust-reason": "Late"}
    )
    assert response.status_code == 200 and "cannot change once the claim is approved" in response.text
    claim.refresh_from_db()
    assert claim.adjusted_fee is None


def test_the_pages_take_no_get_for_changes_and_no_post_for_reading(client, lead, claim):
    client = as_(client, lead)
    assert client.get(reverse("worker:claim_approve", args=[claim.pk])).status_code == 405
    assert client.post(reverse("worker:claims")).status_code == 405
    assert client.post(reverse("worker:claim", args=[claim.pk])).status_code == 405
