"""Real concurrency for tests (STYLE.md: races are tested with threads, not by calling a
function twice): each job runs in a thread of its own, with its own database connection,
all released at the same moment by a barrier."""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def run_together(jobs: Sequence[Callable[[], Any]], *, timeout: float = 120) -> list[Any]:
    """Each job's result, or the exception it raised, in the order of `jobs`."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def runner(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # collected and asserted on by the test
            results[index] = error
        finally:
            # The thread's own connection: left open, it would hold the test database.
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
