"""The CI guard (tests/ci_guard.py): with CI set, every browser test collected must run and pass.

Each case runs pytest in a subprocess on a tiny project of its own whose tests/browser/ holds
two quick stand-ins for browser tests, with only the guard as a plugin (no Django, no Chromium).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "ci_guard.py"

BROWSER_TESTS = """
import pytest

def test_the_first_page():
    pass

def test_the_second_page():
    {second}
"""


def run(
    tmp_path: Path, *args: str, ci: str | None = "true", second: str = "pass"
) -> subprocess.CompletedProcess:
    project = tmp_path / "project"
    (project / "tests" / "browser").mkdir(parents=True, exist_ok=True)
    (project / "tests" / "browser" / "test_pages.py").write_text(BROWSER_TESTS.format(second=second))
    (project / "tests" / "test_plain.py").write_text("def test_plain():\n    pass\n")
    # The guard module is loaded by file path from the real tree, under a name of its own, so
    # the tiny project's tests/ cannot shadow the real tests package.
    (project / "conftest.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('ci_guard_under_test', {str(GUARD)!r})\n"
        "guard = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(guard)\n"
        "pytest_configure = guard.pytest_configure\n"
    )
    (project / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "PYTEST_ADDOPTS", "DJANGO_SETTINGS_MODULE"}}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_in_ci_a_run_where_every_browser_test_passed_passes(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "every browser test must run" not in result.stdout


def test_in_ci_a_skipped_browser_test_fails_the_run_and_is_named(tmp_path):
    result = run(tmp_path, second='pytest.skip("Chromium is missing")')
    assert result.returncode == 1, result.stdout
    assert "tests/browser/test_pages.py::test_the_second_page: skipped" in result.stdout


def test_in_ci_a_deselected_browser_test_fails_the_run(tmp_path):
    result = run(tmp_path, "-k", "not second")
    assert result.returncode == 1, result.stdout
    assert "tests/browser/test_pages.py::test_the_second_page: deselected" in result.stdout


def test_in_ci_an_expected_failure_is_not_a_pass(tmp_path):
    result = run(tmp_path, second='pytest.xfail("flaky")')
    assert result.returncode == 1, result.stdout
    assert "test_the_second_page: xfailed" in result.stdout


def test_in_ci_a_run_without_the_browser_suite_fails(tmp_path):
    result = run(tmp_path, "tests/test_plain.py")
    assert result.returncode == 1, result.stdout
    assert "no browser test was collected" in result.stdout


def test_in_ci_a_failing_browser_test_still_fails_as_it_did(tmp_path):
    result = run(tmp_path, second="assert False")
    assert result.returncode == 1, result.stdout
    assert "every browser test must run" not in result.stdout  # the failure speaks for itself


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_outside_ci_skipping_a_browser_test_is_allowed(tmp_path, ci):
    result = run(tmp_path, ci=ci, second='pytest.skip("running one test locally")')
    assert result.returncode == 0, result.stdout


def test_ci_run_sets_ci_itself_and_names_the_guards_file():
    script = (ROOT / ".ci" / "run").read_text()
    assert "\nexport CI=true\n" in script
    assert "tests/ci_guard.py" in script and GUARD.exists()
