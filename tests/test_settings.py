"""Production settings: secrets required with a clear message, and Django's deploy checks clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "involvement.example.org",
    "DATABASE_URL": "postgres://localhost/involvement",
    "REDIS_URL": "redis://localhost:6379/0",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Drop anything the test run itself set (the browser suite allows async-unsafe calls).
    dropped = {*PRODUCTION, "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "involvement.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secrets_and_names_them():
    env = {k: v for k, v in PRODUCTION.items() if k not in {"SECRET_KEY", "EMAIL_URL"}}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "EMAIL_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
