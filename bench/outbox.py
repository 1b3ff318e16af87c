"""Benchmark: deliver 10,000 pending messages with one real Celery worker, twice.

Run with `make bench` (or `.venv/bin/python bench/outbox.py`). It uses a database of its own
(involvement_bench), production settings (DEBUG off: bench/production.py), a real Redis broker
and a worker with one process, and prints messages per second for two mail backends:

- Django's in-memory backend: the outbox's own cost, with no mail server at all; then again
  with messages written unrendered, as a sign-up writes them (a snapshot in `context`,
  rendered from it with the templates at delivery): what rendering adds to delivery;
- a real SMTP server on localhost (aiosmtpd, in a process of its own, accepting and counting
  every message): what a deployment pays for the SMTP conversation, less the network.

It also counts database queries per message at two backlog sizes, both ways. `BENCH_EMAIL_URL` runs one
backend of your choice instead of the two (for example `filemail:///tmp/benchmail`).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

use_production_settings(OUTBOX_SWEEP_SECONDS="600")
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from notifications.kinds import Kind  # noqa: E402
from notifications.models import Message  # noqa: E402
from notifications.services import freeze, messages_deliver  # noqa: E402

TOTAL = int(os.environ.get("BENCH_MESSAGES", "10000"))

# The SMTP server: aiosmtpd in a process of its own (as a mail server is), accepting every
# message and counting them; on SIGTERM it prints the count and stops.
SMTP_SERVER = """
import signal, sys, threading
from aiosmtpd.controller import Controller

class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += len(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
controller.stop()
print(Count.received, flush=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_pending(count: int, prefix: str, *, unrendered: bool = False) -> None:
    """`count` messages waiting to be sent. `unrendered`: written as a sign-up writes its
    message (a snapshot, rendered at delivery: "your place is confirmed", with a session)."""
    now = timezone.now()
    starts = now + timedelta(days=7)
    snapshot = freeze(
        {
            "recipient": {"first_name": "Sam", "profile": {"display_name": "Sam"}},
            "event": "confirmed",
            "opportunity": {
                "pk": 1,
                "title": "Interview panel: ward manager",
                "sessions": {
                    "all": [{"starts_at": starts, "ends_at": starts + timedelta(hours=2), "area": "Online"}]
                },
            },
            "signup": {},
        }
    )
    words = (
        {"kind": Kind.SIGNUP_UPDATE, "subject": "", "body_text": "", "body_html": "", "context": snapshot}
        if unrendered
        else {
            "kind": Kind.WELCOME,
            "subject": "Welcome to Involvement Hub",
            "body_text": "Hello,\n\nThank you for joining Involvement Hub.\n" * 5,
            "body_html": "<p>Hello,</p><p>Thank you for joining Involvement Hub.</p>" * 5,
        }
    )
    Message.objects.bulk_create(
        [
            Message(
                to_email=f"bench{index}@example.org",
                dedupe_key=f"{prefix}:{index}",
                created_at=now,
                next_attempt_at=now,
                **words,
            )
            for index in range(count)
        ],
        batch_size=2000,
    )


def queries_per_message(backlog: int, *, unrendered: bool = False) -> float:
    """Deliver one batch in-process with a backlog of `backlog` and count the queries."""
    Message.objects.all().delete()
    make_pending(backlog, f"q{backlog}", unrendered=unrendered)
    with CaptureQueriesContext(connection) as queries:
        report = messages_deliver()
    return len(queries) / len(report.sent)


def deliver_with_a_worker(email_url: str, label: str, *, unrendered: bool = False) -> float:
    """Queue one sweep for TOTAL pending messages and time one worker sending them all."""
    from involvement.celery import app

    Message.objects.all().delete()
    make_pending(TOTAL, "bench", unrendered=unrendered)
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "EMAIL_URL": email_url}
    log = open(ROOT / "tmp" / "bench-worker.log", "a")  # noqa: SIM115
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
                raise SystemExit(f"{label}: not finished within 10 minutes; see tmp/bench-worker.log")
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    print(
        f"{label}: delivered {TOTAL:,} messages with one worker (one process) in {elapsed:.1f} s: "
        f"{TOTAL / elapsed:,.0f} messages a second.",
        flush=True,
    )
    return elapsed


def main() -> None:
    (ROOT / "tmp").mkdir(exist_ok=True)
    (ROOT / "tmp" / "bench-worker.log").write_text("")
    call_command("migrate", verbosity=0)
    print(settings_line(), flush=True)
    small, large = queries_per_message(1_000), queries_per_message(TOTAL)
    print(f"Database queries per message: {small:.3f} with a backlog of 1,000; {large:.3f} with {TOTAL:,}.")
    small, large = queries_per_message(1_000, unrendered=True), queries_per_message(TOTAL, unrendered=True)
    print(
        f"Written unrendered (a snapshot, rendered at delivery): {small:.3f} queries per message with a "
        f"backlog of 1,000; {large:.3f} with {TOTAL:,}."
    )

    if os.environ.get("BENCH_EMAIL_URL"):
        deliver_with_a_worker(os.environ["BENCH_EMAIL_URL"], os.environ["BENCH_EMAIL_URL"])
        return

    deliver_with_a_worker("memorymail://", "In-memory mail backend")
    deliver_with_a_worker(
        "memorymail://", "In-memory mail backend, written unrendered (rendered at delivery)", unrendered=True
    )

    port = free_port()
    smtp = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        if smtp.stdout.readline().strip() != "ready":
            raise SystemExit("The SMTP server (aiosmtpd) did not start.")
        deliver_with_a_worker(f"smtp://127.0.0.1:{port}", f"SMTP to aiosmtpd on 127.0.0.1:{port}")
    finally:
        smtp.send_signal(signal.SIGTERM)
        received = smtp.communicate(timeout=30)[0].strip()
    if received != str(TOTAL):
        raise SystemExit(f"The SMTP server received {received} messages, not {TOTAL}.")
    print(f"The SMTP server received all {TOTAL:,} messages.")


if __name__ == "__main__":
    main()
