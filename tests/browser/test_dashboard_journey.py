"""The manager's dashboard in the browser: change a filter, download a CSV, axe on every page."""

import csv
import io
import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_foundation_journeys import DEMO_PASSWORD, log_in


def test_a_manager_filters_the_dashboard_and_downloads_a_table(checked_page, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("seed_demo", quiet=True)
    page = checked_page.page
    log_in(checked_page, "manager@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile("/dashboard/$"))
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is involvement fair")
    # The charts are drawn (JavaScript on), and every figure is in a table too.
    expect(page.locator("canvas.app-chart").first).to_be_visible()
    expect(page.get_by_role("table", name="Reach")).to_be_visible()

    page.get_by_text("Change the period, team or type").click()
    page.get_by_label("This quarter").check()
    page.get_by_label("Team", exact=True).select_option(label="Recruitment and workforce")
    page.get_by_role("button", name="Show figures").click()
    checked_page.check_accessibility()
    expect(page).to_have_url(re.compile("period=this_quarter"))
    expect(page.get_by_label("This quarter")).to_be_checked()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download this table \(CSV\).*Reach$")).click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0][0] == "Period" and rows[1] == ["Measure", "Value"]
    assert rows[2][0] == "Active representatives"
    assert "involvement-reach-" in download.suggested_filename


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
