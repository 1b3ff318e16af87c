"""Benchmark: the worker's people list (`/worker/people/`, issue 13) over 20,000 people.

Run with `make bench` (or `.venv/bin/python bench/people.py`). It uses a database of its own
(involvement_bench_people) and production settings (DEBUG off: bench/production.py). It makes
representatives with profiles (names, e-mail addresses, phone numbers, a mobile for a third, a
named worker for a quarter, interests for two thirds, a break for one in twenty, one in
twenty-five joined in the last 30 days) and attended sign-ups (a third took part a year ago, half
of those also last month), so that every filter has something to find. Then, signed in as a
worker (Django's test Client, in-process), it asks for the list with no search, each kind of
search, each filter and a search with a filter: a warm-up, then BENCH_RUNS (50) timed requests
each, counting the queries of each request. It does this at 2,000 people and again after adding
18,000 more: each case must make the same number of queries at both sizes.

Target (docs/benchmarks.md): p95 under 150 ms at 20,000 people, a constant number of queries.
"""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

use_production_settings(
    DATABASE_URL=os.environ.get("BENCH_PEOPLE_DATABASE_URL", "postgres://localhost/involvement_bench_people")
)
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from accounts.permissions import Role  # noqa: E402
from bench.someone import someone as bench_someone  # noqa: E402
from catalogue.models import ActivityType, Team  # noqa: E402
from opportunities.models import Opportunity, Session, SignUp  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
SIZES = (2000, 20000)
PREFIX = "people-bench"
DOMAIN = "@people-bench.example.org"
TARGET_P95_MS = 150.0

FIRST = ["Sam", "Priya", "Tom", "Aisha", "David", "Grace", "Mohammed", "Olivia", "Kwame", "Mei",
         "Liam", "Fatima", "Noah", "Chloe", "Yusuf", "Ella", "Arjun", "Zara", "Owen", "Hannah"]  # fmt: skip
LAST = ["Jones", "Patel", "Smith", "Okafor", "Khan", "Williams", "Brown", "Nguyen", "Taylor", "Evans",
        "Ahmed", "Davies", "Murphy", "Chen", "Wilson", "Hughes", "Singh", "Roberts", "Walker", "Lewis",
        "Ali", "Green", "Hall", "Wright", "Clarke", "Osei", "Begum", "Kelly", "Moore", "Shah"]  # fmt: skip


def staff(email: str, role: Role) -> User:
    return bench_someone(PREFIX, email, role)


def activity(title: str, ends_days_ago: int, lead: User) -> Opportunity:
    activity_type, _ = ActivityType.objects.get_or_create(name="Interview panel")
    team, _ = Team.objects.get_or_create(name="Recruitment and workforce")
    ends = timezone.now() - timedelta(days=ends_days_ago)
    opportunity = Opportunity.objects.create(
        title=f"[{PREFIX}] {title}",
        summary="s",
        description="d",
        activity_type=activity_type,
        team=team,
        involvement_level="consulting",
        format="in_person",
        accessibility="a",
        places=max(SIZES),
        signup_deadline=ends - timedelta(days=10),
        lead_worker=lead,
        status="completed",
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
    )
    Session.objects.create(opportunity=opportunity, starts_at=opportunity.starts_at, ends_at=ends)
    return opportunity


@transaction.atomic
def add_people(start: int, stop: int, workers: list[User], kinds: list[ActivityType], old, recent) -> None:
    """People numbered start to stop - 1, with profiles, interests and sign-ups, in bulk."""
    now, today = timezone.now(), timezone.localdate()
    password = User(email="x@example.org")
    password.set_password("bench-password-1")
    people = []
    for i in range(start, stop):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        joined = now - timedelta(days=5 if i % 25 == 0 else 40 + i % 700)
        people.append(
            User(
                email=f"{first}.{last}.{i}{DOMAIN}".lower(),
                first_name=first,
                last_name=last,
                password=password.password,
                date_joined=joined,
            )
        )
    people = User.objects.bulk_create(people, batch_size=2000)
    group = Group.objects.get(name=Role.REPRESENTATIVE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in people], batch_size=5000
    )
    profiles = []
    for i, user in zip(range(start, stop), people, strict=True):
        profiles.append(
            Profile(
                user=user,
                display_name=f"{user.first_name} {user.last_name}",
                phone=f"07700 {900000 + i:06d}" if i % 2 else f"0161{500000 + i:06d}",
                mobile_number=f"+447700{800000 + i:06d}" if i % 3 == 0 else "",
                named_worker=workers[i % len(workers)] if i % 4 == 0 else None,
                taking_break=i % 20 == 0,
                break_until=(today + timedelta(days=30)) if i % 40 == 0 else None,
                onboarded_at=now,
            )
        )
    profiles = Profile.objects.bulk_create(profiles, batch_size=2000)
    through = Profile.interests.through
    interests = []
    for i, profile in zip(range(start, stop), profiles, strict=True):
        if i % 3:
            chosen = {kinds[i % len(kinds)], kinds[(i // 3) % len(kinds)]}
            interests += [through(profile_id=profile.pk, activitytype_id=kind.pk) for kind in chosen]
    through.objects.bulk_create(interests, batch_size=5000)
    signups = []
    for i, user in zip(range(start, stop), people, strict=True):
        if i % 3 == 0:
            signups.append(SignUp(opportunity=old, person=user, state="attended"))
        if i % 6 == 0:
            signups.append(SignUp(opportunity=recent, person=user, state="attended"))
    SignUp.objects.bulk_create(signups, batch_size=5000)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))]


def cases(worker: User, kinds: list[ActivityType]) -> dict[str, dict]:
    return {
        "no search": {},
        "a name (q=okafor)": {"q": "okafor"},
        "two words of a name (q=priya patel)": {"q": "priya patel"},
        "an e-mail fragment (q=khan.12)": {"q": "khan.12"},
        "a phone number as typed (q=07700 901235)": {"q": "07700 901235"},
        "named worker: me": {"named_worker": "me"},
        "named worker: somebody": {"named_worker": "any"},
        "named worker: nobody yet": {"named_worker": "none"},
        "interested in one activity": {"interests": [kinds[0].pk]},
        "taking a break": {"on_break": "on"},
        "never taken part": {"never_involved": "on"},
        "new in 30 days, no named worker": {"new_without_worker": "on"},
        "not in the last 6 months": {"not_recently": "on"},
        "a name and never taken part": {"q": "jones", "never_involved": "on"},
        "no search, page 40": {"page": "40"},
    }


def measure(client: Client, params: dict) -> dict:
    response = client.get("/worker/people/", params)  # warm-up
    assert response.status_code == 200, response.status_code
    timings, counts = [], set()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/worker/people/", params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.add(len(queries))
    found = re.search(r'role="status">\s*([\d,]+) (?:person|people)', response.content.decode())
    return {
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "queries": sorted(counts),
        "found": int(found.group(1).replace(",", "")) if found else -1,
    }


def main() -> None:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print(settings_line(), flush=True)
    # A fresh set each run: the people from before are removed with their sign-ups.
    SignUp.objects.filter(opportunity__title__startswith=f"[{PREFIX}]").delete()
    Opportunity.objects.filter(title__startswith=f"[{PREFIX}]").delete()
    User.objects.filter(email__endswith=DOMAIN).delete()
    worker = staff("worker", Role.WORKER)
    workers = [worker] + [staff(f"worker{n}", Role.WORKER) for n in range(2, 6)]
    for name in ("Interview panel", "Reading group", "Survey", "Focus group", "Co-design workshop"):
        ActivityType.objects.get_or_create(name=name)
    kinds = list(ActivityType.objects.filter(is_active=True).order_by("name")[:6])
    old = activity("A year ago", 365, worker)
    recent = activity("Last month", 30, workers[1])
    # Production asks staff for two-factor authentication (STAFF_MFA_REQUIRED): the worker has
    # set it up, as a real one has; the first request then marks the session.
    Authenticator.objects.get_or_create(
        user=worker, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "benchmark"}}
    )
    client = Client()
    client.force_login(worker)
    results: dict[int, dict[str, dict]] = {}
    done = 0
    for size in SIZES:
        building = time.monotonic()
        add_people(done, size, workers, kinds, old, recent)
        done = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"Data: {User.objects.filter(email__endswith=DOMAIN).count():,} people, "
            f"{SignUp.objects.filter(opportunity__in=[old, recent]).count():,} attended sign-ups, "
            f"built in {time.monotonic() - building:.1f} s; load average {os.getloadavg()[0]:.1f}.",
            flush=True,
        )
        results[size] = {}
        for label, params in cases(worker, kinds).items():
            result = results[size][label] = measure(client, params)
            print(
                f"{size:,} people, {label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
                f"{'/'.join(map(str, result['queries']))} queries a request, {result['found']:,} found",
                flush=True,
            )
    print(f"Summary ({RUNS} requests a case after a warm-up; target p95 under {TARGET_P95_MS:.0f} ms):")
    small, large = SIZES
    for label, result in results[large].items():
        same = results[small][label]["queries"] == result["queries"]
        met = result["p95"] < TARGET_P95_MS and same
        print(
            f"- {label}: p95 {result['p95']:.1f} ms at {large:,}; queries "
            f"{'/'.join(map(str, results[small][label]['queries']))} at {small:,}, "
            f"{'/'.join(map(str, result['queries']))} at {large:,}: {'met' if met else 'MISSED'}"
        )
    print(f"Load average {os.getloadavg()[0]:.1f}; finished in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
