"""A real MongoDB-compatible server for the whole test session (SecantusDB, see devtools/mongo_server.py).

The suite starts it itself: one server per session, shared by every ``mongo-real`` case, each case in a
database of its own. ``MONGODB_URI`` in the environment points the suite at another server instead (a
real MongoDB). If the server cannot be installed (offline, no package index), the cases that need it
skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from devtools.mongo_server import MongoServer, ServerUnavailable
from handler.store.mongo import MongoOrderStore, client_options


def start_or_skip(**options: object) -> MongoServer:
    """A started server with ``options`` (see MongoServer); the test skips, saying why, if it cannot."""
    server = MongoServer(**options)
    try:
        return server.start()
    except ServerUnavailable as exc:
        server.close()
        pytest.skip(f"no MongoDB-compatible server: {exc.reason}")


@pytest.fixture(scope="session")
def mongo_uri() -> Iterator[str]:
    """The session's server: ``MONGODB_URI`` if set, else a SecantusDB started here."""
    if uri := os.environ.get("MONGODB_URI"):
        yield uri
        return
    server = start_or_skip()
    try:
        yield server.uri
    finally:
        server.close()


def real_store(uri: str, deadline_seconds: float = 3.0, **options: object) -> MongoOrderStore:
    """The production store and client options on ``uri``, in a new database of its own."""
    settings = client_options(deadline_seconds=deadline_seconds) | options
    return MongoOrderStore.connect(uri, database=f"orders_test_{uuid.uuid4().hex[:12]}", **settings)
