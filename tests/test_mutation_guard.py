"""The mutation guard (tests/mutation_guard.py): under mutmut, a run that failed because the
database refused a connection is "suspicious" (exit 35), never a mutant killed (exit 1).

Each case runs pytest in a subprocess on a tiny project of its own, with only the guard as a
plugin (no Django, no database): its one test fails as a test that could not connect does, or
as a test that caught the mutant does.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "mutation_guard.py"

TEST = """
class OperationalError(Exception):
    pass


def test_it():
    {body}
"""
REFUSED = 'raise OperationalError("FATAL:  sorry, too many clients already")'
CAUGHT = "assert 1 + 1 == 3"


def run(tmp_path: Path, body: str, mutant: str | None) -> int:
    project = tmp_path / "project"
    project.mkdir()
    (project / "test_it.py").write_text(TEST.format(body=body))
    # Loaded by file path from the real tree, under a name of its own.
    (project / "conftest.py").write_text(
        "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('mutation_guard_under_test', {str(GUARD)!r})\n"
        "guard = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(guard)\n"
        "pytest_runtest_makereport = guard.pytest_runtest_makereport\n"
        "pytest_sessionfinish = guard.pytest_sessionfinish\n"
    )
    (project / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k not in {"MUTANT_UNDER_TEST", "PYTEST_ADDOPTS"}}
    if mutant is not None:
        env["MUTANT_UNDER_TEST"] = mutant
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    ).returncode


def test_a_mutants_run_that_could_not_reach_the_database_is_suspicious_not_a_kill(tmp_path):
    assert run(tmp_path, REFUSED, mutant="feedback.services.x_f__mutmut_1") == 35


def test_a_mutants_run_whose_test_failed_on_its_own_is_a_kill(tmp_path):
    assert run(tmp_path, CAUGHT, mutant="feedback.services.x_f__mutmut_1") == 1


@pytest.mark.parametrize("mutant", [None, "stats", ""], ids=["outside mutmut", "stats", "clean run"])
def test_outside_a_mutants_run_a_refused_connection_fails_as_usual(tmp_path, mutant):
    assert run(tmp_path, REFUSED, mutant=mutant) == 1
