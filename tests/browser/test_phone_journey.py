"""A representative confirms their own mobile number for texts (issue 13, item 8), in the
browser with axe-core on every page, mistakes included: a landline, then a wrong code."""

import re

import pytest
from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from notifications.services import texts
from tests.browser.test_foundation_journeys import log_in

MOBILE = "+447700900982"


@pytest.fixture
def texts_on(settings):
    settings.TEXT_MESSAGES_ENABLED = True
    settings.TEXT_BACKEND = "memory"
    texts.sent.clear()
    yield texts.sent
    texts.sent.clear()


def test_a_representative_confirms_their_mobile_after_a_landline_and_a_wrong_code(checked_page, texts_on):
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin")
    page = checked_page.page
    log_in(checked_page, robin.email, PASSWORD)
    page.wait_for_load_state()
    checked_page.check_accessibility()

    checked_page.goto("/me/phone/")
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your mobile number for texts")
    page.get_by_label("Your mobile number").fill("0113 496 0000")
    page.get_by_role("button", name="Send me a code").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))
    assert not texts_on

    page.get_by_label("Your mobile number").fill("07700 900 982")
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your mobile number")
    checked_page.check_accessibility()
    [code_text] = texts_on
    assert code_text["to_phone"] == MOBILE
    code = code_text["body"].split()[0]
    wrong = "000000" if code != "000000" else "111111"

    page.get_by_label("The code from the text").fill(wrong)
    page.get_by_role("button", name="Confirm my number").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    expect(page).to_have_title(re.compile("^Error: "))

    page.get_by_label("The code from the text").fill(code)
    page.get_by_role("button", name="Confirm my number").click()
    page.wait_for_load_state()
    checked_page.check_accessibility()
    robin.profile.refresh_from_db()
    assert robin.profile.mobile_number == MOBILE
