"""The pages that make the product's rules hold (issue 9), in the browser, with axe-core on
every page: the confirmations a representative sees before withdrawing, declining or
accepting; the worker's completion, offer-by-hand, change-of-lead and provisional selection
pages; urgent help, the error pages and the two-factor reset."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from opportunities.models import Opportunity
from opportunities.services import selection_preview, signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory
from tests.browser.test_foundation_journeys import log_in


def test_a_representative_is_asked_first_and_finds_help(checked_page):
    page = checked_page.page
    rep = person(roles=[Role.REPRESENTATIVE], display_name="Rae")
    other = person(roles=[Role.REPRESENTATIVE], display_name="Oli")
    panel = OpportunityFactory(title="Ward visit", places=1)
    taken = signup_create(opportunity=panel, person=other)
    signup_create(opportunity=panel, person=rep)
    signup_withdraw(signup=taken, person=other)  # the place is offered to Rae

    log_in(checked_page, rep.email, PASSWORD)
    checked_page.check_accessibility()
    checked_page.goto(f"/opportunities/{panel.pk}/accept/")
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accept")
    checked_page.goto(f"/opportunities/{panel.pk}/decline/")
    checked_page.check_accessibility()
    expect(
        page.get_by_text("offered to the next person", exact=False).or_(page.get_by_text("free"))
    ).not_to_have_count(0)

    checked_page.goto("/help/")
    checked_page.check_accessibility()
    expect(page.get_by_text("116 123").first).to_be_visible()
    checked_page.goto("/me/check-ins/new/")
    checked_page.check_accessibility()
    expect(page.get_by_text("111").first).to_be_visible()

    # Pages a representative may not use, or that do not exist, say so in the service's style.
    checked_page.goto("/worker/")
    checked_page.check_accessibility()
    expect(page.get_by_role("link", name="urgent help", exact=False).first).to_be_visible()
    checked_page.goto("/no-such-page/")
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    checked_page.goto("/me/inbox/mark-all-read/")
    checked_page.check_accessibility()


def test_a_representative_withdraws_through_the_question_without_javascript(no_js_page):
    page = no_js_page.page
    rep = person(roles=[Role.REPRESENTATIVE], display_name="Rae")
    panel = OpportunityFactory(title="Ward visit", places=2)
    signup_create(opportunity=panel, person=rep)

    log_in(no_js_page, rep.email, PASSWORD)
    no_js_page.check_accessibility()
    no_js_page.goto(f"/opportunities/{panel.pk}/withdraw/")
    no_js_page.check_accessibility()
    page.get_by_role("button", name="Withdraw", exact=False).first.click()
    no_js_page.check_accessibility()
    assert panel.signups.get(person=rep).state == "withdrawn"


def test_a_worker_completes_offers_by_hand_and_hands_over_the_lead(checked_page):
    page = checked_page.page
    lead = person(roles=[Role.WORKER], display_name="Lee")
    person(roles=[Role.WORKER], display_name="Nia")
    rep = person(roles=[Role.REPRESENTATIVE], display_name="Rae")
    end = timezone.now() - timedelta(days=1)
    ended = OpportunityFactory(
        lead_worker=lead, title="Ended panel", sessions=[(end - timedelta(hours=2), end)]
    )
    fair = OpportunityFactory(lead_worker=lead, title="Fair panel", selection_method="fair_share", places=1)
    signup_create(opportunity=fair, person=rep)
    signup_create(opportunity=fair, person=person(roles=[Role.REPRESENTATIVE], display_name="Sam"))
    draw = selection_preview(opportunity=fair, by=lead)
    rae = fair.signups.get(person=rep)

    log_in(checked_page, lead.email, PASSWORD)
    checked_page.check_accessibility()

    # A provisional ranking before the deadline, and an offer by hand that needs a reason.
    checked_page.goto(f"/opportunities/{fair.pk}/participants/selection/{draw.pk}/")
    checked_page.check_accessibility()
    expect(page.get_by_text("provisional", exact=False).first).to_be_visible()
    checked_page.goto(f"/opportunities/{fair.pk}/participants/{rae.pk}/offer/")
    checked_page.check_accessibility()
    page.get_by_role("button", name="Offer", exact=False).first.click()
    checked_page.check_accessibility()
    expect(page.get_by_role("alert").first).to_be_visible()

    # Completion asks first, then leads to the outcome.
    checked_page.goto(f"/opportunities/{ended.pk}/complete/")
    checked_page.check_accessibility()
    page.get_by_role("button", name="completed", exact=False).first.click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Next", exact=False).first).to_be_visible()
    assert Opportunity.objects.get(pk=ended.pk).status == Opportunity.Status.COMPLETED

    # Handing over the lead.
    checked_page.goto(f"/opportunities/{fair.pk}/lead/")
    checked_page.check_accessibility()
    page.get_by_label("New lead worker", exact=False).select_option(label="Nia")
    page.get_by_role("button", name="Change", exact=False).first.click()
    checked_page.check_accessibility()
    assert Opportunity.objects.get(pk=fair.pk).lead_worker.profile.display_name == "Nia"


def test_an_administrator_resets_a_persons_two_factor(checked_page):
    page = checked_page.page
    admin = person(roles=[Role.ADMINISTRATOR], display_name="Ada")
    rep = person(roles=[Role.REPRESENTATIVE], display_name="Rae")
    log_in(checked_page, admin.email, PASSWORD)
    checked_page.check_accessibility()
    checked_page.goto(f"/admin/accounts/user/{rep.pk}/two-factor/reset/")
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
