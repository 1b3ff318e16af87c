"""The involvement record in the browser (issue 14), with axe-core on every page.

Robin took part in an interview panel (two sessions, one missed) and completed panel
training. Robin reads their record, says they chaired the panel, tries to make a certificate
with nothing chosen and is told what to fix, then makes one of the panel and the training;
a recruiter, not logged in, checks its address and sees exactly that; Robin withdraws it, and
the address then says it was withdrawn. Robin asks their named worker for a reference; the
worker writes it from their home; Robin reads it.
"""

import re

from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import person
from records.models import Certificate
from records.tests.factories import ago, took_part, trained
from tests.browser.test_payment_journeys import go, logged_in, saw, visit

PANEL = "Ward manager interviews"


def test_a_certificate_is_made_checked_and_withdrawn(checked_page, another_browser):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=worker)
    took_part(
        robin,
        lead=worker,
        sessions=[(*ago(30, hours=2.5), True), (*ago(29, hours=2), False)],
        title=PANEL,
        involvement_level="co-producing",
    )
    trained(robin, name="Recruitment panel training")

    rep = checked_page
    rp = rep.page
    logged_in(rep, robin, "/me/")
    go(rep, rp.get_by_role("link", name="Your involvement record, certificates and references"))
    expect(rp.get_by_role("heading", level=1)).to_have_text("Your involvement record")
    activities = rp.get_by_role("table", name="Activities you took part in, most recent first")
    expect(activities).to_contain_text(PANEL)
    expect(activities).to_contain_text("2.5")  # the missed session does not count
    saw(rep, "Recruitment panel training")

    go(rep, rp.get_by_role("link", name=re.compile(f"^Add your role on {PANEL}")))
    rp.get_by_label("Chair", exact=True).check()
    go(rep, rp.get_by_role("button", name="Save your role"))
    saw(rep, f"Your role on {PANEL} has been saved.")
    expect(activities).to_contain_text("Chair")

    # Nothing chosen: the form says what to fix, beside the field.
    go(rep, rp.get_by_role("link", name="Make a certificate").first)
    go(rep, rp.get_by_role("button", name="Make the certificate"))
    expect(rp).to_have_title(re.compile("^Error: "))
    expect(rp.locator(".nhsuk-error-summary")).to_contain_text(
        "Choose at least one activity or course to include"
    )

    rp.get_by_label("Robin", exact=True).check()
    rp.get_by_label(re.compile(PANEL)).check()
    rp.get_by_label(re.compile("Recruitment panel training")).check()
    rp.get_by_label("Total hours by year, for the activities chosen").check()
    go(rep, rp.get_by_role("button", name="Make the certificate"))
    saw(rep, "Your certificate has been made. Share its address or the PDF.")
    certificate = Certificate.objects.get(person=robin)
    expect(rp.get_by_text(certificate.code, exact=True)).to_be_visible()
    expect(rp.get_by_role("link", name="Download the certificate (PDF)")).to_be_visible()

    # A recruiter with the address, not logged in.
    recruiter = another_browser()
    visit(recruiter, f"/verify/{certificate.code}/")
    rcp = recruiter.page
    expect(rcp.get_by_role("heading", level=1)).to_have_text("Check an involvement certificate")
    expect(rcp.locator("main")).to_contain_text("This certificate is genuine")
    expect(rcp.locator("main")).to_contain_text(PANEL)
    expect(rcp.locator("main")).to_contain_text("Chair")
    expect(rcp.locator("main")).to_contain_text("Recruitment panel training")
    expect(rcp.locator("main")).not_to_contain_text(robin.email)

    # Robin withdraws it, after a confirmation.
    go(rep, rp.get_by_role("link", name="Withdraw this certificate"))
    go(rep, rp.get_by_role("button", name="Yes, withdraw it"))
    saw(rep, "The certificate has been withdrawn. Its address now says so.")

    visit(recruiter, f"/verify/{certificate.code}/")
    expect(rcp.locator("main")).to_contain_text("withdrawn on")
    expect(rcp.locator("main")).not_to_contain_text(PANEL)

    # A guessed code is not found.
    visit(recruiter, "/verify/not-a-real-code/")
    expect(rcp.get_by_role("heading", level=1)).not_to_have_text("Check an involvement certificate")


def test_a_reference_is_asked_for_written_and_read(checked_page, another_browser):
    worker = person(roles=[Role.WORKER], display_name="Wendy Worker")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=worker)
    took_part(robin, lead=worker, sessions=[(*ago(10, hours=1.5), True)], title="Leaflet review")

    rep = checked_page
    rp = rep.page
    logged_in(rep, robin, "/me/")
    visit(rep, "/me/record/")
    go(rep, rp.get_by_role("link", name="Add your skills and statement").first)
    rp.get_by_label("Your skills (optional)").fill("Reading closely\nGiving feedback")
    rp.get_by_label("About your involvement, in your own words (optional)").fill("x" * 1600)
    go(rep, rp.get_by_role("button", name="Save"))
    expect(rp.locator(".nhsuk-error-summary")).to_be_visible()
    expect(rp.get_by_label("Your skills (optional)")).to_have_value("Reading closely\nGiving feedback")
    rp.get_by_label("About your involvement, in your own words (optional)").fill(
        "I like making leaflets clearer."
    )
    go(rep, rp.get_by_role("button", name="Save"))
    saw(rep, "Your skills and statement have been saved.")
    visit(rep, "/me/record/certificates/")
    go(rep, rp.get_by_role("link", name="Back to your record"))
    go(rep, rp.get_by_role("link", name="Ask for a reference").first)
    rp.get_by_label("A job", exact=True).check()
    go(rep, rp.get_by_role("button", name="Send the request"))
    expect(rp.locator(".nhsuk-error-summary")).to_contain_text("Enter the job, course or role")
    rp.get_by_label("The job, course or role").fill("Peer support worker")
    rp.get_by_label("Organisation").fill("Leeds Mind")
    go(rep, rp.get_by_role("button", name="Send the request"))
    saw(rep, "Your request has been sent. We will tell you when the reference is ready.")

    staff = another_browser()
    sp = staff.page
    logged_in(staff, worker, "/worker/")
    go(staff, sp.get_by_role("link", name=re.compile(r"^Robin\s*: reference$")))
    sp.get_by_label("The reference").fill("Robin chaired our panel with care.")
    go(staff, sp.get_by_role("button", name="Send the reference"))
    saw(staff, "The reference has been sent. We have told the person it is ready.")
    go(staff, sp.get_by_role("link", name="All references asked of you"))
    expect(sp.locator("main")).to_contain_text("Sent")

    # From Robin's page, the named worker sets Robin's role on the review, as Robin asked.
    visit(staff, f"/worker/people/{robin.pk}/")
    go(staff, sp.get_by_role("link", name="Their involvement record: hours, roles and training"))
    go(staff, sp.get_by_role("link", name=re.compile("^Set their role on Leaflet review")))
    sp.get_by_label("Co-facilitator", exact=True).check()
    go(staff, sp.get_by_role("button", name="Save their role"))
    saw(staff, "Their role on Leaflet review has been saved.")

    visit(rep, "/me/record/")
    go(rep, rp.get_by_role("link", name="Peer support worker, Leeds Mind"))
    saw(rep, "Robin chaired our panel with care.")
    expect(rp.get_by_role("link", name="Download the reference (PDF)")).to_be_visible()
