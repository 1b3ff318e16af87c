"""Training and the day itself in the browser, with axe-core on every page (issue 14): a
worker adds a preparation pack (a wrong file first), a representative finds they need
training before they can sign up and sees the next date, the worker records the training
on their page, and the representative signs up, reads what to expect and downloads the pack;
then takes part, makes a certificate, and a recruiter checks it at its address."""

import io
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from catalogue.models import Course
from opportunities.models import Opportunity, SignUp
from opportunities.services import attendance_record, signup_create
from opportunities.tests.factories import OpportunityFactory
from opportunities.training import TrainingCompletion
from records.models import Certificate
from records.tests.factories import ago
from tests.browser.test_foundation_journeys import log_in
from tests.browser.test_opportunity_journeys import fill_date
from tests.browser.test_payment_journeys import go, saw, visit

PANEL = "Ward manager interview panel"
TRAINING = "Panel training, December"


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_worker_records_training_and_the_person_signs_up_and_gets_ready(checked_page, another_browser):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=worker)
    course = Course.objects.create(
        name="Recruitment panel training", description="How interviews work.", valid_for_months=24
    )
    soon = timezone.now() + timedelta(days=12)
    OpportunityFactory(
        title=TRAINING, trains_for=course, lead_worker=worker, sessions=[(soon, soon + timedelta(hours=3))]
    )
    panel = OpportunityFactory(title=PANEL, required_course=course, lead_worker=worker)
    panel.sessions.update(
        meet_by="Sam, at the main reception",
        what_to_bring="Your reading glasses",
        directions="Bus 16 to Park Row.",
        map_link="https://maps.example.org/park-row",
        breaks="A break every hour",
    )

    # The worker adds the preparation pack: a text file first, refused by the field.
    page = checked_page.page
    log_in(checked_page, worker.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    checked_page.check_accessibility()
    checked_page.goto(f"/opportunities/{panel.pk}/")
    checked_page.check_accessibility()
    page.get_by_role("link", name="Add a preparation pack").click()
    checked_page.check_accessibility()
    pack = page.get_by_label("Preparation pack")
    pack.set_input_files(files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Some words"}])
    page.get_by_role("button", name="Upload the pack").click()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Preparation pack")).to_have_accessible_description(
        re.compile("must be a PDF or an image")
    )
    page.get_by_label("Preparation pack").set_input_files(
        files=[{"name": "pack.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Upload the pack").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("The preparation pack has been saved.")).to_be_visible()

    # Robin cannot sign up yet: the page says why and when the course is next.
    robin_page = another_browser()
    log_in(robin_page, robin.email, PASSWORD)
    expect(robin_page.page).to_have_url(re.compile("/me/$"))
    robin_page.check_accessibility()
    robin_page.goto(f"/opportunities/{panel.pk}/")
    robin_page.check_accessibility()
    expect(robin_page.page.get_by_text("Training needed first")).to_be_visible()
    expect(robin_page.page.get_by_role("link", name=TRAINING)).to_be_visible()
    expect(robin_page.page.get_by_role("button", name="Sign up")).to_have_count(0)
    expect(robin_page.page.get_by_text("Sam, at the main reception")).to_be_visible()

    # Robin's named worker records the course on Robin's page.
    checked_page.goto(f"/worker/people/{robin.pk}/")
    checked_page.check_accessibility()
    training = page.locator("#training ~ form").first
    training.get_by_label("Course").select_option(label="Recruitment panel training")
    fill_date(training.get_by_role("group", name="Date completed"), timezone.localdate())
    training.get_by_role("button", name="Record the training").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Recruitment panel training has been recorded for Robin.")).to_be_visible()
    assert TrainingCompletion.objects.get().person == robin

    # Now Robin signs up, reads what to expect and downloads the pack.
    robin_page.page.reload()
    robin_page.check_accessibility()
    robin_page.page.get_by_role("button", name="Sign up").click()
    robin_page.check_accessibility()
    expect(robin_page.page.get_by_text("Your place is confirmed.")).to_be_visible()
    assert SignUp.objects.get(opportunity=panel).state == SignUp.State.CONFIRMED
    expect(robin_page.page.get_by_text("Your reading glasses")).to_be_visible()
    expect(robin_page.page.get_by_role("link", name=re.compile("^Map"))).to_have_attribute(
        "href", "https://maps.example.org/park-row"
    )
    link = robin_page.page.get_by_role("link", name="Download your preparation pack")
    expect(link).to_be_visible()
    download = robin_page.page.request.get(link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF-")

    # The day comes and Robin takes part (the session moved to yesterday, the lead worker's
    # register recorded through the service: the register's own pages have journeys of their
    # own). Robin then makes a certificate of the panel and the training, and a recruiter,
    # not logged in, checks it at its address.
    start, end = ago(1, hours=3)
    panel.sessions.update(starts_at=start, ends_at=end)
    Opportunity.objects.filter(pk=panel.pk).update(starts_at=start, ends_at=end)
    attendance_record(
        signup=SignUp.objects.get(opportunity=panel), session=panel.sessions.get(), attended=True, by=worker
    )
    visit(robin_page, "/me/record/")
    activities = robin_page.page.get_by_role("table", name="Activities you took part in, most recent first")
    expect(activities).to_contain_text(PANEL)
    expect(activities).to_contain_text("3")
    go(robin_page, robin_page.page.get_by_role("link", name="Make a certificate").first)
    robin_page.page.get_by_label("Robin", exact=True).check()
    robin_page.page.get_by_label(re.compile(PANEL)).check()
    robin_page.page.get_by_label(re.compile("Recruitment panel training")).check()
    go(robin_page, robin_page.page.get_by_role("button", name="Make the certificate"))
    saw(robin_page, "Your certificate has been made. Share its address or the PDF.")
    certificate = Certificate.objects.get(person=robin)
    recruiter = another_browser()
    visit(recruiter, f"/verify/{certificate.code}/")
    shown = recruiter.page.locator("main")
    expect(shown).to_contain_text("This certificate is genuine")
    expect(shown).to_contain_text(PANEL)
    expect(shown).to_contain_text("Recruitment panel training")
    expect(shown).not_to_contain_text(robin.email)


def test_a_worker_records_training_without_javascript(no_js_page):
    """The person page's training form and the participants page's one step work as plain
    forms: a date in the future comes back with the message by the field and what was
    typed kept; everyone who attended a training activity is recorded once."""
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=worker)
    course = Course.objects.create(name="Recruitment panel training", valid_for_months=24)
    start = timezone.now() - timedelta(days=2)
    training = OpportunityFactory(
        title=TRAINING, trains_for=course, lead_worker=worker, sessions=[(start, start + timedelta(hours=3))]
    )
    signup = signup_create(opportunity=training, person=robin)
    attendance_record(signup=signup, session=training.sessions.get(), attended=True, by=worker)

    page = no_js_page.page
    log_in(no_js_page, worker.email, PASSWORD)
    expect(page).to_have_url(re.compile("/worker/$"))
    no_js_page.check_accessibility()
    no_js_page.goto(f"/worker/people/{robin.pk}/")
    no_js_page.check_accessibility()
    form = page.locator("#training ~ form").first
    form.get_by_label("Course").select_option(label="Recruitment panel training")
    fill_date(form.get_by_role("group", name="Date completed"), timezone.localdate() + timedelta(days=3))
    form.get_by_role("button", name="Record the training").click()
    no_js_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("The date completed must be today or in the past")
    form = page.locator("#training ~ form").first
    later = timezone.localdate() + timedelta(days=3)
    expect(form.get_by_role("group", name="Date completed").get_by_label("Day", exact=True)).to_have_value(
        str(later.day)
    )
    expect(form.get_by_label("Course")).to_have_value(str(course.pk))
    assert not TrainingCompletion.objects.exists()

    no_js_page.goto(f"/opportunities/{training.pk}/participants/")
    no_js_page.check_accessibility()
    page.get_by_role("button", name="Record training for everyone who attended").click()
    no_js_page.check_accessibility()
    expect(page.get_by_text("Training recorded for 1 person.")).to_be_visible()
    page.get_by_role("button", name="Record training for everyone who attended").click()
    no_js_page.check_accessibility()
    expect(page.get_by_text("1 person had it recorded already.")).to_be_visible()
    assert TrainingCompletion.objects.get().person == robin
