"""Benchmark: what one sign-up costs inside the opportunity's lock, measured in one process.

The race in `bench/opportunities.py` is bound by CPU on a two-core machine, so its wall-clock
figures move with whatever else the machine runs. This measures the same service the sign-up
page calls, `signup_create`, one sign-up after another in this process, on the race's kind of
opportunity (first come, 10 places, one session) in the benchmark's database: 100 people, so
10 are confirmed and 90 waitlisted, as in the race. For each it times the transaction (the
lock is held from its first statement to its commit) and the CPU this process spent in it,
counts its queries, and then what the commit's callbacks cost (queueing the delivery task on
the Redis broker). With BENCH_PROFILE=1 it also prints a pyinstrument profile of the 100.

Run: `BENCH_DATABASE_URL=... BENCH_REDIS_URL=... .venv/bin/python bench/signup_lock.py`
(after `bench/opportunities.py` has seeded that database). The opportunity, its sign-ups and
their messages are removed afterwards; the queued tasks are purged.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

use_production_settings()

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.someone import first_come_opportunity  # noqa: E402
from involvement.celery import app as celery_app  # noqa: E402
from notifications.models import Message  # noqa: E402
from opportunities.models import Opportunity  # noqa: E402
from opportunities.services import signup_create  # noqa: E402

PEOPLE, PLACES = 100, 10


def an_opportunity() -> Opportunity:
    return first_come_opportunity(
        title="[bench lock] Interview panel: ward manager",
        description="A benchmark opportunity: 100 people sign up one after another for 10 places.",
        places=PLACES,
    )


def run(people: list[User], profiler=None) -> dict[str, list[float]]:
    opportunity = an_opportunity()
    figures: dict[str, list[float]] = {"locked_ms": [], "cpu_ms": [], "queries": [], "after_commit_ms": []}
    try:
        for someone in people:
            page_copy = Opportunity.objects.get(pk=opportunity.pk)  # as the view loads it
            if profiler:
                profiler.start()
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                # The page's request runs in autocommit: signup_create's own atomic block is
                # the transaction, so the lock is held exactly while it runs, and its commit
                # callbacks (queueing delivery) run as it returns. Here an outer block holds
                # them back to time them apart.
                with transaction.atomic():
                    signup_create(opportunity=page_copy, person=someone)
                    callbacks_before = list(connection.run_on_commit)
                    connection.run_on_commit = []
                    locked_until, cpu_locked = time.perf_counter(), time.process_time()
                for _, callback, _ in callbacks_before:
                    callback()
                done = time.perf_counter()
            if profiler:
                profiler.stop()
            figures["locked_ms"].append((locked_until - started) * 1000)
            figures["cpu_ms"].append((cpu_locked - cpu) * 1000)
            # Less the outer block's SAVEPOINT and RELEASE, which the page's request has not.
            figures["queries"].append(len(queries.captured_queries) - 2)
            figures["after_commit_ms"].append((done - locked_until) * 1000)
    finally:
        Message.objects.filter(recipient__in=people, created_at__gte=opportunity.created_at).delete()
        opportunity.delete()
        celery_app.control.purge()
    return figures


def main() -> None:
    print(settings_line(), flush=True)
    people = list(User.objects.filter(email__endswith="@scale.example.org").order_by("email")[:PEOPLE])
    run(people[:20])  # warm: templates, connections, the broker
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    figures = run(people, profiler)
    load = os.getloadavg()[0]
    print(
        f"{PEOPLE} sign-ups one after another for {PLACES} first-come places (load {load:.1f}): "
        f"in the transaction (the lock held) median {statistics.median(figures['locked_ms']):.1f} ms, "
        f"p95 {sorted(figures['locked_ms'])[94]:.1f} ms; this process's CPU in it median "
        f"{statistics.median(figures['cpu_ms']):.1f} ms; queries {statistics.median(figures['queries']):.0f} "
        f"(confirmed {figures['queries'][0]:.0f}, waitlisted {figures['queries'][-1]:.0f}); after the commit "
        f"(queueing delivery) median {statistics.median(figures['after_commit_ms']):.1f} ms."
    )
    if profiler:
        print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
