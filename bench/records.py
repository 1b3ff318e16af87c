"""Benchmark: a person's involvement record with 200 activities (issue 14).

Run with `.venv/bin/python bench/records.py` (also in `make bench`). It uses a database of its
own (involvement_bench_records) and production settings (DEBUG off: bench/production.py). It
makes one representative who took part in 200 activities (two sessions each, one attended),
with a role on a third of them, five courses and a statement, then times `/me/record/` (20
requests after a warm-up, through Django's test client: the whole view, templates and
middleware, without a web server) and the PDF of a certificate holding all 200 activities
(5 requests), and counts the queries of each. The record's queries are checked against the
same page at 20 activities: they must not grow. Targets: the record under 200 ms, the PDF
under 2 s (at p95). `BENCH_ACTIVITIES` sets the size.
"""

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

use_production_settings(
    DATABASE_URL=os.environ.get(
        "BENCH_RECORDS_DATABASE_URL", "postgres://localhost/involvement_bench_records"
    )
)
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.permissions import Role  # noqa: E402
from bench.someone import someone as bench_someone  # noqa: E402
from catalogue.models import ActivityType, Course, Team  # noqa: E402
from opportunities.models import Attendance, Opportunity, Session, SignUp  # noqa: E402
from opportunities.training import TrainingCompletion  # noqa: E402
from records.models import ActivityRole, Certificate, RecordStatement  # noqa: E402
from records.selectors import activities_taken_part_in  # noqa: E402
from records.services import CertificateChoice, certificate_issue  # noqa: E402

ACTIVITIES = int(os.environ.get("BENCH_ACTIVITIES", "200"))
PREFIX = "records-bench"
RECORD_TARGET_MS = 200.0
PDF_TARGET_S = 2.0


def someone(name: str, role: Role) -> User:
    return bench_someone(PREFIX, name, role)


@transaction.atomic
def record_of(person: User, lead: User, count: int) -> None:
    """`count` activities `person` took part in, made afresh."""
    Opportunity.objects.filter(title__startswith=f"[{PREFIX}]").delete()
    TrainingCompletion.objects.filter(person=person).delete()
    Certificate.objects.filter(person=person).delete()
    activity_type, _ = ActivityType.objects.get_or_create(name="Interview panel")
    team, _ = Team.objects.get_or_create(name="Recruitment and workforce")
    now = timezone.now()
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                title=f"[{PREFIX}] Interview panel {i}",
                summary="s",
                description="d",
                activity_type=activity_type,
                team=team,
                involvement_level=["consulting", "engaging", "co-producing"][i % 3],
                format="in_person",
                accessibility="a",
                places=5,
                signup_deadline=now - timedelta(days=3 * i + 10),
                lead_worker=lead,
                status="completed",
                is_paid=False,
                starts_at=now - timedelta(days=3 * i + 2),
                ends_at=now - timedelta(days=3 * i + 1),
            )
            for i in range(count)
        ]
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                opportunity=o,
                starts_at=o.starts_at + timedelta(hours=h),
                ends_at=o.starts_at + timedelta(hours=h + 2),
            )
            for o in opportunities
            for h in (0, 24)
        ]
    )
    signups = SignUp.objects.bulk_create(
        [SignUp(opportunity=o, person=person, state="attended") for o in opportunities]
    )
    by_opportunity = {s.opportunity_id: s for s in signups}
    Attendance.objects.bulk_create(
        [
            Attendance(
                signup=by_opportunity[s.opportunity_id], session=s, attended=n % 2 == 0, recorded_by=lead
            )
            for n, s in enumerate(sessions)
        ]
    )
    ActivityRole.objects.bulk_create(
        [
            ActivityRole(signup=s, role="panel_member", set_by=person)
            for i, s in enumerate(signups)
            if i % 3 == 0
        ]
    )
    for i in range(5):
        course, _ = Course.objects.get_or_create(
            name=f"[{PREFIX}] Course {i}", defaults={"valid_for_months": 24}
        )
        done = timezone.localdate() - timedelta(days=40 * i + 1)
        TrainingCompletion.objects.create(
            person=person, course=course, completed_on=done, expires_on=done + timedelta(days=730)
        )
    RecordStatement.objects.update_or_create(
        person=person,
        defaults={"skills": "Interviewing\nChairing\nGiving feedback", "statement": "Words. " * 100},
    )


def timed(client: Client, url: str, runs: int) -> tuple[list[float], list[float], int, bytes]:
    """Wall-clock times and this process's CPU times of `runs` requests: on a shared machine
    the first depends on the other processes, the second hardly (the database's own time
    is in the wall-clock figure only)."""
    client.get(url)  # warm-up: templates compiled, connections open
    times, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
        assert response.status_code == 200, response.status_code
    return times, cpu, len(queries), response.content


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def main() -> None:
    call_command("migrate", verbosity=0)
    # Production's manifest storage needs collected files to render any page.
    call_command("collectstatic", interactive=False, verbosity=0)
    print(settings_line(), flush=True)
    lead = someone("lead", Role.WORKER)
    person = someone("robin", Role.REPRESENTATIVE)
    client = Client()
    client.force_login(person)
    figures = {}
    for size in sorted({20, ACTIVITIES}):
        record_of(person, lead, size)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        times, cpu, queries, page = timed(client, reverse("me:record"), 20)
        assert page.count(b"Interview panel ") >= size, "an activity is missing"
        figures[size] = (times, queries)
        print(
            f"/me/record/ with {size} activities: p50 {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {p95(times) * 1000:.1f} ms (CPU p50 {statistics.median(cpu) * 1000:.1f} ms), "
            f"{queries} queries, {len(page):,} bytes."
        )
    ids = set(activities_taken_part_in(person=person).values_list("pk", flat=True))
    certificate = certificate_issue(
        person=person,
        choice=CertificateChoice(
            name="Robin",
            activity_ids=ids,
            include_totals=True,
            include_skills=True,
            include_statement=True,
            training_ids=set(TrainingCompletion.objects.filter(person=person).values_list("pk", flat=True)),
        ),
    )
    pdf_times, pdf_cpu, pdf_queries, pdf = timed(
        client, reverse("me:certificate_pdf", args=[certificate.pk]), 5
    )
    print(
        f"Certificate PDF with {len(ids)} activities: p50 {statistics.median(pdf_times):.2f} s, "
        f"p95 {p95(pdf_times):.2f} s (CPU p50 {statistics.median(pdf_cpu):.2f} s), {pdf_queries} queries, "
        f"{len(pdf):,} bytes."
    )
    record_times, record_queries = figures[ACTIVITIES]
    constant = len({queries for _, queries in figures.values()}) == 1
    record_met = p95(record_times) * 1000 < RECORD_TARGET_MS
    pdf_met = p95(pdf_times) < PDF_TARGET_S
    print(
        f"Queries the same at 20 and {ACTIVITIES}: {'yes' if constant else 'NO'}. "
        f"Record under {RECORD_TARGET_MS:.0f} ms: {'met' if record_met else 'MISSED'}. "
        f"PDF under {PDF_TARGET_S:.0f} s: {'met' if pdf_met else 'MISSED'}. "
        f"Load average {os.getloadavg()[0]:.1f}."
    )


if __name__ == "__main__":
    main()
