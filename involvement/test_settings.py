"""Settings for the test suite: the real PostgreSQL and Redis, a Redis database of its own."""

import os

os.environ.setdefault("ENVIRONMENT", "test")
os.environ.setdefault("REDIS_URL", "redis://localhost:6379/14")

from involvement.settings import *  # noqa: E402,F403
from involvement.settings import CACHES  # noqa: E402

# Fast hashing: the tests log many people in; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"]["KEY_PREFIX"] = "involvement-test"
STAFF_MFA_REQUIRED = False
DEBUG = False
