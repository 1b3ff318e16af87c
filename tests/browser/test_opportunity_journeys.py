"""An opportunity from first draft to attendance, in the browser, with axe-core on every page.

A worker posts and publishes it; two representatives, each in a browser of their own, find it
with a filter, take the one place and join the waiting list; the place comes free, is offered
and accepted; the worker records attendance.
"""

import re
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from catalogue.models import Rate, RateCard, RateUnit
from opportunities.models import Opportunity, Session, SignUp
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory
from tests.browser.conftest import CheckedPage
from tests.browser.test_foundation_journeys import log_in

TITLE = "Help us redesign the crisis line"


def fill_date(group, day) -> None:
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def find_and_open(rep: CheckedPage, activity_type: str) -> None:
    """Browse, filter by the type of activity, and open the opportunity from the results."""
    page = rep.page
    page.get_by_role("link", name="Opportunities", exact=True).click()
    rep.check_accessibility()
    expect(page.get_by_role("link", name="Staff induction day")).to_be_visible()
    page.get_by_label("Type of activity").select_option(label=activity_type)
    page.get_by_role("button", name="Apply filters").click()
    rep.check_accessibility()
    expect(page.get_by_role("status")).to_have_text("1 opportunity")
    expect(page.get_by_role("link", name="Staff induction day")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()
    rep.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_an_opportunity_goes_from_draft_to_attendance(checked_page, another_browser):
    worker = person(roles=[Role.WORKER], display_name="Wren")
    worker.first_name, worker.last_name = "Wren", "Okafor"
    worker.save()
    ada = person(roles=[Role.REPRESENTATIVE], display_name="Ada")
    ben = person(roles=[Role.REPRESENTATIVE], display_name="Ben")
    team = TeamFactory(name="Crisis services")
    co_design = ActivityTypeFactory(name="Co-design group")
    # Its own card: a browser test's database is emptied between tests, seeded rows and all.
    card, _ = RateCard.objects.get_or_create(name="Crisis line rate")
    Rate.objects.get_or_create(
        card=card,
        effective_from=timezone.localdate() - timedelta(days=30),
        defaults={"unit": RateUnit.HOUR, "amount": Decimal("11.50")},
    )
    # Something else published, so the representatives' filter has something to leave out.
    OpportunityFactory(title="Staff induction day", activity_type=ActivityTypeFactory(name="Staff training"))
    deadline = timezone.localdate() + timedelta(days=5)
    session_day = timezone.localdate() + timedelta(days=10)

    # The worker posts the opportunity, with one mistake first.
    page = checked_page.page
    log_in(checked_page, worker.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    checked_page.check_accessibility()
    page.get_by_role("button", name="Post an opportunity").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post an opportunity")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Plain-language summary").fill("Tell us what a good crisis line sounds like.")
    page.get_by_label("Full description").fill("Three of us and three staff redesign the call script.")
    page.get_by_label("Activity type").select_option(label="Co-design group")
    page.get_by_label("Co-designing").check()
    page.get_by_label("Team").select_option(label="Crisis services")
    page.get_by_label("Lead worker").select_option(label="Wren Okafor")
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Accessibility information").fill("Step-free access and a quiet room.")
    page.get_by_label("This activity is paid").check()
    page.get_by_label("Rate card").select_option(
        label="Crisis line rate: £11.50 an hour, preparation included"
    )
    page.get_by_label("What is paid besides the fee").fill("Travel expenses at cost")
    page.get_by_label("Places").fill("1")
    page.get_by_label("First come, first served").check()
    fill_date(page.get_by_role("group", name="Sign-up deadline"), deadline)
    session = page.get_by_role("group", name="Session 1")
    fill_date(session.get_by_role("group", name="Date", exact=True), session_day)
    session.get_by_label("Start time").fill("10:00")
    session.get_by_label("End time").fill("9:30")
    session.get_by_label("Area (shown to everyone)").fill("Central Leeds")
    session.get_by_label("Exact address (optional)").fill("1 Park Row, Leeds LS1 5HN")
    page.get_by_role("button", name="Save as draft").click()

    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Session 1: The end time must be after the start time")
    session = page.get_by_role("group", name="Session 1")
    expect(session.get_by_label("End time")).to_have_accessible_description(
        re.compile("The end time must be after the start time")
    )
    expect(session.get_by_label("End time")).to_have_value("9:30")
    expect(session.get_by_label("Start time")).to_have_value("10:00")
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Co-designing")).to_be_checked()
    expect(page.get_by_label("Places")).to_have_value("1")
    expect(session.get_by_label("Exact address (optional)")).to_have_value("1 Park Row, Leeds LS1 5HN")
    session.get_by_label("End time").fill("12:30")
    page.get_by_role("button", name="Save as draft").click()

    checked_page.check_accessibility()
    expect(page.get_by_text("The opportunity has been saved.")).to_be_visible()
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.status == Opportunity.Status.DRAFT
    assert (opportunity.places, opportunity.selection_method, opportunity.involvement_level) == (
        1,
        "first_come",
        "co-designing",
    )
    assert (opportunity.activity_type, opportunity.team, opportunity.lead_worker) == (co_design, team, worker)
    assert opportunity.is_paid and opportunity.payment == "Travel expenses at cost"
    assert opportunity.rate_card == card
    assert timezone.localtime(opportunity.signup_deadline).date() == deadline
    starts = timezone.localtime(opportunity.sessions.get().starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (session_day, 10, 0)
    assert timezone.localtime(opportunity.sessions.get().ends_at).hour == 12
    page.get_by_role("button", name="Publish").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Published: everyone can now see it and sign up.")).to_be_visible()
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED

    # Ada finds it with a filter and takes the only place.
    ada_page = another_browser()
    log_in(ada_page, ada.email, PASSWORD)
    expect(ada_page.page).to_have_url(re.compile("/me/$"))
    ada_page.check_accessibility()
    find_and_open(ada_page, "Co-design group")
    ada_page.page.get_by_label("What would help you take part? (optional)").fill("A seat near the door.")
    ada_page.page.get_by_role("button", name="Sign up").click()
    ada_page.check_accessibility()
    expect(
        ada_page.page.get_by_text("Your place is confirmed. We have sent you the details.")
    ).to_be_visible()
    ada_signup = SignUp.objects.get(opportunity=opportunity, person=ada)
    assert (ada_signup.state, ada_signup.note) == (SignUp.State.CONFIRMED, "A seat near the door.")
    opportunity.refresh_from_db()
    assert opportunity.places_taken == 1

    # Ben finds it full and joins the waiting list.
    ben_page = another_browser()
    log_in(ben_page, ben.email, PASSWORD)
    ben_page.check_accessibility()
    find_and_open(ben_page, "Co-design group")
    ben_page.page.get_by_role("button", name="Join the waiting list").click()
    ben_page.check_accessibility()
    expect(ben_page.page.get_by_text("All places are taken, so you are on the waiting list.")).to_be_visible()
    expect(ben_page.page.get_by_text("you are number 1 on the waiting list")).to_be_visible()
    ben_signup = SignUp.objects.get(opportunity=opportunity, person=ben)
    assert (ben_signup.state, ben_signup.waitlist_position) == (SignUp.State.WAITLISTED, 1)
    opportunity.refresh_from_db()
    assert (opportunity.places_taken, opportunity.waitlist_length) == (1, 1)

    # Ada withdraws, after being told what will happen, so the place is offered to Ben, by
    # e-mail and on his home page.
    ada_page.page.get_by_role("button", name="Withdraw").click()
    ada_page.check_accessibility()
    expect(ada_page.page.get_by_role("heading", level=1)).to_have_text(f"Withdraw from {TITLE}?")
    expect(
        ada_page.page.get_by_text("Your place will be offered to the next person on the waiting list.")
    ).to_be_visible()
    ada_page.page.get_by_role("button", name="Yes, withdraw").click()
    ada_page.check_accessibility()
    expect(ada_page.page.get_by_text("You have withdrawn. Thank you for letting us know.")).to_be_visible()
    ada_signup.refresh_from_db()
    ben_signup.refresh_from_db()
    assert ada_signup.state == SignUp.State.WITHDRAWN
    assert ben_signup.state == SignUp.State.OFFERED
    assert abs(ben_signup.offer_expires_at - (timezone.now() + timedelta(hours=48))) < timedelta(minutes=5)
    opportunity.refresh_from_db()
    assert (opportunity.places_taken, opportunity.waitlist_length) == (1, 0)
    offer_mails = [m for m in mail.outbox if m.to == [ben.email] and "A place is offered to you" in m.subject]
    assert len(offer_mails) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert f"/opportunities/{opportunity.pk}/" in offer_mails[0].body

    ben_page.page.get_by_role("link", name="My involvement").click()
    ben_page.check_accessibility()
    expect(ben_page.page.get_by_role("heading", name="Places offered to you")).to_be_visible()
    expect(ben_page.page.get_by_text("A place is held for you for 1 day and 23 hours")).to_be_visible()
    ben_page.page.get_by_role("button", name=f"Accept the place on {TITLE}").click()
    ben_page.check_accessibility()
    # He sees the dates before he says yes.
    expect(ben_page.page.get_by_role("heading", level=1)).to_have_text(f"Accept the place on {TITLE}")
    expect(ben_page.page.get_by_text(re.compile(r"10am to 12:30pm, Central Leeds"))).to_be_visible()
    ben_page.page.get_by_role("button", name="Accept the place").click()
    ben_page.check_accessibility()
    expect(ben_page.page.get_by_text("You have accepted the place. It is confirmed.")).to_be_visible()
    expect(ben_page.page.get_by_role("heading", name="Places offered to you")).to_have_count(0)
    ben_signup.refresh_from_db()
    assert ben_signup.state == SignUp.State.CONFIRMED
    opportunity.refresh_from_db()
    assert opportunity.places_taken == 1

    # The session takes place; then the worker records that Ben attended (attendance can be
    # recorded only once a session has started).
    Session.objects.filter(opportunity=opportunity).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    page.get_by_role("link", name="Participants, selection and attendance").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("row").filter(has_text="Ben")).to_contain_text("Confirmed")
    expect(page.get_by_role("row").filter(has_text="Ada")).to_contain_text("Withdrawn")
    page.get_by_role("group", name="Ben", exact=True).get_by_label("Attended").check()
    page.get_by_role("button", name=re.compile("^Save attendance")).click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Attendance recorded for 1 person.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ben")).to_contain_text("Attended")
    expect(page.get_by_role("group", name="Ben", exact=True).get_by_label("Attended")).to_be_checked()
    ben_signup.refresh_from_db()
    assert ben_signup.state == SignUp.State.ATTENDED
    assert ben_signup.attendance.get().attended
    opportunity.refresh_from_db()
    assert opportunity.places_taken == 1
