"""Benchmark: build and queue 10,000 representatives' weekly digests on one worker.

Run with `make bench` (after bench/outbox.py). It uses the benchmark database
(involvement_bench) and production settings (DEBUG off: bench/production.py), adds 10,000
representatives who each have something for a digest (an outcome published this week for an
activity they attended, and new opportunities matching their interests), then times
`digests_build` as one worker process runs it, counting queries.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

# Production settings (DEBUG off). Build and queue only: delivery is the outbox benchmark's.
use_production_settings(CELERY_TASK_ALWAYS_EAGER="false")
subprocess.run([sys.executable, "scripts/ensure_database.py"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Profile, User  # noqa: E402
from accounts.permissions import Role  # noqa: E402
from feedback.models import Outcome  # noqa: E402
from feedback.services import digests_build  # noqa: E402
from notifications.models import Message  # noqa: E402
from opportunities.models import ActivityType, Opportunity, Session, SignUp, Team  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_DIGEST_PEOPLE", "10000"))
PREFIX = "digest-bench"


@transaction.atomic
def prepare() -> None:
    if User.objects.filter(email__startswith=PREFIX).count() >= PEOPLE:
        return
    # People with history are kept with PROTECT (docs/adr/0009-erasing-a-person.md): their
    # messages and the opportunities (with the sign-ups) go first, then the people.
    Message.objects.filter(recipient__email__startswith=PREFIX).delete()
    Opportunity.objects.filter(title__startswith=f"[{PREFIX}]").delete()
    User.objects.filter(email__startswith=PREFIX).delete()
    password = User(email="x@example.org")
    password.set_password("bench-password-1")
    users = User.objects.bulk_create(
        [User(email=f"{PREFIX}-{i}@example.org", password=password.password) for i in range(PEOPLE)],
        batch_size=2000,
    )
    group = Group.objects.get(name=Role.REPRESENTATIVE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=5000
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"Person {i}", onboarded_at=timezone.now())
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    activity_type, _ = ActivityType.objects.get_or_create(name="Interview panel")
    team, _ = Team.objects.get_or_create(name="Recruitment and workforce")
    Profile.interests.through.objects.bulk_create(
        [Profile.interests.through(profile_id=p.pk, activitytype_id=activity_type.pk) for p in profiles],
        batch_size=5000,
    )
    lead = User.objects.filter(groups__name=Role.WORKER).first()
    now = timezone.now()
    past = Opportunity.objects.create(
        title=f"[{PREFIX}] Listening event",
        summary="s",
        description="d",
        activity_type=activity_type,
        team=team,
        involvement_level="consulting",
        format="in_person",
        accessibility="a",
        places=PEOPLE,
        places_taken=PEOPLE,
        signup_deadline=now - timezone.timedelta(days=10),
        lead_worker=lead,
        status="completed",
        starts_at=now - timezone.timedelta(days=3, hours=2),
        ends_at=now - timezone.timedelta(days=3),
    )
    Session.objects.create(opportunity=past, starts_at=past.starts_at, ends_at=past.ends_at)
    SignUp.objects.bulk_create(
        [SignUp(opportunity=past, person=u, state="attended") for u in users], batch_size=5000
    )
    Outcome.objects.create(
        opportunity=past,
        you_said="Too many forms.",
        we_did="One form now.",
        status="published",
        published_at=now,
    )
    for index in range(20):
        start = now + timezone.timedelta(days=14 + index)
        new = Opportunity.objects.create(
            title=f"[{PREFIX}] Interview panel {index}",
            summary="s",
            description="d",
            activity_type=activity_type,
            team=team,
            involvement_level="consulting",
            format="in_person",
            accessibility="a",
            places=3,
            signup_deadline=start - timezone.timedelta(days=3),
            lead_worker=lead,
            status="published",
            published_at=now,
            starts_at=start,
            ends_at=start + timezone.timedelta(hours=2),
        )
        Session.objects.create(opportunity=new, starts_at=new.starts_at, ends_at=new.ends_at)


def main() -> None:
    call_command("migrate", verbosity=0)
    print(settings_line(), flush=True)
    call_command("seed_demo", quiet=True)  # roles, a worker to lead the bench activities
    prepare()
    Message.objects.filter(kind="digest").delete()
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        built = digests_build()
        elapsed = time.monotonic() - started
    batches = -(-User.objects.filter(profile__digest_frequency="weekly").count() // 500)
    print(
        f"Built and queued {built} weekly digests in {elapsed:.1f} s on one process "
        f"({built / elapsed:.0f} a second): {len(queries)} queries in all, about {batches} batches of 500."
    )
    started = time.monotonic()
    again = digests_build()
    print(
        f"Run again in the same week: {again} new digests in {time.monotonic() - started:.1f} s "
        "(one per person per period)."
    )


if __name__ == "__main__":
    main()
