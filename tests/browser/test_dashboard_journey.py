"""The manager's dashboard in the browser: change a filter, download a CSV, axe on every page."""

import csv
import io
import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_foundation_journeys import DEMO_PASSWORD, log_in


def test_a_manager_reads_the_answers_opens_a_section_filters_and_downloads_a_table(checked_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = checked_page.page
    log_in(checked_page, "manager@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile("/dashboard/$"))
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is involvement fair")

    # The answers come first: six sentences, each with its comparison or why there is none.
    answers = page.locator(".app-answers li")
    expect(answers).to_have_count(6)
    for index in range(6):
        expect(answers.nth(index)).to_contain_text(re.compile(r"previous period|not shown|no figure"))
    # One opens its section, whose table has the previous period and the better direction.
    page.get_by_role("link", name=re.compile("^See Reach")).first.click()
    expect(page).to_have_url(re.compile("#reach$"))
    checked_page.check_accessibility()  # a move within the page counts as a visit too
    reach = page.get_by_role("table", name="Reach")
    expect(reach).to_be_visible()
    expect(reach.get_by_role("columnheader", name="Previous period")).to_be_visible()
    expect(reach).to_contain_text("0 means everyone took part equally")
    # The charts are drawn (JavaScript on), and every figure is in a table too.
    expect(page.locator("canvas.app-chart").first).to_be_visible()

    # What a figure means, in full, and back.
    page.get_by_role("link", name=re.compile("^How these figures are counted.*Reach$")).click()
    expect(page).to_have_url(re.compile("/dashboard/definitions/#reach$"))
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", name="Reach", exact=True)).to_be_visible()
    page.get_by_role("link", name="Back to the dashboard").click()
    checked_page.check_accessibility()

    page.get_by_text("Change the period, team or type").click()
    page.get_by_label("This quarter").check()
    page.get_by_label("Team", exact=True).select_option(label="Recruitment and workforce")
    page.get_by_role("button", name="Show figures").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("period=this_quarter"))
    expect(page.get_by_label("This quarter")).to_be_checked()
    expect(page.locator("main")).to_contain_text("recruitment and workforce")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download this table \(CSV\).*Reach$")).click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    # The period and the filters come first, and the file's name has them too.
    assert rows[0][0] == "Period" and rows[1][0] == "Previous period"
    assert rows[2] == ["Team", "Recruitment and workforce"] and rows[3] == ["Type of activity", "All types"]
    assert rows[5][:3] == ["Measure", "This period", "Previous period"]
    assert rows[6][0] == "Active representatives"
    assert re.fullmatch(
        r"involvement-reach-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}-recruitment-and-workforce\.csv",
        download.suggested_filename,
    )


def test_a_representative_answers_the_equality_monitoring_questions(checked_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = checked_page.page
    log_in(checked_page, "rep@example.org", DEMO_PASSWORD)
    checked_page.check_accessibility()
    checked_page.goto("/me/profile/")
    checked_page.check_accessibility()
    page.get_by_role("link", name="Answer the equality monitoring questions").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you: equality monitoring")
    page.get_by_role("group", name="Your age").get_by_label("25 to 34").check()
    page.get_by_role("group", name="Your sexual orientation").get_by_label("Prefer not to say").check()
    page.get_by_role("button", name="Save your answers").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("/me/profile/$"))
    expect(page.get_by_role("link", name="Change your equality monitoring answers")).to_be_visible()


def test_the_dashboard_reads_without_javascript(no_js_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = no_js_page.page
    no_js_page.goto("/accounts/login/")
    no_js_page.check_accessibility()  # each page as it is without JavaScript (see CheckedPage)
    page.get_by_label("Email").fill("manager@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile("/dashboard/$"))
    no_js_page.check_accessibility()
    expect(page.get_by_role("table", name="Month by month")).to_be_visible()
    expect(page.get_by_role("table", name="Feeling valued and support")).to_be_visible()
