"""Benchmark: deliver 10,000 pending messages with one real Celery worker.

Run with `make bench`. It uses a database of its own (involvement_bench), a real Redis
broker and a worker with one process, delivering to Django's in-memory mail backend, and
prints messages per second and database queries per message at two backlog sizes.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://localhost/involvement_bench")
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "involvement.settings",
        "DATABASE_URL": DATABASE_URL,
        "EMAIL_URL": os.environ.get("BENCH_EMAIL_URL", "memorymail://"),
        "OUTBOX_SWEEP_SECONDS": "600",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/13"),
    }
)

subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.kinds import Kind  # noqa: E402
from notifications.models import Message  # noqa: E402
from notifications.services import messages_deliver  # noqa: E402

TOTAL = int(os.environ.get("BENCH_MESSAGES", "10000"))


def make_pending(count: int, prefix: str) -> None:
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                to_email=f"bench{index}@example.org",
                kind=Kind.WELCOME,
                dedupe_key=f"{prefix}:{index}",
                subject="Welcome to Involvement Hub",
                body_text="Hello,\n\nThank you for joining Involvement Hub.\n" * 5,
                body_html="<p>Hello,</p><p>Thank you for joining Involvement Hub.</p>" * 5,
                created_at=now,
                next_attempt_at=now,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )


def queries_per_message(backlog: int) -> float:
    """Deliver one batch in-process with a backlog of `backlog` and count the queries."""
    Message.objects.all().delete()
    make_pending(backlog, f"q{backlog}")
    with CaptureQueriesContext(connection) as queries:
        report = messages_deliver()
    return len(queries) / len(report.sent)


def main() -> None:
    call_command("migrate", verbosity=0)
    small, large = queries_per_message(1_000), queries_per_message(TOTAL)
    Message.objects.all().delete()
    make_pending(TOTAL, "bench")

    from involvement.celery import app

    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    log = open(ROOT / "tmp" / "bench-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "involvement",
            "worker",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(3)
        app.send_task("notifications.tasks.sweep_outbox")
        started = time.monotonic()
        while Message.objects.filter(status=Message.Status.SENT).count() < TOTAL:
            if time.monotonic() - started > 600:
                raise SystemExit("The worker did not finish within 10 minutes; see tmp/bench-worker.log")
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    print(
        f"Delivered {TOTAL} messages with one worker (one process) in {elapsed:.1f} s: "
        f"{TOTAL / elapsed:.0f} messages a second."
    )
    print(f"Database queries per message: {small:.3f} with a backlog of 1,000; {large:.3f} with {TOTAL:,}.")


if __name__ == "__main__":
    main()
