"""The connection protocol (handler/connections.py) in a uvicorn server of the test's own, where the
keep-alive can be short: a connection that never sends a byte, or only blank lines, is closed after the
keep-alive time, not kept for ever; and the rest of a body the app answered without reading leaves the
connection idle (the keep-alive applies), not stalled mid-head."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator

import uvicorn

from handler import connections
from handler.server import server_config
from handler.settings import Settings
from tests.handler import raw_http

KEEP_ALIVE = 0.5
PATIENCE = 10


async def _answers_without_reading(scope: dict, receive: object, send: object) -> None:
    """A bare ASGI app: 200 at once, whatever the body (as a route that never reads it would)."""
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


@contextlib.asynccontextmanager
async def _serving(head_timeout: float, keep_alive: float) -> AsyncIterator[int]:
    config = uvicorn.Config(
        _answers_without_reading,
        host="127.0.0.1",
        port=0,
        http=connections.protocol(head_timeout, head_timeout),
        timeout_keep_alive=keep_alive,
        lifespan="off",
        log_config=None,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(PATIENCE * 100):  # uvicorn offers no event to await for this
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        await task


async def _closed(port: int, *sends: bytes) -> bool:
    def exchange() -> bool:
        with raw_http.connect(port, PATIENCE) as conn:
            for data in sends:
                conn.sendall(data)
            return raw_http.closed_by_server(conn, within=PATIENCE)

    return await asyncio.to_thread(exchange)


async def test_a_connection_that_never_sends_is_closed_after_the_keep_alive() -> None:
    # Given a server whose keep-alive is short
    async with _serving(head_timeout=PATIENCE * 2, keep_alive=KEEP_ALIVE) as port:
        # When a client connects and sends nothing, Then the server closes it (not never)
        assert await _closed(port)


async def test_bytes_that_begin_no_request_leave_the_keep_alive_running() -> None:
    # Given a short keep-alive, When a client sends only a blank line (which begins no request)
    async with _serving(head_timeout=PATIENCE * 2, keep_alive=KEEP_ALIVE) as port:
        # Then the connection is still closed once idle for the keep-alive
        assert await _closed(port, b"\r\n")


def _closed_while_sending_blank_lines(conn: socket.socket) -> bool:
    """Send a blank line every KEEP_ALIVE / 5 s for up to PATIENCE s; whether the server closed meanwhile."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            conn.sendall(b"\r\n")
        except OSError:  # the server closed it and the kernel said so
            return True
        if raw_http.closed_by_server(conn, within=KEEP_ALIVE / 5):
            return True
    return False


async def test_blank_lines_every_so_often_do_not_hold_an_idle_connection() -> None:
    # Given a short keep-alive
    async with _serving(head_timeout=PATIENCE * 2, keep_alive=KEEP_ALIVE) as port:

        def exchange() -> tuple[int, bool]:
            with raw_http.connect(port, PATIENCE) as conn:
                # When a client that has had an answer then sends only blank lines, each well within
                # the keep-alive (before, each restarted the idle timer)
                conn.sendall(raw_http.request("GET", "/y"))
                status = raw_http.read_response(conn).status
                return status, _closed_while_sending_blank_lines(conn)

        # Then the server closes it while they are still coming, once the keep-alive has run out
        assert await asyncio.to_thread(exchange) == (200, True)


async def test_blank_lines_on_a_new_connection_do_not_hold_it_either() -> None:
    # Given a short keep-alive, When a new connection sends only blank lines, one every so often
    async with _serving(head_timeout=PATIENCE * 2, keep_alive=KEEP_ALIVE) as port:

        def exchange() -> bool:
            with raw_http.connect(port, PATIENCE) as conn:
                return _closed_while_sending_blank_lines(conn)

        # Then the server closes it while they are still coming
        assert await asyncio.to_thread(exchange)


async def test_the_rest_of_an_answered_body_leaves_the_connection_idle_not_stalled() -> None:
    # Given a short head timeout and a longer keep-alive
    async with _serving(head_timeout=0.3, keep_alive=PATIENCE) as port:

        def exchange() -> tuple[int, int]:
            with raw_http.connect(port, PATIENCE) as conn:
                # When a request is answered before its body is all sent, and the rest follows
                conn.sendall(b"PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n12345")
                first = raw_http.read_response(conn)
                conn.sendall(b"67890")
                # And the connection then stays idle longer than the head timeout
                time.sleep(1.0)
                conn.sendall(raw_http.request("GET", "/y"))
                return first.status, raw_http.read_response(conn).status

        # Then it serves the next request: only a head that has begun has the head's deadline
        assert await asyncio.to_thread(exchange) == (200, 200)


def test_python_m_handler_serves_with_this_protocol_and_the_settings_timeouts() -> None:
    settings = Settings(head_timeout_seconds=1.5, body_timeout_seconds=2.5)
    config = server_config(settings, app=None)

    assert issubclass(config.http, connections.HttpProtocol)
    assert (config.http.head_timeout_seconds, config.http.body_timeout_seconds) == (1.5, 2.5)
