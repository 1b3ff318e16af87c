"""The involvement charter, in the browser, with axe-core on every page (issue 15).

Robin, a representative, proposes a change to "What we ask of you"; Wendy, a worker,
co-signs it; Ada, an administrator, publishes it as version 2; everyone is told, and Robin,
who had agreed to version 1, is asked on their home to agree to the new agreement, compares
the two versions, and agrees."""

import re

from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from charter.models import Agreement, CharterVersion
from charter.services import agreement_agree
from charter.tests.factories import first_charter
from notifications.kinds import Kind
from notifications.models import Message
from tests.browser.test_foundation_journeys import log_in

NEW_WORDS = "Please be kind. Keep private what people share. Tell us if you cannot come. You can say no."
WHY = "Shorter, so it is easier to read."


def test_a_proposal_is_co_signed_published_and_the_representative_agrees_again(checked_page, another_browser):
    wendy = person(roles=[Role.WORKER], display_name="Wendy")
    robin = person(roles=[Role.REPRESENTATIVE], display_name="Robin", named_worker=wendy)
    ada = person(roles=[Role.ADMINISTRATOR], display_name="Ada")
    first_charter(by=ada, co_signers=[robin, wendy])
    agreement_agree(person=robin, version_number=1)

    # Robin reads the charter and proposes a change to one section.
    page = checked_page.page
    log_in(checked_page, robin.email, PASSWORD)
    expect(page).to_have_url(re.compile("/me/$"))
    checked_page.check_accessibility()
    expect(page.get_by_role("button", name="Read your agreement")).to_have_count(0)
    page.get_by_role("link", name="Our charter").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our involvement charter")
    page.get_by_role("link", name="Propose a change to What we ask of you").click()
    checked_page.check_accessibility()
    page.get_by_label("Your new wording").fill(NEW_WORDS)
    page.get_by_label("Why would you like this change?").fill(WHY)
    page.get_by_role("button", name="Send the proposal").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposal: What we ask of you")
    expect(page.get_by_text("It needs at least one representative and one member of staff")).to_be_visible()

    # Wendy finds it among the proposals and co-signs it.
    wendy_page = another_browser()
    wp = wendy_page.page
    log_in(wendy_page, wendy.email, PASSWORD)
    wendy_page.check_accessibility()
    wendy_page.goto("/charter/proposals/")
    wendy_page.check_accessibility()
    wp.get_by_role("link", name=re.compile("^What we ask of you")).click()
    wendy_page.check_accessibility()
    wp.get_by_role("button", name="Co-sign this proposal").click()
    wendy_page.check_accessibility()
    expect(wp.get_by_text("You have co-signed this proposal.").first).to_be_visible()

    # Ada publishes it.
    ada_page = another_browser()
    ap = ada_page.page
    log_in(ada_page, ada.email, PASSWORD)
    ada_page.check_accessibility()
    ada_page.goto("/charter/proposals/")
    ada_page.check_accessibility()
    ap.get_by_role("link", name=re.compile("^What we ask of you")).click()
    ada_page.check_accessibility()
    ap.get_by_role("button", name="Publish as a new version").click()
    ada_page.check_accessibility()
    expect(ap.get_by_text("Version 2 of the charter is published. Everyone will be told.")).to_be_visible()
    expect(ap.get_by_text(NEW_WORDS)).to_be_visible()
    assert CharterVersion.objects.get(number=2).sections.get(key="from-you").body == NEW_WORDS
    told = Message.objects.get(kind=Kind.CHARTER_UPDATED, recipient=robin)
    assert told.subject == "The involvement charter has changed: please read your agreement"

    # Robin is asked to agree again, compares the versions, and agrees.
    checked_page.goto("/me/")
    checked_page.check_accessibility()
    page.get_by_role("button", name="Read your agreement").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("The charter has changed since you agreed")).to_be_visible()
    expect(page.get_by_text(NEW_WORDS)).to_be_visible()
    page.get_by_role("link", name="our involvement charter").click()
    checked_page.check_accessibility()
    page.get_by_role("link", name="Earlier versions, and what changed").click()
    checked_page.check_accessibility()
    page.get_by_label("Compare version").select_option(label="Version 1")
    page.get_by_label("with version").select_option(label="Version 2")
    page.get_by_role("button", name="Compare").click()
    checked_page.check_accessibility()
    expect(page.get_by_role("heading", level=1)).to_have_text("Changes from version 1 to version 2")
    expect(page.locator("ins").first).to_contain_text("added:")
    checked_page.goto("/me/agreement/")
    checked_page.check_accessibility()
    page.get_by_role("button", name="I agree").click()
    checked_page.check_accessibility()
    expect(page.get_by_text("Thank you. We have kept a copy of your agreement.")).to_be_visible()
    assert Agreement.objects.filter(person=robin, version__number=2).exists()
