import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_it_answers_200_when_the_database_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["redis"], body["status"]) == ("ok", "ok", "ok")


def test_it_answers_503_naming_redis_when_redis_is_down(client):
    # Nothing listens on port 1: a real refused connection, not a mock.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "down: redis"


def test_it_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert "database" in response.json()["status"]


def test_it_needs_no_log_in_and_is_never_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
