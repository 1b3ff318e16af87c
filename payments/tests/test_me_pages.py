"""The person's payment pages for every kind of person, and what the claim page offers in
each state."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person
from payments.models import Claim
from payments.tests.claim_states import STATES, claim_in_state
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(representative):
    return attended_claim(person=representative, hours=2, title="Interview panel")


@pytest.fixture
def people(representative, outsider, other_worker, worker, manager, administrator, finance_officer, claim):
    return {
        "visitor": None,
        "rep": representative,
        "other_rep": outsider,
        "worker": other_worker,
        "lead": claim.opportunity.lead_worker,
        "named": worker,
        "manager": manager,
        "admin": administrator,
        "finance": finance_officer,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def status(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return str(response.status_code)


# Representatives use their own pages; staff never do (they review claims at /worker/claims/).
LIST_AND_LIMIT = {
    "visitor": "login",
    "rep": "200",
    "other_rep": "200",
    "worker": "403",
    "lead": "403",
    "named": "403",
    "manager": "403",
    "admin": "403",
    "finance": "403",
}
# Someone else's claim does not exist for another representative.
CLAIM = {**LIST_AND_LIMIT, "other_rep": "404"}


@pytest.mark.parametrize("role", list(LIST_AND_LIMIT))
def test_it_lets_only_representatives_use_their_payments_pages(people, claim, role):
    client = client_for(people[role])
    got = {
        "list": status(client.get(reverse("me:payments"))),
        "limit": status(client.get(reverse("me:earnings_limit"))),
        "claim": status(client.get(reverse("me:claim", args=[claim.pk]))),
        "claim_post": status(client.post(reverse("me:claim", args=[claim.pk]), {"action": "submit"})),
    }
    assert got == {
        "list": LIST_AND_LIMIT[role],
        "limit": LIST_AND_LIMIT[role],
        "claim": CLAIM[role],
        "claim_post": CLAIM[role] if CLAIM[role] != "200" else "302",
    }


def test_it_shows_another_representative_none_of_my_claims(people, claim):
    response = client_for(people["other_rep"]).get(reverse("me:payments"))
    assert response.status_code == 200
    assert b"Interview panel" not in response.content
    assert b"You have no claims yet" in response.content


def test_it_answers_404_for_a_claim_that_does_not_exist(representative):
    assert client_for(representative).get(reverse("me:claim", args=[999999])).status_code == 404


def test_it_lists_each_claim_with_fee_expenses_total_and_what_happens_next(representative, claim):
    response = client_for(representative).get(reverse("me:payments"))
    text = response.content.decode()
    assert "Interview panel" in text
    assert "£23.00" in text  # 2 hours at £11.50
    assert "Not sent yet" in text
    assert "choose what you would like done with it" in text
    assert reverse("me:claim", args=[claim.pk]) in text
    assert "Set an earnings limit" in text


def test_it_lists_many_claims_in_a_fixed_number_of_queries(representative, django_assert_max_num_queries):
    for _ in range(3):
        attended_claim(person=representative)
    client = client_for(representative)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("me:payments"))
    for _ in range(22):
        attended_claim(person=representative)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("me:payments"))
    assert response.content.decode().count("Not sent yet") == 20  # a page
    assert "Page 2 of 2" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("me:payments"), {"page": "2"})
    assert response.content.decode().count("Not sent yet") == 5


@pytest.mark.parametrize("state", STATES)
def test_the_claim_page_offers_what_each_state_allows(representative, finance_officer, state):
    claim = claim_in_state(state, person=representative, finance=finance_officer)
    client = client_for(representative)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    editable = state in {"draft", "returned"}
    assert ("Send claim" in text) is editable
    assert ("Add the expense" in text) is editable
    assert ('enctype="multipart/form-data"' in text) is editable
    assert claim.get_state_display() in text
    assert ("Please add the parking receipt." in text) is (state == "returned")
    listed = client.get(reverse("me:payments")).content.decode()
    assert claim.get_state_display() in listed


@pytest.mark.parametrize("state", ["submitted", "approved", "exported", "paid"])
def test_it_refuses_changes_to_a_sent_claim_with_403(representative, finance_officer, state):
    claim = claim_in_state(state, person=representative, finance=finance_officer)
    client = client_for(representative)
    for data in (
        {"action": "submit"},
        {"action": "choose", "choice": "decline"},
        {"action": "add_expense", "kind": "parking", "amount": "3"},
    ):
        assert client.post(reverse("me:claim", args=[claim.pk]), data).status_code == 403
    claim.refresh_from_db()
    assert claim.state == state and claim.choice == "full_fee" and not claim.expenses.exists()


def test_what_happens_next_is_said_in_plain_english_for_each_state(representative, finance_officer):
    words = {
        "submitted": "The worker who led the activity will check your claim",
        "returned": "Read why it came back",
        "approved": "we aim to pay within 14 days",
        "exported": "Finance has your claim",
        "paid": "There is nothing more to do",
    }
    client = client_for(representative)
    for state, sentence in words.items():
        claim = claim_in_state(state, person=representative, finance=finance_officer)
        assert sentence in client.get(reverse("me:claim", args=[claim.pk])).content.decode()


def test_the_claim_page_shows_the_rate_hours_adjustment_and_history(representative, claim):
    from payments.services import claim_adjust_fee, claim_submit

    claim_adjust_fee(
        claim=claim, by=claim.opportunity.lead_worker, fee=Decimal("30"), reason="The day ran long."
    )
    claim_submit(claim=claim, by=representative)
    text = client_for(representative).get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "£11.50 an hour" in text
    assert "Hours recorded" in text and ">2<" in text.replace(" ", "").replace("\n", "")
    assert "£30.00" in text and "The worker changed this from £23.00" in text
    assert "The day ran long." in text
    assert "Sent for approval by you" in text


def test_sending_the_claim_from_the_page_moves_it_to_waiting_for_approval(representative, claim):
    response = client_for(representative).post(reverse("me:claim", args=[claim.pk]), {"action": "submit"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED


def test_a_peer_worker_who_is_also_a_representative_sees_only_their_own_claims(claim):
    peer = person(roles=[Role.REPRESENTATIVE, Role.WORKER])
    assert client_for(peer).get(reverse("me:claim", args=[claim.pk])).status_code == 404
