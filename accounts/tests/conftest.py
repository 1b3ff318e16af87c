from types import SimpleNamespace

import pytest

from accounts import messaging


@pytest.fixture
def messages_asked(monkeypatch) -> list[SimpleNamespace]:
    """The messages accounts asks the outbox for (recipient, kind, dedupe_key, context), each
    still passed on to it. What the message then says is notifications' to test."""
    asked: list[SimpleNamespace] = []
    outbox = messaging._outbox
    assert outbox is not None, "notifications connects the outbox when Django starts"

    def record(**message):
        asked.append(SimpleNamespace(**message))
        return outbox(**message)

    monkeypatch.setattr(messaging, "_outbox", record)
    return asked
