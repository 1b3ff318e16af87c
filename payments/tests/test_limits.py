"""The person's own earnings limit: exactly at it is allowed, a penny over is refused unless
they say they know, counted per week (Monday to Sunday) or calendar month, by the service
and through the page. Expenses never count; vouchers do."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from payments.models import Claim, PaymentDetails
from payments.services import (
    ChoiceData,
    ClaimError,
    ExpenseData,
    claim_choose,
    claim_submit,
    earnings_limit_check,
    earnings_limit_set,
    expense_add,
)
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FULL = ChoiceData(choice="full_fee")


def on(person, year, month, day) -> Claim:
    """A claim for 2 hours at £11.50 (£23.00) on that day."""
    return attended_claim(person=person, hours=2, starts_at=datetime(year, month, day, 10, tzinfo=LONDON))


def sent(person, year, month, day) -> Claim:
    claim = on(person, year, month, day)
    return claim_submit(claim=claim, by=person)


def limit(person, amount: str, period: str = "week") -> None:
    earnings_limit_set(person=person, limit=Decimal(amount), period=period)


# --- the service -------------------------------------------------------------------------------


def test_exactly_at_the_limit_is_allowed(representative):
    limit(representative, "46.00")
    sent(representative, 2026, 3, 6)  # Friday
    claim = on(representative, 2026, 3, 7)  # Saturday, the same week
    claim_choose(claim=claim, by=representative, data=FULL)
    claim = claim_submit(claim=claim, by=representative)
    assert claim.state == Claim.State.SUBMITTED
    assert claim.near_limit is True


def test_a_penny_over_is_refused_unless_the_person_says_they_know(representative):
    limit(representative, "45.99")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    with pytest.raises(ClaimError) as refused:
        claim_choose(claim=claim, by=representative, data=FULL)
    assert refused.value.field == "choice"
    assert "you have £22.99 left in the week of Monday 2 March 2026" in str(refused.value)
    claim_choose(
        claim=claim, by=representative, data=ChoiceData(choice="full_fee", past_limit_confirmed=True)
    )
    assert claim_submit(claim=claim, by=representative).state == Claim.State.SUBMITTED


def test_the_service_checks_again_when_the_claim_is_sent(representative):
    claim = on(representative, 2026, 3, 7)
    claim_choose(claim=claim, by=representative, data=FULL)  # no limit yet
    limit(representative, "22.99")
    with pytest.raises(ClaimError):
        claim_submit(claim=claim, by=representative)
    claim.refresh_from_db()
    assert claim.state == Claim.State.DRAFT


def test_a_sunday_and_the_next_monday_are_different_weeks(representative):
    limit(representative, "23.00")
    sent(representative, 2026, 3, 8)  # Sunday
    monday = on(representative, 2026, 3, 9)
    assert claim_submit(claim=monday, by=representative).state == Claim.State.SUBMITTED
    same_sunday = on(representative, 2026, 3, 8)
    with pytest.raises(ClaimError, match="you have £0.00 left in the week of Monday 2 March 2026"):
        claim_submit(claim=same_sunday, by=representative)
    monday_week = earnings_limit_check(person=representative, day=monday.activity_date)
    assert (monday_week.starts.isoformat(), monday_week.ends.isoformat()) == ("2026-03-09", "2026-03-15")


def test_the_31st_and_the_next_1st_are_different_months(representative):
    limit(representative, "23.00", period="month")
    sent(representative, 2026, 3, 31)
    first = on(representative, 2026, 4, 1)
    assert claim_submit(claim=first, by=representative).state == Claim.State.SUBMITTED
    thirtieth = on(representative, 2026, 3, 30)
    with pytest.raises(
        ClaimError, match="monthly earnings limit of £23.00: you have £0.00 left in March 2026"
    ):
        claim_submit(claim=thirtieth, by=representative)


def test_a_monday_does_not_count_in_the_week_before(representative):
    limit(representative, "23.00")
    sent(representative, 2026, 3, 9)  # Monday
    sunday = on(representative, 2026, 3, 8)
    assert claim_submit(claim=sunday, by=representative).state == Claim.State.SUBMITTED


def test_the_1st_does_not_count_in_the_month_before(representative):
    limit(representative, "23.00", period="month")
    sent(representative, 2026, 4, 1)
    last_of_march = on(representative, 2026, 3, 31)
    assert claim_submit(claim=last_of_march, by=representative).state == Claim.State.SUBMITTED
    check = earnings_limit_check(person=representative, day=last_of_march.activity_date)
    assert (check.starts.isoformat(), check.ends.isoformat()) == ("2026-03-01", "2026-03-31")


@pytest.mark.parametrize(
    ("choice", "allowed"),
    [
        (ChoiceData(choice="decline"), True),
        (ChoiceData(choice="charity", charity_name="Mind"), True),
        (ChoiceData(choice="reduced_fee", reduced_amount=Decimal("10.00")), True),
        (ChoiceData(choice="reduced_fee", reduced_amount=Decimal("10.01")), False),
        (ChoiceData(choice="voucher"), False),
    ],
)
def test_only_earnings_count_and_vouchers_are_earnings(representative, choice, allowed):
    limit(representative, "10.00")
    claim = on(representative, 2026, 3, 7)
    if allowed:
        claim_choose(claim=claim, by=representative, data=choice)
    else:
        with pytest.raises(ClaimError):
            claim_choose(claim=claim, by=representative, data=choice)


def test_expenses_never_count(representative):
    limit(representative, "23.00")
    first = on(representative, 2026, 3, 6)
    expense_add(claim=first, by=representative, data=ExpenseData(kind="parking", amount=Decimal("500")))
    claim_submit(claim=first, by=representative)
    check = earnings_limit_check(person=representative, day=first.activity_date)
    assert check.earned == Decimal("23.00")


def test_a_draft_not_yet_sent_does_not_count(representative):
    limit(representative, "23.00")
    on(representative, 2026, 3, 6)  # left as a draft
    claim = on(representative, 2026, 3, 7)
    assert claim_submit(claim=claim, by=representative).state == Claim.State.SUBMITTED


def test_setting_the_limit_refuses_nonsense(representative):
    with pytest.raises(ClaimError, match="cannot be less than £0"):
        earnings_limit_set(person=representative, limit=Decimal("-0.01"), period="week")
    with pytest.raises(ClaimError, match="£100,000 or less"):
        earnings_limit_set(person=representative, limit=Decimal("100000.01"), period="week")
    with pytest.raises(ClaimError, match="week or a month"):
        earnings_limit_set(person=representative, limit=Decimal("10"), period="fortnight")
    earnings_limit_set(person=representative, limit=None, period="month")
    assert PaymentDetails.objects.get(person=representative).earnings_limit is None


# --- through the page ------------------------------------------------------------------------


@pytest.fixture
def client(representative):
    client = Client()
    client.force_login(representative)
    return client


def choose(client, claim, **data):
    return client.post(reverse("me:claim", args=[claim.pk]), {"action": "choose", **data})


def test_the_page_shows_what_is_left_and_the_other_choices_before_the_fee_passes_the_limit(
    client, representative, settings
):
    settings.BENEFITS_ADVICE_URL = "https://example.nhs.uk/benefits-advice"
    limit(representative, "45.99")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "The full fee would take you past your limit" in text
    assert "£22.99</strong> left of your weekly earnings limit of £45.99" in text
    assert "You could take a smaller amount (up to £22.99)" in text
    assert 'href="https://example.nhs.uk/benefits-advice"' in text
    assert "I know this takes me past my limit" in text


def test_the_page_shows_no_warning_and_no_box_when_the_fee_fits(client, representative):
    limit(representative, "46.00")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "The full fee fits within your weekly earnings limit: you have £23.00 left" in text
    assert "I know this takes me past my limit" not in text
    assert "would take you past" not in text


def test_without_a_limit_the_page_says_nothing_about_one(client, representative):
    claim = on(representative, 2026, 3, 7)
    text = client.get(reverse("me:claim", args=[claim.pk])).content.decode()
    assert "earnings limit" not in text and "I know this takes me past my limit" not in text


def test_through_the_page_exactly_at_the_limit_is_saved(client, representative):
    limit(representative, "46.00")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    assert choose(client, claim, choice="voucher").status_code == 302
    assert client.post(reverse("me:claim", args=[claim.pk]), {"action": "submit"}).status_code == 302
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED and claim.choice == "voucher"


def test_through_the_page_a_penny_over_comes_back_until_the_box_is_ticked(client, representative):
    limit(representative, "45.99")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    response = choose(client, claim, choice="voucher")
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text
    assert "This would take you past your weekly earnings limit of £45.99" in text
    assert re.search(r'value="voucher"[^>]*checked', text), "the choice typed is kept"
    claim.refresh_from_db()
    assert claim.choice == "full_fee"
    assert choose(client, claim, choice="voucher", past_limit_confirmed="on").status_code == 302
    claim.refresh_from_db()
    assert claim.choice == "voucher" and claim.past_limit_confirmed


def test_through_the_page_sending_is_refused_when_the_limit_was_set_after_choosing(client, representative):
    claim = on(representative, 2026, 3, 8)
    limit(representative, "22.99")
    response = client.post(reverse("me:claim", args=[claim.pk]), {"action": "submit"})
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text
    assert "past your weekly earnings limit of £22.99" in text
    claim.refresh_from_db()
    assert claim.state == Claim.State.DRAFT


def test_through_the_page_the_week_boundary_holds(client, representative):
    limit(representative, "23.00")
    sent(representative, 2026, 3, 8)  # Sunday
    monday = on(representative, 2026, 3, 9)
    assert "fits within your weekly earnings limit: you have £23.00 left" in (
        client.get(reverse("me:claim", args=[monday.pk])).content.decode()
    )
    sunday = on(representative, 2026, 3, 8)
    assert choose(client, sunday, choice="full_fee").status_code == 200
    assert choose(client, monday, choice="full_fee").status_code == 302


def test_through_the_page_the_month_boundary_holds(client, representative):
    limit(representative, "23.00", period="month")
    sent(representative, 2026, 3, 31)
    assert choose(client, on(representative, 2026, 4, 1), choice="full_fee").status_code == 302
    assert choose(client, on(representative, 2026, 3, 30), choice="full_fee").status_code == 200


# --- the earnings-limit page -------------------------------------------------------------------


def test_the_limit_page_explains_with_examples_and_says_staff_never_see_it(client, settings):
    settings.BENEFITS_ADVICE_URL = "https://example.nhs.uk/benefits-advice"
    text = client.get(reverse("me:earnings_limit")).content.decode()
    assert "£195.50 a week, from April 2025" in text
    assert "£411 a month" in text and "£684 a month" in text
    assert 'href="https://example.nhs.uk/benefits-advice"' in text
    assert "Staff never see it" in text


def test_the_limit_page_sets_changes_and_removes_the_limit(client, representative):
    response = client.post(reverse("me:earnings_limit"), {"earnings_limit": "195.50", "limit_period": "week"})
    assert response.status_code == 302
    details = PaymentDetails.objects.get(person=representative)
    assert (details.earnings_limit, details.limit_period) == (Decimal("195.50"), "week")
    assert "£195.50</strong> a week" in client.get(reverse("me:payments")).content.decode()

    client.post(reverse("me:earnings_limit"), {"earnings_limit": "411", "limit_period": "month"})
    details.refresh_from_db()
    assert (details.earnings_limit, details.limit_period) == (Decimal("411.00"), "month")
    assert "Remove your limit" in client.get(reverse("me:earnings_limit")).content.decode()

    assert client.post(reverse("me:earnings_limit"), {"remove": "1"}).status_code == 302
    details.refresh_from_db()
    assert details.earnings_limit is None
    assert "Set an earnings limit" in client.get(reverse("me:payments")).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "The limit cannot be less than £0"),
        ("lots", "Enter the amount in pounds and pence"),
        ("100000.01", "Enter a limit of £100,000 or less"),
    ],
)
def test_the_limit_page_refuses_bad_input_beside_the_field(client, representative, typed, message):
    response = client.post(reverse("me:earnings_limit"), {"earnings_limit": typed, "limit_period": "week"})
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text
    assert message in text and 'href="#id_earnings_limit"' in text and f'value="{typed}"' in text
    assert not PaymentDetails.objects.filter(person=representative, earnings_limit__isnull=False).exists()


def test_the_limit_page_asks_for_week_or_month(client):
    response = client.post(reverse("me:earnings_limit"), {"earnings_limit": "20"})
    assert "Choose a week or a month" in response.content.decode()


def test_staff_see_near_their_limit_and_never_the_figure(representative, worker, manager):
    limit(representative, "45.99")
    sent(representative, 2026, 3, 6)
    claim = on(representative, 2026, 3, 7)
    claim_choose(
        claim=claim, by=representative, data=ChoiceData(choice="full_fee", past_limit_confirmed=True)
    )
    claim_submit(claim=claim, by=representative)
    for staff in (claim.opportunity.lead_worker, worker, manager):
        client = Client()
        client.force_login(staff)
        for address in (reverse("worker:claim", args=[claim.pk]), reverse("worker:claims")):
            text = client.get(address).content.decode()
            if staff == claim.opportunity.lead_worker or address.endswith(f"/{claim.pk}/"):
                assert "Near their limit" in text, (staff, address)
            assert "45.99" not in text and "22.99" not in text
