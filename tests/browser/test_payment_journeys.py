"""A claim from an attended activity to money paid, in the browser, with axe-core on every page
each person visits (issue 12).

Robin took part in a paid activity, so a claim is open. Robin claims the full fee, mileage
and parking with a receipt, and sends it; the lead worker looks at the receipt and returns the
claim; Robin removes the parking and sends it again; the lead worker approves it; a finance
officer exports it, downloads finance's CSV and marks the batch paid; Robin sees "Paid".

Then, without JavaScript: someone who keeps to an earnings limit sets it, is told before a fee
takes them past it how much is left and what else they could choose, and takes a smaller amount.
"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Locator, expect

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from catalogue.models import PaymentPolicy
from payments.models import Claim, ExpenseKind, FeeChoice, PaymentDetails
from payments.services import claim_submit
from payments.tests.factories import attended_claim, held_opportunity
from payments.tests.receipts import png_bytes
from tests.browser.conftest import CheckedPage
from tests.browser.test_opportunity_journeys import fill_date

TITLE = "Review the carers' leaflet"
# The visually hidden part of a link's name is read after a space.
ROBINS_CLAIM = re.compile(rf"^Robin\s*: claim for {re.escape(TITLE)}$")
RETURN_REASON = "The parking receipt is for another day. Please remove the parking, or add the right receipt."


def mileage_rates_in_force() -> None:
    """HMRC's rates, as catalogue's migration seeds them: a browser test's database is emptied
    between tests, seeded rows and all."""
    if not PaymentPolicy.objects.exists():
        PaymentPolicy.objects.create(
            effective_from=date(2011, 4, 6),
            car_rate=Decimal("0.45"),
            car_rate_after_step=Decimal("0.25"),
            car_step_miles=10000,
            motorcycle_rate=Decimal("0.24"),
            bicycle_rate=Decimal("0.20"),
            passenger_rate=Decimal("0.05"),
            meal_limit=Decimal("10.00"),
            monthly_paid_hours_cap=30,
        )


def go(browser: CheckedPage, target: Locator) -> None:
    """Click a link or button that leads to a page, wait until that page has loaded (a form
    may lead back to its own address), and check it with axe-core."""
    with browser.page.expect_navigation():
        target.click()
    browser.check_accessibility()


def visit(browser: CheckedPage, path: str) -> None:
    browser.goto(path)
    browser.check_accessibility()


def logged_in(browser: CheckedPage, who, landing: str) -> None:
    """Log in as `who` (as tests.browser.test_foundation_journeys.log_in does, waiting for
    the page after it), landing on their home."""
    page = browser.page
    visit(browser, "/accounts/login/")
    page.get_by_label("Email").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    go(browser, page.get_by_role("button", name="Log in", exact=True))
    expect(page).to_have_url(re.compile(f"{landing}$"))


def saw(browser: CheckedPage, text: str) -> None:
    """The page says `text` where the person can see it."""
    expect(browser.page.get_by_text(text).first).to_be_visible()


def test_a_claim_is_sent_returned_fixed_approved_exported_and_paid(checked_page, another_browser, tmp_path):
    mileage_rates_in_force()
    lead = person(roles=[Role.WORKER], display_name="Lena Lead")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    # Finance pays people by their full name; the pages use the name they go by.
    robin.first_name, robin.last_name = "Robin", "Ashby"
    robin.save()
    finance = person(roles=[Role.FINANCE], display_name="Farah Finance")
    # Two hours at £11.50 an hour: a fee of £23.00.
    claim = attended_claim(person=robin, title=TITLE, lead_worker=lead, hours=2)
    assert claim.fee == Decimal("23.00") and claim.state == Claim.State.DRAFT
    receipt = tmp_path / "parking-receipt.png"
    receipt.write_bytes(png_bytes())

    # Robin finds the claim on their home page and fills it in.
    rep = checked_page
    rp = rep.page
    logged_in(rep, robin, "/me/")
    go(rep, rp.get_by_role("link", name=f"Claim your fee and expenses for {TITLE}"))
    expect(rp.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(rp.get_by_text("Not sent yet", exact=True)).to_be_visible()
    fee_row = rp.locator(".nhsuk-summary-list__row").filter(has_text="Fee").first
    expect(fee_row).to_contain_text("£23.00")

    rp.get_by_label("The full fee", exact=True).check()
    go(rep, rp.get_by_role("button", name="Save your choice"))
    saw(rep, "Your choice has been saved. Send the claim when it is ready.")

    rp.get_by_label("Mileage", exact=True).check()
    rp.get_by_label("Miles (for mileage)").fill("12")
    rp.get_by_label("Car or van", exact=True).check()
    go(rep, rp.get_by_role("button", name="Add the expense"))
    saw(rep, "Mileage added: £5.40.")

    rp.get_by_label("Parking", exact=True).check()
    rp.get_by_label("Amount (£)").fill("4.50")
    rp.get_by_label("Details (optional)").fill("Hospital car park")
    rp.get_by_label("Receipt (optional)").set_input_files(receipt)
    go(rep, rp.get_by_role("button", name="Add the expense"))
    saw(rep, "Parking added: £4.50.")
    expenses = rp.get_by_role("table", name="Expenses on this claim")
    expect(expenses).to_contain_text("Mileage")
    expect(expenses).to_contain_text("Parking: Hospital car park")
    expect(expenses.get_by_role("link", name="See the receipt for parking, £4.50")).to_be_visible()
    expect(rp.locator(".nhsuk-summary-list__row").filter(has_text="Total")).to_contain_text("£32.90")

    go(rep, rp.get_by_role("button", name="Send claim"))
    saw(rep, "Your claim has been sent. We will tell you when it is approved.")
    expect(rp.get_by_text("Waiting for approval", exact=True)).to_be_visible()
    expect(rp.get_by_role("button", name="Send claim")).to_have_count(0)
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED
    parking = claim.expenses.get(kind=ExpenseKind.PARKING)
    assert parking.receipt and parking.receipt_content_type == "image/png"

    # The lead worker opens the claim, looks at the receipt, and returns the claim.
    worker = another_browser()
    wp = worker.page
    logged_in(worker, lead, "/worker/")
    go(worker, wp.get_by_role("link", name="Claims to approve: 1"))
    expect(wp).to_have_url(re.compile("/worker/claims/$"))
    expect(wp.get_by_role("heading", name="Waiting for approval: 1")).to_be_visible()
    go(worker, wp.get_by_role("link", name=ROBINS_CLAIM))
    expect(wp.get_by_role("heading", level=1)).to_have_text("Claim from Robin")
    review_expenses = wp.get_by_role("table", name="Expenses claimed, repaid at cost")
    expect(review_expenses).to_contain_text("Parking: Hospital car park")
    expect(review_expenses).to_contain_text("£5.40")
    # The receipt is an image, not a page: fetched with the worker's cookies rather than
    # opened in the tab, where the checker would (rightly) ask for axe on it.
    href = review_expenses.get_by_role("link", name="View receipt for Parking, £4.50").get_attribute("href")
    served = wp.request.get(worker.base_url + href)
    assert served.status == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.body() == png_bytes()
    # Who else may (and may not) see a receipt: payments/tests/test_receipts_view.py.

    wp.get_by_label("What needs to change?").fill(RETURN_REASON)
    go(worker, wp.get_by_role("button", name="Return the claim"))
    saw(worker, "The claim has been returned to Robin, with your reason.")
    expect(wp).to_have_url(re.compile("/worker/claims/$"))
    expect(wp.get_by_role("heading", name="Waiting for approval: 0")).to_be_visible()
    claim.refresh_from_db()
    assert (claim.state, claim.return_reason) == (Claim.State.RETURNED, RETURN_REASON)

    # Robin reads why, removes the parking, and sends the claim again.
    visit(rep, "/me/")
    claim_link = rp.get_by_role("link", name=f"Claim your fee and expenses for {TITLE}")
    expect(rp.get_by_role("listitem").filter(has=claim_link)).to_contain_text("(returned to you to change)")
    go(rep, claim_link)
    expect(rp.get_by_text("Returned to you to change", exact=True)).to_be_visible()
    expect(rp.get_by_role("heading", name="Important: Why your claim came back")).to_be_visible()
    expect(rp.locator(".nhsuk-warning-callout")).to_contain_text(RETURN_REASON)
    go(rep, rp.get_by_role("button", name="Remove parking, £4.50"))
    saw(rep, "The expense has been removed.")
    expect(rp.get_by_role("table", name="Expenses on this claim")).not_to_contain_text("Parking")
    expect(rp.locator(".nhsuk-summary-list__row").filter(has_text="Total")).to_contain_text("£28.40")
    go(rep, rp.get_by_role("button", name="Send claim"))
    saw(rep, "Your claim has been sent. We will tell you when it is approved.")
    expect(rp.get_by_text("Why your claim came back")).to_have_count(0)

    # The lead worker approves it.
    visit(worker, "/worker/claims/")
    go(worker, wp.get_by_role("link", name=ROBINS_CLAIM))
    review_expenses = wp.get_by_role("table", name="Expenses claimed, repaid at cost")
    expect(review_expenses).not_to_contain_text("Parking")
    expect(wp.locator(".nhsuk-summary-list__row").filter(has_text="Total")).to_contain_text("£28.40")
    go(worker, wp.get_by_role("button", name="Approve the claim"))
    saw(worker, "The claim is approved. Robin has been told, and finance can now pay it.")
    claim.refresh_from_db()
    assert claim.state == Claim.State.APPROVED and claim.approved_by == lead

    # The finance officer exports it, adds Robin's payroll reference, downloads the CSV, and
    # marks the batch paid today.
    officer = another_browser()
    fp = officer.page
    logged_in(officer, finance, "/payments/exports/")
    expect(fp.get_by_role("heading", level=1)).to_have_text("Payments for finance")
    expect(
        fp.get_by_text("1 approved claim, £28.40 in fees and expenses, waiting to be exported.")
    ).to_be_visible()
    go(officer, fp.get_by_role("button", name="Export approved claims"))
    expect(
        fp.get_by_text(re.compile(r"^Batch \S+ made: 1 claim, £28\.40\. Download it for finance\.$"))
    ).to_be_visible()
    claim.refresh_from_db()
    batch = claim.batch
    assert claim.state == Claim.State.EXPORTED and batch is not None
    expect(fp.get_by_role("heading", level=1)).to_have_text(f"Batch {batch.reference}")

    fp.get_by_label("Payroll or supplier reference").fill("PAY-7731")
    go(officer, fp.get_by_role("button", name="Save the reference for Robin"))
    saw(officer, "Payroll reference saved for Robin. Download the batch again to include it.")
    expect(fp.get_by_role("table", name=f"Claims in batch {batch.reference}")).to_contain_text("PAY-7731")

    with fp.expect_download() as download_info:
        fp.get_by_role("link", name="Download the CSV for finance").click()
    download = download_info.value
    assert download.suggested_filename == f"involvement-payments-{batch.reference}.csv"
    with open(download.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert [(row["line"], row["amount"], row["taxable"], row["pay_to"]) for row in rows] == [
        ("fee", "23.00", "yes", "person"),
        ("expense: Mileage", "5.40", "no", "person"),
    ], rows
    assert {(row["claim"], row["payroll_reference"], row["name"], row["activity"]) for row in rows} == {
        (str(claim.pk), "PAY-7731", "Robin Ashby", TITLE)
    }

    today = timezone.localdate()
    fill_date(fp.get_by_role("group", name="Date paid"), today)
    go(officer, fp.get_by_role("button", name="Mark the batch paid"))
    saw(officer, "1 claim marked paid. Each person has been told.")
    expect(fp.get_by_role("button", name="Mark the batch paid")).to_have_count(0)
    claim.refresh_from_db()
    assert (claim.state, claim.paid_on) == (Claim.State.PAID, today)

    # Robin sees "Paid", on their payments and on the claim.
    visit(rep, "/me/payments/")
    row = rp.get_by_role("row").filter(has=rp.get_by_role("link", name=re.compile(f"^{TITLE}")))
    expect(row.locator(".nhsuk-tag")).to_have_text("Paid")
    expect(row).to_contain_text("Paid. There is nothing more to do.")
    expect(row).to_contain_text("£28.40")
    go(rep, row.get_by_role("link", name=re.compile(f"^{TITLE}")))
    expect(rp.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(rp.locator("p > .nhsuk-tag")).to_have_text("Paid")
    paid_row = rp.locator(".nhsuk-summary-list__row").filter(has_text="Paid on")
    expect(paid_row).to_contain_text(f"{today.day} {today:%B %Y}")
    expect(rp.get_by_role("button", name="Send claim")).to_have_count(0)


def test_someone_keeping_to_an_earnings_limit_takes_a_smaller_amount_without_javascript(no_js_page):
    sam = person(roles=[Role.REPRESENTATIVE], display_name="Sam")
    # Two activities on the same day, so in the same week. The first claim, one hour at
    # £11.50, is already sent; the second, two hours, would pay £23.00.
    starts_at = timezone.now() - timedelta(days=2)
    earlier = attended_claim(person=sam, title="Staff interview panel", hours=1, starts_at=starts_at)
    claim_submit(claim=earlier, by=sam)
    claim = attended_claim(
        person=sam, opportunity=held_opportunity(title=TITLE, hours=2, starts_at=starts_at)
    )
    assert (earlier.fee, claim.fee) == (Decimal("11.50"), Decimal("23.00"))
    page = no_js_page.page

    # Sam sets a limit of £30 a week: £18.50 is left of it after the first claim.
    # Each page is checked as it is without JavaScript (see CheckedPage).
    logged_in(no_js_page, sam, "/me/")
    visit(no_js_page, "/me/payments/")
    go(no_js_page, page.get_by_role("link", name="Set an earnings limit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your earnings limit")
    page.get_by_label("Your earnings limit (£)").fill("30")
    page.get_by_label("Each week (Monday to Sunday)").check()
    go(no_js_page, page.get_by_role("button", name="Save your limit"))
    saw(no_js_page, "Your earnings limit is saved: £30.00 a week.")
    expect(page).to_have_url(re.compile("/me/payments/$"))
    expect(page.get_by_text("You have set a limit of £30.00 a week.")).to_be_visible()
    details = PaymentDetails.objects.get(person=sam)
    assert (details.earnings_limit, details.limit_period) == (Decimal("30.00"), "week")

    # On the claim, before choosing: what is left, and the other choices.
    go(no_js_page, page.get_by_role("link", name=re.compile(f"^{TITLE}")))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    warning = page.locator(".nhsuk-warning-callout")
    expect(
        warning.get_by_role("heading", name="Important: The full fee would take you past your limit")
    ).to_be_visible()
    expect(
        warning.get_by_text(
            re.compile(
                r"^You have £18\.50 left of your weekly earnings limit of £30\.00 .* fee is £23\.00\.$"
            )
        )
    ).to_be_visible()
    expect(
        warning.get_by_text(
            re.compile(
                r"^You could take a smaller amount \(up to £18\.50\), ask for the fee to go to a charity, "
                r"or take no payment\."
            )
        )
    ).to_be_visible()
    expect(warning.get_by_role("link", name="Get advice about benefits and payments")).to_be_visible()

    # Sam tries the full fee anyway: refused, with what is left and the other choices beside
    # the field.
    choices = page.get_by_role("group", name="What would you like done with the fee?")
    choices.get_by_label("The full fee", exact=True).check()
    go(no_js_page, page.get_by_role("button", name="Save your choice"))
    expect(page).to_have_title(re.compile("^Error: "))
    choices = page.get_by_role("group", name="What would you like done with the fee?")
    beside = choices.locator(".nhsuk-error-message")
    expect(beside).to_contain_text("This would take you past your weekly earnings limit of £30.00")
    expect(beside).to_contain_text("you have £18.50 left")
    expect(beside).to_contain_text(
        "You could take a smaller amount, ask for it to go to a charity, or take no payment"
    )
    for other in ("A smaller amount", "No payment, thank you", "Pay it to a charity", "A voucher"):
        expect(choices.get_by_label(other, exact=True)).to_be_visible()
    expect(page.get_by_label("I know this takes me past my limit")).not_to_be_checked()
    claim.refresh_from_db()
    assert claim.state == Claim.State.DRAFT and claim.reduced_amount is None

    # Sam takes what is left instead, and sends the claim.
    choices.get_by_label("A smaller amount", exact=True).check()
    page.get_by_label("If you chose a smaller amount: how much? (£)").fill("18.50")
    go(no_js_page, page.get_by_role("button", name="Save your choice"))
    saw(no_js_page, "Your choice has been saved. Send the claim when it is ready.")
    expect(page.locator(".nhsuk-summary-list__row").filter(has_text="Your choice")).to_contain_text(
        "A smaller amount: £18.50"
    )
    go(no_js_page, page.get_by_role("button", name="Send claim"))
    saw(no_js_page, "Your claim has been sent. We will tell you when it is approved.")
    expect(page.get_by_text("Waiting for approval", exact=True)).to_be_visible()
    claim.refresh_from_db()
    assert claim.state == Claim.State.SUBMITTED
    assert (claim.choice, claim.reduced_amount, claim.past_limit_confirmed) == (
        FeeChoice.REDUCED_FEE,
        Decimal("18.50"),
        False,
    )
