"""The settings every benchmark runs with: production's, with DEBUG off.

A benchmark measured with DEBUG on measures the wrong program: Django then keeps every query
in memory, renders technical error pages, and serves static files differently. So each
benchmark calls `use_production_settings()` before `django.setup()`, and prints
`settings_line()` with its figures.

Production's settings as they are (`ENVIRONMENT=production`), with only what a benchmark on
one machine must change: plain HTTP on 127.0.0.1 (no redirect to HTTPS; cookies are still
marked Secure), a generated SECRET_KEY, the benchmark's own database and Redis database, mail
to the backend the benchmark names, and STATIC_ROOT in a temporary directory so that
`collectstatic` (production's manifest storage needs it to render any page) leaves the
checkout alone. Subprocesses (Celery workers, gunicorn) inherit all of it.
"""

import atexit
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def use_production_settings(**environment: str) -> Path:
    """Set the environment for production settings; `environment` overrides or adds variables.
    Returns a temporary directory, removed at exit, that the benchmark may use too."""
    work = Path(tempfile.mkdtemp(prefix="involvement-bench-"))
    atexit.register(shutil.rmtree, work, ignore_errors=True)
    # STATIC_ROOT is fixed in settings: a two-line settings module points it here instead.
    (work / "bench_settings.py").write_text(
        f"from involvement.settings import *  # noqa: F403\nSTATIC_ROOT = {str(work / 'static')!r}\n"
    )
    sys.path.insert(0, str(work))
    sys.path.insert(1, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(work), str(ROOT)]),
            "ENVIRONMENT": "production",
            "DEBUG": "false",  # production's default; said outright so a stray DEBUG=true cannot win
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://localhost/involvement_bench"),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/13"),
            # django-environ's memorymail:// is Django's locmem backend: nothing leaves the machine.
            "EMAIL_URL": "memorymail://",
            "LOG_LEVEL": "WARNING",
            **environment,
        }
    )
    return work


def settings_line() -> str:
    """One line saying how the benchmark ran, read from the loaded settings; refuses to go on
    with DEBUG on."""
    from django.conf import settings

    if settings.DEBUG or not settings.PRODUCTION:
        raise SystemExit(
            "Benchmarks run with production settings: DEBUG is on or ENVIRONMENT is not production."
        )
    return (
        f"Settings: production (ENVIRONMENT={settings.ENVIRONMENT}, DEBUG={settings.DEBUG}); "
        f"mail backend {settings.EMAIL_BACKEND}; database {settings.DATABASES['default']['NAME']}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} over the last minute (the machine "
        "is shared: figures move with it)."
    )
