"""`make mutation`'s guard: a test that could not reach the database has not killed a mutant.

mutmut counts every failing run of a mutant's tests as that mutant killed. On a shared
machine a test can fail before it tests anything: PostgreSQL refuses a connection once its
100 are taken (the concurrency tests open 50 at once, and several runs go at the same time).
Under mutmut (with a mutant under test), a run in which such a refusal failed a test exits
with 35 instead, which mutmut reports as "suspicious", not "killed": a busy machine never
raises a score. `mutmut run <name>` tries the mutant again.

The root conftest.py registers this plugin; outside mutmut it does nothing.
"""

import os

import pytest

# What PostgreSQL and psycopg say when no connection could be had.
REFUSALS = (
    "too many clients",
    "remaining connection slots are reserved",
    "could not connect to server",
    "connection to server at",
    "the database system is starting up",
)
SUSPICIOUS = 35  # mutmut's exit code for "suspicious"
REFUSED = pytest.StashKey[bool]()
# mutmut's own runs, which are not a mutant's: collecting stats, the clean and forced-fail runs.
NOT_A_MUTANT = {"", "stats", "fail", "list_all_tests", "mutant_generation"}


def _is_refusal(error: BaseException | None) -> bool:
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if type(error).__name__ == "OperationalError" and any(text in str(error) for text in REFUSALS):
            return True
        error = error.__cause__ or error.__context__
    return False


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:
    if call.excinfo is not None and _is_refusal(call.excinfo.value):
        item.config.stash[REFUSED] = True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant not in NOT_A_MUTANT and exitstatus == 1 and session.config.stash.get(REFUSED, False):
        session.exitstatus = SUSPICIOUS
