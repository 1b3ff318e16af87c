"""CI's guard on the browser suite: in CI, every browser test collected must run and pass.

The root conftest.py registers this plugin; `.ci/run` sets `CI=true`. Without the guard a
browser suite that skipped (say, Chromium missing and a test that skips instead of failing),
or that a `-k`/`-m` option deselected, would leave the run green while the pages went
unchecked. So, when `CI` is set, the run fails unless:

- at least one browser test was collected, and
- every browser test collected (selected or deselected) passed: its setup, call and teardown
  all passed. A deselected, skipped, xfailed or xpassed browser test fails the run.

A browser test is one under tests/browser/ or marked `browser` (the browser conftest marks
everything under tests/browser/; deselection can happen before it does, so the path counts too).
Outside CI the guard stays out of the way: running one browser test locally is normal.
"""

import os

import pytest

BROWSER_DIR = "tests/browser/"


def _is_browser(node) -> bool:
    """`node` is a test item or a test report: both have a nodeid and keywords."""
    return BROWSER_DIR in node.nodeid or "browser" in node.keywords


class BrowserSuiteGuard:
    def __init__(self) -> None:
        self.selected: set[str] = set()
        self.deselected: set[str] = set()
        # nodeid -> what happened, from the worst phase: "passed" only if every phase passed.
        self.outcomes: dict[str, str] = {}

    def pytest_deselected(self, items) -> None:
        self.deselected.update(item.nodeid for item in items if _is_browser(item))

    def pytest_collection_finish(self, session) -> None:
        self.selected = {item.nodeid for item in session.items if _is_browser(item)}

    def pytest_runtest_logreport(self, report) -> None:
        if not _is_browser(report):
            return
        if report.skipped:
            outcome = "xfailed" if hasattr(report, "wasxfail") else "skipped"
        elif report.failed:
            outcome = "failed" if report.when == "call" else f"error in {report.when}"
        elif report.when == "call":
            outcome = "xpassed" if hasattr(report, "wasxfail") else "passed"
        else:
            return  # a setup or teardown that passed changes nothing
        if self.outcomes.get(report.nodeid, "passed") == "passed":
            self.outcomes[report.nodeid] = outcome

    def problems(self) -> list[str]:
        collected = self.selected | self.deselected
        if not collected:
            return ["no browser test was collected (is tests/browser/ left out of the run?)"]
        found = []
        for nodeid in sorted(collected):
            if nodeid in self.deselected:
                found.append(f"{nodeid}: deselected")
            elif self.outcomes.get(nodeid) != "passed":
                found.append(f"{nodeid}: {self.outcomes.get(nodeid, 'did not run')}")
        return found

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if session.config.option.collectonly or exitstatus != 0:
            return  # nothing ran, or the run has already failed
        problems = self.problems()
        if not problems:
            return
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "CI: every browser test must run and pass (tests/ci_guard.py); these did not:", red=True
            )
            for problem in problems:
                reporter.write_line(f"  {problem}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def pytest_configure(config) -> None:
    if in_ci():
        config.pluginmanager.register(BrowserSuiteGuard(), "browser-suite-guard")
