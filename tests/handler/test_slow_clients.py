"""Slow clients cannot hold connections: a request whose head or body stalls is answered 408 and its
connection closed within the head or body timeout, and meanwhile every other request answers as usual; a
connection idle between requests is another thing, and stays open. (Short timeouts are configured here;
the defaults and their reasons are in handler/contract.py; connections.py has the head's deadline.)"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from handler import contract
from tests.handler import raw_http
from tests.handler.documented import Contract
from tests.handler.server_process import Server
from tests.samples import EVENT_BYTES

TIMEOUT = 0.5
DOCUMENTED_408 = Contract().validator("/paths/~1orders/put/responses/408/content/application~1json/schema")
#: How long a test waits for what should happen after TIMEOUT: a bound, not a measurement.
PATIENCE = 10


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(
        Path(tmp_path_factory.mktemp("slow")) / "orders.sqlite3",
        **{contract.ENV_BODY_TIMEOUT_SECONDS: str(TIMEOUT), contract.ENV_HEAD_TIMEOUT_SECONDS: str(TIMEOUT)},
    )
    try:
        yield running
    finally:
        running.stop()


_PUT = raw_http.request("PUT", contract.ORDERS_PATH, body=EVENT_BYTES)
STALLS = {
    # A PUT's head and half its body
    "mid-body": _PUT[: -len(EVENT_BYTES) // 2],
    # Half a head: the request line and one header, no blank line
    "mid-head": _PUT[: _PUT.index(b"\r\n", _PUT.index(b"\r\n") + 2) + 2],
}


@pytest.mark.parametrize("stall", STALLS)
def test_connections_stalled_mid_request_are_closed_while_others_are_served(
    server: Server, stall: str
) -> None:
    with contextlib.ExitStack() as stack:
        # Given many connections that each send part of a request, then stall
        stalled = [stack.enter_context(raw_http.connect(server.port, PATIENCE)) for _ in range(50)]
        for conn in stalled:
            conn.sendall(STALLS[stall])

        # When another client sends whole requests meanwhile
        with raw_http.connect(server.port) as other:
            other.sendall(raw_http.request("PUT", contract.ORDERS_PATH, body=EVENT_BYTES))
            stored = raw_http.read_response(other)
            other.sendall(raw_http.request("GET", contract.HEALTH_PATH))
            health = raw_http.read_response(other)

        # Then it is served as usual
        assert stored.status in (200, 201) and health.status == 200
        # And each stalled connection is answered 408, as documented, and closed, within the timeout
        for conn in stalled:
            response = raw_http.read_response(conn)
            assert response.status == 408
            assert response.headers["connection"] == "close"
            assert DOCUMENTED_408.is_valid(json.loads(response.body)), response.body
            assert raw_http.closed_by_server(conn, within=PATIENCE)


def test_a_head_sent_a_byte_at_a_time_does_not_extend_its_deadline(server: Server) -> None:
    # Given a client that sends a head's first line, then one more byte of a header every 0.1 s
    with raw_http.connect(server.port, PATIENCE) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        conn.settimeout(0.1)
        answer, give_up = b"", time.monotonic() + PATIENCE
        while not answer and time.monotonic() < give_up:
            with contextlib.suppress(OSError):  # the server may have closed already
                conn.sendall(b"a")
            with contextlib.suppress(TimeoutError):
                answer = conn.recv(65536)
        # When the server has answered, read to the end of the connection
        conn.settimeout(PATIENCE)
        with contextlib.suppress(ConnectionResetError):  # our last byte may have met the closed socket
            while chunk := conn.recv(65536):
                answer += chunk

    # Then it answered 408 and closed the connection within the deadline, though bytes kept coming
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert b"connection: close" in answer.lower()


def test_a_connection_idle_between_requests_is_not_a_stalled_one(server: Server) -> None:
    # Given a keep-alive connection that has served a request
    with raw_http.connect(server.port, PATIENCE) as conn:
        conn.sendall(raw_http.request("GET", contract.HEALTH_PATH))
        first = raw_http.read_response(conn)
        # When it stays idle longer than the head and body timeouts (well within the keep-alive)
        time.sleep(TIMEOUT * 3)
        conn.sendall(raw_http.request("GET", contract.HEALTH_PATH))
        second = raw_http.read_response(conn)

    # Then it still serves: only a request that has begun has a deadline
    assert (first.status, second.status) == (200, 200)
