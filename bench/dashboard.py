"""Benchmark: the manager's dashboard over 1,000,000 sign-ups.

Run with `make bench-dashboard` (it is slow to build, so it is not part of `make bench`).
It uses a database of its own (involvement_bench_huge) and production settings (DEBUG off:
bench/production.py), builds `seed_demo --scale huge`
(50,000 opportunities, 20,000 representatives, 1,000,000 sign-ups) once, runs VACUUM ANALYZE
(as autovacuum would have), then requests
/dashboard/ as a manager through Django's test client, in-process, 20 times for each filter,
and prints p50/p95 and the query count: once with the figures worked out on every request (the
cache cleared before each: a scope nobody opened lately), once kept (dashboard/kept.py), then
how long beat's refresh of the usual scopes takes. In-process timing leaves out the HTTP server, which
adds a few milliseconds; every figure is computed in PostgreSQL.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

# Production settings (DEBUG off); the page needs collected static files (manifest storage).
use_production_settings(
    DATABASE_URL=os.environ.get("BENCH_HUGE_DATABASE_URL", "postgres://localhost/involvement_bench_huge")
)
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from dashboard.kept import figures_refresh  # noqa: E402
from opportunities.models import ActivityType, Opportunity, SignUp, Team  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(settings_line(), flush=True)
    started = time.monotonic()
    call_command("seed_demo", scale="huge", quiet=True)
    print(
        f"seed_demo --scale huge: {time.monotonic() - started:.0f} s "
        f"({Opportunity.objects.count():,} opportunities, {SignUp.objects.count():,} sign-ups, "
        f"{User.objects.count():,} people)."
    )
    # VACUUM as well as ANALYZE: production's autovacuum keeps the visibility map that lets the
    # dashboard's queries read sign-ups from their indexes alone; on a database just built by
    # bulk inserts (and on machines with autovacuum off) nothing has set it yet, and every
    # index-only scan would fall back to reading the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    manager = User.objects.get(email="manager@example.org")
    # Production asks staff for two-factor authentication (STAFF_MFA_REQUIRED): the manager has
    # set it up, as a real one has; otherwise every request would be a redirect to set it up.
    Authenticator.objects.get_or_create(
        user=manager, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "benchmark"}}
    )
    client = Client()
    client.force_login(manager)
    team = Team.objects.order_by("pk").first().pk
    kind = ActivityType.objects.order_by("pk").first().pk
    filters = {
        "last 12 months (default)": {},
        "this quarter": {"period": "this_quarter"},
        "3 years": {
            "period": "custom",
            "start_day": "1",
            "start_month": "1",
            "start_year": "2024",
            "end_day": "31",
            "end_month": "12",
            "end_year": "2026",
        },
        "a team": {"team": team},
        "a type": {"activity_type": kind},
        "a team and a type, this quarter": {"period": "this_quarter", "team": team, "activity_type": kind},
    }
    # Each filter twice: worked out on every request (a scope nobody asked for in the last
    # few minutes: the figures forgotten before each request), and kept (dashboard/kept.py:
    # what a manager gets for a scope beat keeps, or one opened in the last few minutes).
    for label, params in filters.items():
        assert client.get("/dashboard/", params).status_code == 200  # warm
        for how in ("worked out", "kept"):
            timings = []
            for _ in range(RUNS):
                if how == "worked out":
                    cache.clear()
                begun = time.perf_counter()
                response = client.get("/dashboard/", params)
                timings.append((time.perf_counter() - begun) * 1000)
                assert response.status_code == 200
            if how == "worked out":
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get("/dashboard/", params)
            timings.sort()
            p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
            print(
                f"/dashboard/ {label}, {how}: p50 {statistics.median(timings):.0f} ms, "
                f"p95 {p95:.0f} ms, {len(queries)} queries ({RUNS} requests)"
            )
    started = time.monotonic()
    count = figures_refresh()
    print(f"Beat's refresh of the usual scopes: {count} scopes in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
