"""Real services for delivery tests: an SMTP server, a Redis broker and Celery workers.

Only the SMTP server's behaviour is ours to set (it can refuse or stall), because the mail
server is the one thing outside our control; the broker is a real redis-server and the
workers are real `celery worker` processes on the test database.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, interval: float = 0.1, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")


@dataclass
class SMTPHandler:
    """Records what it accepts. `refuse` recipients get a 451 (try again later); `stall`
    seconds are spent before accepting each message."""

    received: list = field(default_factory=list)
    refuse: set = field(default_factory=set)
    refuse_once: set = field(default_factory=set)
    stall: float = 0.0
    started_data: threading.Event = field(default_factory=threading.Event)
    # Connections that sent mail: a client greets once per connection (smtplib's EHLO).
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname  # what aiosmtpd does itself when no hook is given
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "451 4.3.0 Try again later"
        if address in self.refuse_once:
            self.refuse_once.discard(address)
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.started_data.set()
        if self.stall:
            await asyncio.sleep(self.stall)
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                # The client went away mid-message (a killed worker): nothing was delivered.
                return "421 4.4.2 Connection lost"
        self.received.append((tuple(envelope.rcpt_tos), envelope.content.decode("utf8", "replace")))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[str]:
        return [content for rcpts, content in self.received if address in rcpts]


@contextmanager
def smtp_server(handler: SMTPHandler | None = None) -> Iterator[tuple[SMTPHandler, str]]:
    handler = handler or SMTPHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


class Broker:
    """A redis-server of its own, so a test can take the broker away and bring it back
    without touching the Redis that the cache and the rest of the suite use."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.is_up, timeout=10, what="the broker to start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def queue_length(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis.from_url(self.url).llen(queue)


class Worker:
    """A real `celery worker` process on the test database."""

    def __init__(
        self,
        *,
        broker_url: str,
        email_url: str,
        env: dict[str, str] | None = None,
        beat: bool = False,
        concurrency: int = 1,
    ) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)
        self.schedule = str(Path(tempfile.mkdtemp(prefix="celerybeat-")) / "schedule")
        database = connection.settings_dict["NAME"]
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "involvement.test_settings",
            "ENVIRONMENT": "test",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": f"postgres://localhost/{database}",
            "EMAIL_URL": email_url,
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "involvement",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{free_port()}@%h",
        ]
        if beat:
            self.command += ["--beat", f"--schedule={self.schedule}"]
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: "ready." in self.output() or self.process.poll() is not None,
            timeout=60,
            what="the worker to be ready",
        )
        assert self.process.poll() is None, self.output()
        return self

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole process group: the worker dies mid-task, as in a power cut."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def running_worker(**kwargs) -> Iterator[Worker]:
    worker = Worker(**kwargs).start()
    try:
        yield worker
    except BaseException:
        # The worker's log is the first thing anyone debugging a failure here needs.
        print(f"--- celery worker log ({worker.log.name}) ---\n{worker.output()[-6000:]}")
        raise
    finally:
        worker.stop()
