"""Profile one page in-process with production settings and the benchmark's data, to see where a
request's time goes (issue 18): `bench/opportunities.py` says how fast a page is; this says why.

    BENCH_DATABASE_URL=postgres://localhost/involvement_bench .venv/bin/python bench/profile_page.py \
        "/opportunities/?q=interview" [--as-representative] [--requests 200] [--html profile.html]

It needs the database `bench/opportunities.py` builds (run that first). Requests go through the
whole middleware stack with Django's test client (no gunicorn, no network), after a few warm-up
requests; it prints the mean time a request took, how much of it was spent waiting for
PostgreSQL, the number of queries, and pyinstrument's profile of the measured requests.
"""

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.production import settings_line, use_production_settings  # noqa: E402

use_production_settings()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from accounts.models import User  # noqa: E402


class QueryTimer:
    def __init__(self) -> None:
        self.count, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--as-representative", action="store_true")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument("--cpu-only", action="store_true", help="only the CPU time a request takes")
    parser.add_argument(
        "--cprofile",
        type=int,
        metavar="N",
        help="instead of pyinstrument, cProfile's N costliest functions by CPU time (not wall "
        "time, which a busy machine inflates), cumulative",
    )
    args = parser.parse_args()

    call_command("collectstatic", interactive=False, verbosity=0)
    print(settings_line(), flush=True)
    client = Client(HTTP_HOST="127.0.0.1")
    if args.as_representative:
        person = (
            User.objects.filter(email__endswith="@scale.example.org", profile__taking_break=False)
            .annotate(signups_count=Count("signups"))
            .filter(signups_count=40)
            .order_by("email")
            .first()
        )
        client.force_login(person)
    for _ in range(10):
        response = client.get(args.path)
        assert response.status_code == 200, response.status_code

    if args.cpu_only:
        cpu = time.process_time()
        for _ in range(args.requests):
            client.get(args.path)
        cpu = time.process_time() - cpu
        print(f"{args.path}: {cpu / args.requests * 1000:.2f} ms of CPU a request in this process")
        return

    if args.cprofile:
        profile = cProfile.Profile(time.process_time)
        cpu = time.process_time()
        profile.enable()
        for _ in range(args.requests):
            client.get(args.path)
        profile.disable()
        cpu = time.process_time() - cpu
        print(f"{args.path}: {cpu / args.requests * 1000:.2f} ms of CPU a request in this process (profiled)")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.cprofile)
        return

    timer = QueryTimer()
    profiler = Profiler(interval=0.0005)
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        profiler.start()
        for _ in range(args.requests):
            client.get(args.path)
        profiler.stop()
        elapsed = time.perf_counter() - started
    print(
        f"{args.path}: {elapsed / args.requests * 1000:.2f} ms a request, of which "
        f"{timer.seconds / args.requests * 1000:.2f} ms waiting for {timer.count / args.requests:.1f} queries"
    )
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        Path(args.html).write_text(profiler.output_html())


if __name__ == "__main__":
    main()
