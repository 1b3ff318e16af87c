"""Browser tests: Playwright drives Debian's Chromium against the live test server.

Every page a test visits must be checked with axe-core (WCAG 2.0, 2.1 and 2.2, A and AA);
the `page` fixture fails a test that visited a page without checking it, or that logged a
Content-Security-Policy violation. Chromium missing is a failure, never a skip.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests
# make between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`.", pytrace=False
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


def axe_violations(page: Page) -> list[dict]:
    """Runs axe-core on the page as it is now (the page must allow JavaScript)."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
    ]


# The page as a visitor without JavaScript has it: <noscript> content unwrapped (with scripting
# off the browser parsed it as markup and shows it), every <script> removed. A copy, so the
# page under test is left as it is.
NO_JS_SNAPSHOT = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('script').forEach(script => script.remove());
    copy.querySelectorAll('noscript').forEach(noscript => noscript.replaceWith(...noscript.childNodes));
    return '<!DOCTYPE html>' + copy.outerHTML;
}"""


class CheckedPage:
    """Wraps a Playwright page and insists that axe checks every page it lands on: each
    navigation must be checked before the next one, whatever its address.

    `javascript_page` is given for a page opened with JavaScript disabled: axe-core cannot run
    there (Chromium's disabled scripting stops its timers, so `axe.run` never settles), so
    `check_accessibility` copies the page as the visitor without JavaScript has it into a page
    that allows JavaScript and runs axe on the copy. The copy is served at the same address by
    intercepting that one navigation (`route.fulfill`), rather than with `set_content`, so that
    relative links, stylesheets and images resolve exactly as on the real page and colour
    contrast is judged with the real CSS; its scripts are removed, so nothing enhances it.
    """

    def __init__(self, page: Page, base_url: str, javascript_page: Page | None = None):
        self.page = page
        self.base_url = base_url
        self.javascript_page = javascript_page
        self.current: str | None = None
        self.current_checked = True
        self.unchecked: list[str] = []
        self.csp_errors: list[str] = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and self._navigated(frame.url))
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and self.csp_errors.append(message.text)
            ),
        )

    def _navigated(self, url: str) -> None:
        if self.current is not None and not self.current_checked:
            self.unchecked.append(self.current)
        parts = urlsplit(url)
        self.current = parts.path + (f"?{parts.query}" if parts.query else "")
        self.current_checked = False

    def unchecked_pages(self) -> list[str]:
        return self.unchecked + ([self.current] if self.current and not self.current_checked else [])

    def assert_all_checked(self) -> None:
        unchecked = self.unchecked_pages()
        assert not unchecked, f"Pages visited without an axe-core check: {unchecked}"
        assert not self.csp_errors, f"Content-Security-Policy violations: {self.csp_errors}"

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def check_accessibility(self) -> None:
        """Runs axe-core on the page as it is now; any violation fails the test."""
        if self.javascript_page is None:
            violations = axe_violations(self.page)
        else:
            violations = self._violations_without_javascript()
        assert not violations, f"axe-core violations on {self.page.url}:\n" + json.dumps(violations, indent=2)
        self.current_checked = True

    def _violations_without_javascript(self) -> list[dict]:
        url = self.page.url
        html = self.page.evaluate(NO_JS_SNAPSHOT)  # a plain DOM read works with scripting off
        checker = self.javascript_page

        def is_this_page(address: str) -> bool:
            return address == url

        def serve_copy(route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

        checker.route(is_this_page, serve_copy)
        try:
            checker.goto(url)
        finally:
            # Gone before axe runs: axe fetches the page's stylesheets again itself.
            checker.unroute(is_this_page, serve_copy)
        return axe_violations(checker)


@pytest.fixture
def checked_page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    wrapper = CheckedPage(page, live_server.url)
    yield wrapper
    context.close()
    wrapper.assert_all_checked()


@pytest.fixture
def no_js_page(browser, live_server, transactional_db):
    """A page with JavaScript disabled; every page it visits must pass axe-core too (checked
    on a copy in a second context that allows JavaScript: see CheckedPage)."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    # The checker has no cookies: it loads only the copy (served by a route) and static files.
    checker_context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    checker_context.set_default_timeout(10_000)
    wrapper = CheckedPage(context.new_page(), live_server.url, javascript_page=checker_context.new_page())
    yield wrapper
    context.close()
    checker_context.close()
    wrapper.assert_all_checked()


@pytest.fixture
def another_browser(browser, live_server, transactional_db):
    """Opens a separate browser (its own cookies) for each extra person in a journey; every
    page it visits must pass axe-core too, and no Content-Security-Policy violation is allowed."""
    opened: list[tuple] = []

    def open_page() -> CheckedPage:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(10_000)
        wrapper = CheckedPage(context.new_page(), live_server.url)
        opened.append((context, wrapper))
        return wrapper

    yield open_page
    for context, _ in opened:
        context.close()
    for _, wrapper in opened:
        wrapper.assert_all_checked()
