"""axe-core on pages opened without JavaScript checks what that visitor really gets.

axe cannot run where scripting is disabled, so CheckedPage copies the page into a page that
allows it (conftest.py). These tests serve small pages through routes (no server needed) and
show the copy is faithful: content in <noscript> is checked, a script that would repair the
page does not run, the page's own stylesheet (at a relative address) is applied, and a clean
page passes.
"""

import pytest

from tests.browser.conftest import CheckedPage

ADDRESS = "http://harness.test/page/"
# A 1x1 GIF inline, so that images need no route.
IMAGE = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
FIX_SCRIPT = "document.querySelectorAll('img').forEach(img => img.alt = 'A chart');"


def page_with(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harness</title>'
        f"{head}</head><body><main><h1>Harness</h1>{body}</main></body></html>"
    )


@pytest.fixture
def no_js(browser):
    """A CheckedPage without JavaScript whose addresses are all served by `serve`."""
    context = browser.new_context(java_script_enabled=False)
    checker_context = browser.new_context()
    files = {
        "http://harness.test/fix.js": ("text/javascript", FIX_SCRIPT),
        "http://harness.test/low-contrast.css": ("text/css", "p { color: #c8c8c8; background: #fff; }"),
    }

    def fulfil(route):
        content_type, body = files.get(route.request.url, ("text/plain", ""))
        route.fulfill(status=200 if route.request.url in files else 404, content_type=content_type, body=body)

    for each in (context, checker_context):
        each.route("http://harness.test/**", fulfil)
    wrapper = CheckedPage(
        context.new_page(), "http://harness.test", javascript_page=checker_context.new_page()
    )

    def serve(html: str) -> CheckedPage:
        files[ADDRESS] = ("text/html; charset=utf-8", html)
        wrapper.page.goto(ADDRESS)
        return wrapper

    yield serve
    context.close()
    checker_context.close()


def violation_ids(checked: CheckedPage) -> set[str]:
    with pytest.raises(AssertionError) as failure:
        checked.check_accessibility()
    return {rule for rule in ("image-alt", "color-contrast") if f'"id": "{rule}"' in str(failure.value)}


def test_a_clean_page_without_javascript_passes(no_js):
    checked = no_js(page_with("<p>Plain words.</p>"))
    checked.check_accessibility()
    assert checked.unchecked_pages() == []


def test_what_noscript_shows_is_checked(no_js):
    checked = no_js(page_with(f'<noscript><img src="{IMAGE}"></noscript>'))
    assert violation_ids(checked) == {"image-alt"}


def test_a_script_that_would_repair_the_page_does_not_run(no_js):
    checked = no_js(page_with(f'<img src="{IMAGE}"><script src="/fix.js"></script>'))
    assert violation_ids(checked) == {"image-alt"}


def test_the_pages_own_stylesheet_at_a_relative_address_is_applied(no_js):
    checked = no_js(page_with("<p>Pale words.</p>", head='<link rel="stylesheet" href="/low-contrast.css">'))
    assert violation_ids(checked) == {"color-contrast"}
