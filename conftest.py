"""One person of each role, plus an outsider, for every test that wants them."""

import os

import pytest
from django.core.cache import cache

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person

# In CI (`.ci/run` sets CI=true) every browser test collected must run and pass: the guard is
# tests/ci_guard.py. Under mutmut (`make mutation`), a test that could not reach the database
# has not killed a mutant: tests/mutation_guard.py.
pytest_plugins = ["tests.ci_guard", "tests.mutation_guard"]


@pytest.fixture(scope="session", autouse=True)
def _names_of_this_process():
    """A test database and cache keys of this process's own, even in a forked pytest.

    The test settings name both after the process that read them. `make mutation` runs each
    mutant's tests in a pytest forked from mutmut's process, two at a time: with one name, a
    child would drop the other's database (its mutant then counted as killed though no test
    failed) or clear the other's rate-limit counters. A child renames them after itself."""
    from django.conf import settings

    pid = os.getpid()
    if pid == settings.SETTINGS_PROCESS_ID:
        return
    settings.DATABASES["default"]["TEST"]["NAME"] = f"test_involvement_{pid}"
    prefix = f"involvement-test-{pid}"
    os.environ["INVOLVEMENT_TEST_CACHE_PREFIX"] = prefix  # for any worker process it starts
    settings.CACHES["default"]["KEY_PREFIX"] = prefix
    cache.key_prefix = prefix  # this thread's cache was made before the fork


@pytest.fixture(scope="session")
def django_db_modify_db_settings(_names_of_this_process, django_db_modify_db_settings_parallel_suffix):
    """pytest-django's own, after the database has been named for this process."""


@pytest.fixture(autouse=True)
def _clear_shared_cache():
    # The cache is the real Redis (a database of its own for tests): allauth's rate-limit
    # counters would otherwise leak from one test into the next. Only this run's keys:
    # cache.clear() would empty the database under every other run at the same time.
    from django.conf import settings

    redis = cache._cache.get_client(write=True)
    keys = list(redis.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*", count=1000))
    if keys:
        redis.delete(*keys)
    yield


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def worker(db):
    return person(roles=[Role.WORKER], display_name="Wendy Worker")


@pytest.fixture
def representative(db, worker):
    """A representative whose named involvement worker is `worker`."""
    return person(
        roles=[Role.REPRESENTATIVE],
        display_name="Robin",
        named_worker=worker,
        support_needs="A seat near the door.",
        what_helps_me="A short break.",
    )


@pytest.fixture
def outsider(db):
    """A representative with no connection to anybody else in the test."""
    return person(roles=[Role.REPRESENTATIVE], display_name="Olive", support_needs="Olive's private note")


@pytest.fixture
def other_worker(db):
    return person(roles=[Role.WORKER], display_name="Otto Other")


@pytest.fixture
def manager(db):
    return person(roles=[Role.MANAGER], display_name="Maya Manager")


@pytest.fixture
def administrator(db):
    return person(roles=[Role.ADMINISTRATOR], display_name="Ada Admin")


@pytest.fixture
def finance_officer(db):
    return person(roles=[Role.FINANCE], display_name="Fran Finance")
