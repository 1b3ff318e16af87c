"""Rendered fragments kept in each process's memory, never served stale (issue 18).

Two kinds of key make that safe without asking anybody to remember to clear anything:

- a key made of everything the fragment is rendered from (an opportunity's card is keyed by
  every column of its row and of the rows it shows from), so different data is a different key,
  and an entry can only ever be outgrown, never wrong;
- a key that includes a version token (`version_token`), kept in the shared cache (Redis) and
  replaced by `bump_version` whenever the data behind it changes, so every process stops using
  what it kept at once. A token is random, not a counter: if Redis loses it, the next reader
  makes a new one, and no process can mistake its old entries for current ones.

Each process keeps at most `size` entries per store, least recently used first out. With
DEBUG on, nothing is kept: templates change under a running development server.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString

VERSION_PREFIX = "fragments:version:"


class FragmentStore:
    """A bounded least-recently-used map from a key to rendered markup, for one process."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SafeString | None:
        if settings.DEBUG:
            return None
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key: Hashable, html: SafeString) -> None:
        if settings.DEBUG:
            return
        with self._lock:
            self._entries[key] = html
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], SafeString]) -> SafeString:
        html = self.get(key)
        if html is None:
            html = render()
            self.put(key, html)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def version_token(name: str) -> str:
    """The current token of `name`: read it before reading the data it versions, so that
    whatever is rendered from that data is never filed under a newer token than the data."""
    key = VERSION_PREFIX + name
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return token


def bump_version(name: str) -> None:
    """Retire every fragment rendered under `name`'s current token: now (the rest of this
    transaction, and a test's, which never commits, sees the change) and again once the
    transaction commits (a reader that took the new token before the commit may have read the
    old rows under it)."""

    def bump() -> None:
        cache.set(VERSION_PREFIX + name, uuid.uuid4().hex, timeout=None)

    bump()
    transaction.on_commit(bump)


@once
def code_version() -> str:
    """A digest of the code that renders the part: every template and Python module of the
    project, Django's version and the time zone and language. A deploy that changes any of
    them starts new keys (read once per process, about 20 ms)."""
    digest = hashlib.sha256(f"{django.__version__}|{settings.TIME_ZONE}|{settings.LANGUAGE_CODE}".encode())
    root = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "tmp", "static", "staticfiles", "mutants", "tests", "migrations"}
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in skip and not name.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html")):
                path = Path(folder, name)
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
