"""Benchmarks run with the production settings (DEBUG off) and say so (bench/production.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every script in bench/ but the modules the benchmarks share: the settings themselves, and
# the people they make (imported after the settings are set up).
SHARED = {"__init__.py", "production.py", "someone.py"}
BENCHMARKS = sorted(p for p in (ROOT / "bench").glob("*.py") if p.name not in SHARED)


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_every_benchmark_uses_the_production_settings_and_prints_them(script):
    source = script.read_text()
    setup = source.index("django.setup()")
    assert "use_production_settings(" in source[:setup], f"{script.name} sets up Django without them"
    assert "settings_line()" in source


def run_with(code: str, **environment: str) -> subprocess.CompletedProcess:
    dropped = {"DJANGO_SETTINGS_MODULE", "ENVIRONMENT", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = (
    "import sys; sys.path.insert(0, '.')\n"
    "from bench.production import settings_line, use_production_settings\n"
    "use_production_settings()\n"
    "import django; django.setup()\n"
    "print(settings_line())\n"
)


def test_the_settings_are_production_with_debug_off_even_if_the_shell_says_otherwise():
    result = run_with(SETUP, DEBUG="true", ENVIRONMENT="development")
    assert result.returncode == 0, result.stderr
    assert "Settings: production (ENVIRONMENT=production, DEBUG=False)" in result.stdout


def test_a_benchmark_refuses_to_run_with_debug_on():
    result = run_with(SETUP.replace("use_production_settings()", "use_production_settings(DEBUG='true')"))
    assert result.returncode != 0
    assert "Benchmarks run with production settings" in result.stderr
