"""Settings for the test suite: the real PostgreSQL and Redis, a Redis database of its own."""

import os

os.environ.setdefault("ENVIRONMENT", "test")
os.environ.setdefault("REDIS_URL", "redis://localhost:6379/14")

from involvement.settings import *  # noqa: E402,F403
from involvement.settings import CACHES, DATABASES  # noqa: E402

# Fast hashing: the tests log many people in; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Celery runs tasks in-process unless a test is about delivery itself; those tests start
# real workers with their own environment (notifications/tests/workers.py).
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") == "true"
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A key prefix of this run's own: several runs share one Redis database (helpers, CI beside a
# developer), and each test clears only its run's keys (conftest.py), never another run's
# rate-limit counters or Celery queue. Set in the environment so the run's workers share it.
os.environ.setdefault("INVOLVEMENT_TEST_CACHE_PREFIX", f"involvement-test-{os.getpid()}")
CACHES["default"]["KEY_PREFIX"] = os.environ["INVOLVEMENT_TEST_CACHE_PREFIX"]
STAFF_MFA_REQUIRED = False
DEBUG = False

# A test database per run, so that two runs at once (two terminals, or CI beside a
# developer) never flush each other's data. pytest-django creates and drops it.
DATABASES["default"]["TEST"] = {"NAME": f"test_involvement_{os.getpid()}"}
# The process that read these settings. A pytest forked from it (`make mutation` forks one per
# mutant) renames its database and cache keys after itself: the root conftest.py.
SETTINGS_PROCESS_ID = os.getpid()

# `make mutation` forks a pytest per mutant: each clones its test database from a migrated
# template (scripts/mutation_template.py) instead of running every migration again.
if os.environ.get("MUTATION_TEMPLATE_DB"):
    DATABASES["default"]["TEST"]["TEMPLATE"] = os.environ["MUTATION_TEMPLATE_DB"]

# Receipts uploaded by tests go to a temporary directory of this run's own.
import tempfile  # noqa: E402

PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="involvement-receipts-")
