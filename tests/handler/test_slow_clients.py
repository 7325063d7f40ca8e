"""Slow clients cannot hold connections: a request whose body stalls is answered 408 and its connection
closed within the body timeout, and meanwhile every other request answers as usual. (Short timeouts are
configured here; the defaults and their reasons are in handler/contract.py.)"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import msgspec
import pytest

from handler import contract
from handler.app import create_app
from handler.settings import Settings
from handler.store.base import OrderStore
from tests.handler import raw_http
from tests.handler.conftest import concurrent_client
from tests.handler.test_server import Server
from tests.samples import EVENT_BYTES

TIMEOUT = 0.5
#: How long a test waits for what should happen after TIMEOUT: a bound, not a measurement.
PATIENCE = 10


async def _stalling(head: bytes) -> AsyncIterator[bytes]:
    yield head
    await asyncio.sleep(3600)  # the rest never comes
    yield b""


async def test_a_stalled_body_is_answered_408_with_connection_close(
    settings: Settings, store: OrderStore
) -> None:
    # Given a short body timeout (and a client that checks every answer against the document)
    app = create_app(msgspec.structs.replace(settings, body_timeout_seconds=TIMEOUT), store=store)
    async with concurrent_client(app) as client:
        # When a PUT sends half its body and stops
        stalled = client.put(
            contract.ORDERS_PATH,
            content=_stalling(EVENT_BYTES[:100]),
            headers={"content-length": str(len(EVENT_BYTES))},
        )
        response = await asyncio.wait_for(stalled, PATIENCE)

    # Then it is answered 408, and told that the connection closes
    assert response.status_code == 408
    assert response.json()["error"] == "request_timeout"
    assert response.headers["connection"] == "close"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(
        Path(tmp_path_factory.mktemp("slow")) / "orders.sqlite3",
        **{contract.ENV_BODY_TIMEOUT_SECONDS: str(TIMEOUT)},
    )
    try:
        yield running
    finally:
        running.stop()


def test_connections_stalled_mid_body_are_closed_while_others_are_served(server: Server) -> None:
    with contextlib.ExitStack() as stack:
        # Given many connections that each send a PUT's head and half its body, then stall
        stalled = [stack.enter_context(raw_http.connect(server.port, PATIENCE)) for _ in range(50)]
        half = raw_http.request("PUT", contract.ORDERS_PATH, body=EVENT_BYTES)[: -len(EVENT_BYTES) // 2]
        for conn in stalled:
            conn.sendall(half)

        # When another client sends whole requests meanwhile
        with raw_http.connect(server.port) as other:
            other.sendall(raw_http.request("PUT", contract.ORDERS_PATH, body=EVENT_BYTES))
            stored = raw_http.read_response(other)
            other.sendall(raw_http.request("GET", contract.HEALTH_PATH))
            health = raw_http.read_response(other)

        # Then it is served as usual
        assert stored.status in (200, 201) and health.status == 200
        # And each stalled connection is answered 408 and closed, within the body timeout (and patience)
        for conn in stalled:
            response = raw_http.read_response(conn)
            assert response.status == 408
            assert response.headers["connection"] == "close"
            assert raw_http.closed_by_server(conn, within=PATIENCE)
