"""Benchmark: a copy of the data of a person with 1,000 sign-ups and 1,000 messages (issue 16).

Run with `.venv/bin/python bench/privacy.py` (also in `make bench`). It uses a database of its
own (involvement_bench_privacy) and production settings (DEBUG off: bench/production.py). It
makes one representative with BENCH_SIGNUPS sign-ups (each on an activity of its own, with a
history entry and attendance) and as many messages, once, then times `export_build` (every
provider's rows, the readable page, the JSON and the zip written under PRIVATE_MEDIA_ROOT,
and the message that tells the person) and counts its queries, for 100 and for 1,000 of
each: the counts must be the same. Target: 1,000 and 1,000 in under 5 s.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

work = use_production_settings(
    DATABASE_URL=os.environ.get(
        "BENCH_PRIVACY_DATABASE_URL", "postgres://localhost/involvement_bench_privacy"
    )
)
os.environ["PRIVATE_MEDIA_ROOT"] = str(work / "private")
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.permissions import Role  # noqa: E402
from bench.someone import someone as bench_someone  # noqa: E402
from catalogue.models import ActivityType, Team  # noqa: E402
from notifications.models import Message  # noqa: E402
from opportunities.models import Attendance, Opportunity, Session, SignUp, SignUpEvent  # noqa: E402
from privacy.models import DataRequest  # noqa: E402
from privacy.services import export_build  # noqa: E402

LARGEST = int(os.environ.get("BENCH_SIGNUPS", "1000"))
SIZES = sorted({100, LARGEST})
PREFIX = "privacy-bench"
TARGET_SECONDS = 5.0


def someone(name: str, role: Role) -> User:
    return bench_someone(PREFIX, name, role)


@transaction.atomic
def person_with(size: int, lead: User) -> User:
    """A representative with `size` sign-ups (attended, with history) and `size` messages."""
    person = someone(f"person-{size}", Role.REPRESENTATIVE)
    if SignUp.objects.filter(person=person).count() >= size:
        return person
    activity_type, _ = ActivityType.objects.get_or_create(name="Reading group")
    team, _ = Team.objects.get_or_create(name="Patient experience")
    ends = timezone.now() - timedelta(days=3)
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                title=f"[{PREFIX}] Reading group {size}-{i}",
                summary="s",
                description="d",
                activity_type=activity_type,
                team=team,
                involvement_level="consulting",
                format="in_person",
                accessibility="a",
                places=5,
                signup_deadline=ends - timedelta(days=10),
                lead_worker=lead,
                status="completed",
                starts_at=ends - timedelta(hours=2),
                ends_at=ends,
            )
            for i in range(size)
        ],
        batch_size=1000,
    )
    sessions = Session.objects.bulk_create(
        [Session(opportunity=o, starts_at=o.starts_at, ends_at=o.ends_at) for o in opportunities],
        batch_size=1000,
    )
    signups = SignUp.objects.bulk_create(
        [SignUp(opportunity=o, person=person, state="attended", note="Near the door") for o in opportunities],
        batch_size=1000,
    )
    SignUpEvent.objects.bulk_create(
        [SignUpEvent(signup=s, from_state="confirmed", to_state="attended", actor=lead) for s in signups],
        batch_size=1000,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(signup=s, session=x, attended=True, recorded_by=lead)
            for s, x in zip(signups, sessions, strict=True)
        ],
        batch_size=1000,
    )
    Message.objects.bulk_create(
        [
            Message(
                recipient=person,
                to_email=person.email,
                kind="signup_update",
                dedupe_key=f"{PREFIX}:{size}:{i}",
                subject=f"Your place is confirmed: Reading group {i}",
                body_text="Hello,\n\nYour place is confirmed.\n" * 5,
                status="sent",
            )
            for i in range(size)
        ],
        batch_size=1000,
    )
    return person


def measure(size: int, lead: User) -> dict:
    person = person_with(size, lead)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    request = DataRequest.objects.create(person=person, requested_by=person, kind=DataRequest.Kind.EXPORT)
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        built = export_build(request_id=request.pk)
        seconds = time.monotonic() - started
    assert built is not None and built.status == DataRequest.Status.READY
    size_bytes = (Path(os.environ["PRIVATE_MEDIA_ROOT"]) / built.file).stat().st_size
    return {"size": size, "seconds": seconds, "queries": len(queries), "bytes": size_bytes}


def main() -> None:
    call_command("migrate", verbosity=0)
    print(settings_line(), flush=True)
    lead = someone("lead", Role.WORKER)
    results = [measure(size, lead) for size in SIZES]
    for result in results:
        print(
            f"{result['size']:,} sign-ups and {result['size']:,} messages: export_build "
            f"{result['seconds']:.2f} s ({result['queries']} queries, zip {result['bytes']:,} bytes)."
        )
    largest = results[-1]
    constant = len({result["queries"] for result in results}) == 1
    met = largest["seconds"] < TARGET_SECONDS and constant
    print(
        f"Target: under {TARGET_SECONDS:.0f} s at {LARGEST:,}, queries constant: "
        f"{'met' if met else 'NOT MET'}."
    )
    if not met:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
