"""Liveness and readiness for load balancers and monitoring."""

import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# Where the periodic heartbeat task (notifications.tasks.beat_heartbeat) leaves the time it
# last ran. Named here, in the module that reads it, since this one may import no app.
BEAT_HEARTBEAT_KEY = "beat:heartbeat"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _redis_ok() -> bool:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.HEALTHZ_TIMEOUT_SECONDS,
        socket_timeout=settings.HEALTHZ_TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _beat_heartbeat_age() -> int | None:
    """Seconds since beat's last heartbeat ran on a worker; None if never, or unknown."""
    from django.core.cache import cache

    try:
        beat = cache.get(BEAT_HEARTBEAT_KEY)
    except Exception:
        return None
    return None if beat is None else max(0, round(time.time() - float(beat)))


@never_cache
@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and Redis answer; 503 naming whatever is down."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    down = [name for name, ok in checks.items() if not ok]
    body = {name: "ok" if ok else "down" for name, ok in checks.items()}
    body["status"] = "ok" if not down else "down: " + ", ".join(down)
    # Reported, not judged: the web can serve while beat is late; monitoring alerts on it.
    body["beat_heartbeat_age_seconds"] = _beat_heartbeat_age() if checks["redis"] else None
    return JsonResponse(body, status=503 if down else 200)
