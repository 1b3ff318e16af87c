"""Benchmark: the finance export of 10,000 approved claims (issue 12).

Run with `make bench` (or `.venv/bin/python bench/payments.py`). It uses a database of
its own (involvement_bench_payments) and production settings (DEBUG off: bench/production.py). It
makes approved claims, each with a fee and one expense line (half the people with a payroll
reference), then times `export_batch_create` (the batch, every claim marked exported, a
history entry each) and `export_csv` (the file finance downloads), and counts the queries of
each, at 1,000 claims and at 10,000: the counts must be the same. Target: 10,000 in under 10 s.
`BENCH_CLAIMS` sets the larger size.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

# A database of its own: the other benchmarks' demo data may hold approved claims, which
# would join the batch.
use_production_settings(
    DATABASE_URL=os.environ.get(
        "BENCH_PAYMENTS_DATABASE_URL", "postgres://localhost/involvement_bench_payments"
    )
)
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
from bench.someone import someone as bench_someone  # noqa: E402
from catalogue.models import ActivityType, Team  # noqa: E402
from opportunities.models import Opportunity, Session, SignUp  # noqa: E402
from payments.models import Claim, ExpenseLine, ExportBatch, PaymentDetails  # noqa: E402
from payments.services import export_batch_create, export_csv  # noqa: E402

LARGEST = int(os.environ.get("BENCH_CLAIMS", "10000"))
SIZES = sorted({1000, LARGEST})
PREFIX = "payments-bench"
TARGET_SECONDS = 10.0


def staff(email: str, role: Role) -> User:
    return bench_someone(PREFIX, email, role)


@transaction.atomic
def people_and_activity(lead: User) -> tuple[Opportunity, list[SignUp]]:
    """LARGEST representatives who attended one activity (made once, kept between runs)."""
    opportunity = Opportunity.objects.filter(title=f"[{PREFIX}] Interview panel").first()
    if opportunity is not None and opportunity.signups.count() >= LARGEST:
        return opportunity, list(opportunity.signups.order_by("pk")[:LARGEST])
    Claim.objects.filter(opportunity__title__startswith=f"[{PREFIX}]").delete()
    ExportBatch.objects.filter(created_by__email__startswith=PREFIX).delete()
    Opportunity.objects.filter(title__startswith=f"[{PREFIX}]").delete()
    User.objects.filter(email__startswith=f"{PREFIX}-person").delete()
    password = User(email="x@example.org")
    password.set_password("bench-password-1")
    users = User.objects.bulk_create(
        [User(email=f"{PREFIX}-person-{i}@example.org", password=password.password) for i in range(LARGEST)],
        batch_size=2000,
    )
    group = Group.objects.get(name=Role.REPRESENTATIVE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=5000
    )
    Profile.objects.bulk_create(
        [
            Profile(user=u, display_name=f"Person {i}", onboarded_at=timezone.now())
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    # Half the people have the reference finance pays them by.
    PaymentDetails.objects.bulk_create(
        [PaymentDetails(person=u, payroll_reference=f"PAY-{i:05d}") for i, u in enumerate(users) if i % 2],
        batch_size=2000,
    )
    activity_type, _ = ActivityType.objects.get_or_create(name="Interview panel")
    team, _ = Team.objects.get_or_create(name="Recruitment and workforce")
    ends = timezone.now() - timedelta(days=3)
    opportunity = Opportunity.objects.create(
        title=f"[{PREFIX}] Interview panel",
        summary="s",
        description="d",
        activity_type=activity_type,
        team=team,
        involvement_level="consulting",
        format="in_person",
        accessibility="a",
        places=LARGEST,
        signup_deadline=ends - timedelta(days=10),
        lead_worker=lead,
        status="completed",
        is_paid=True,
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
    )
    Session.objects.create(opportunity=opportunity, starts_at=opportunity.starts_at, ends_at=ends)
    signups = SignUp.objects.bulk_create(
        [SignUp(opportunity=opportunity, person=u, state="attended") for u in users], batch_size=5000
    )
    return opportunity, signups


@transaction.atomic
def approved_claims(opportunity: Opportunity, signups: list[SignUp], lead: User, count: int) -> None:
    """`count` approved claims, each a £23.00 fee and £4.50 parking; none left from before."""
    Claim.objects.filter(opportunity=opportunity).delete()
    ExportBatch.objects.filter(created_by__email__startswith=PREFIX).delete()
    now = timezone.now()
    claims = Claim.objects.bulk_create(
        [
            Claim(
                signup=signup,
                person_id=signup.person_id,
                opportunity=opportunity,
                state=Claim.State.APPROVED,
                activity_date=opportunity.ends_at.date(),
                hours=Decimal("2.00"),
                calculated_fee=Decimal("23.00"),
                submitted_at=now,
                approved_at=now,
                approved_by=lead,
            )
            for signup in signups[:count]
        ],
        batch_size=2000,
    )
    ExpenseLine.objects.bulk_create(
        [ExpenseLine(claim=claim, kind="parking", amount=Decimal("4.50")) for claim in claims],
        batch_size=2000,
    )


def measure(size: int, opportunity: Opportunity, signups: list[SignUp], lead: User, officer: User) -> dict:
    approved_claims(opportunity, signups, lead, size)
    # Other approved claims (the demo's, say) would join the batch: the benchmark's alone.
    assert Claim.objects.filter(state=Claim.State.APPROVED).count() == size, "other approved claims exist"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as export_queries:
        started = time.monotonic()
        batch = export_batch_create(by=officer)
        export_seconds = time.monotonic() - started
    with CaptureQueriesContext(connection) as csv_queries:
        started = time.monotonic()
        text = export_csv(batch=batch)
        csv_seconds = time.monotonic() - started
    again = export_csv(batch=batch)
    lines = text.count("\n") - 1
    assert batch.claim_count == size and lines == 2 * size, (batch.claim_count, lines)
    assert again == text, "a second download differs"
    assert batch.total == Decimal("27.50") * size
    return {
        "size": size,
        "export": export_seconds,
        "csv": csv_seconds,
        "export_queries": len(export_queries),
        "csv_queries": len(csv_queries),
        "bytes": len(text.encode()),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    print(settings_line(), flush=True)
    lead = staff("lead", Role.WORKER)
    officer = staff("finance", Role.FINANCE)
    if Claim.objects.filter(state=Claim.State.APPROVED).exclude(opportunity__title__startswith=f"[{PREFIX}]"):
        raise SystemExit("The benchmark database holds other approved claims: they would join the batch.")
    started = time.monotonic()
    opportunity, signups = people_and_activity(lead)
    print(f"Data: {LARGEST:,} people who attended one activity, ready in {time.monotonic() - started:.1f} s.")
    results = [measure(size, opportunity, signups, lead, officer) for size in SIZES]
    for result in results:
        total = result["export"] + result["csv"]
        print(
            f"{result['size']:,} approved claims (a fee and an expense each): export_batch_create "
            f"{result['export']:.2f} s ({result['export_queries']} queries), export_csv "
            f"{result['csv']:.2f} s ({result['csv_queries']} queries, {result['bytes']:,} bytes, "
            f"{2 * result['size']:,} lines); together {total:.2f} s."
        )
    constant = len({(r["export_queries"], r["csv_queries"]) for r in results}) == 1
    largest = results[-1]
    met = largest["export"] + largest["csv"] < TARGET_SECONDS
    print(
        f"Queries the same at every size: {'yes' if constant else 'NO'}. "
        f"Target (under {TARGET_SECONDS:.0f} s for {largest['size']:,}): {'met' if met else 'MISSED'}."
    )
    approved_claims(opportunity, signups, lead, 0)


if __name__ == "__main__":
    main()
