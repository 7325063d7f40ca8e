"""HTTP/1.0 and HTTP/1.1 clients on raw sockets against ``python -m handler``: every answer is framed by
Content-Length, never chunked to HTTP/1.0 (RFC 9112, 6.1), and the connection is closed after an
HTTP/1.0 answer unless the client asked for keep-alive and the server said it would keep it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.handler import raw_http
from tests.handler.server_process import Server
from tests.samples import EVENT_BYTES


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(Path(tmp_path_factory.mktemp("framing")) / "orders.sqlite3")
    try:
        yield running
    finally:
        running.stop()


def _event(order_id: str) -> bytes:
    event = json.loads(EVENT_BYTES)
    event["detail"]["order_id"] = order_id
    return json.dumps(event).encode()


def _exchanges() -> list[tuple[str, str, bytes, int]]:
    """(method, path, body, status) for one of every kind of answer, in an order that produces it."""
    order_id = str(uuid.uuid4())
    return [
        ("PUT", "/orders", _event(order_id), 201),
        ("PUT", "/v1/orders", _event(order_id), 200),
        ("PUT", "/orders", b"{", 400),
        ("PUT", "/orders", b"x" * (300 * 1024), 413),
        ("GET", f"/orders/{order_id}", b"", 200),
        ("GET", f"/orders/{uuid.uuid4()}", b"", 404),
        ("GET", "/orders/not-an-id", b"", 400),
        ("GET", "/healthz", b"", 200),
        ("GET", "/readyz", b"", 200),
        ("POST", "/orders", b"{}", 405),
        ("GET", "/nowhere", b"", 404),
        ("GET", "/schema/openapi.json", b"", 200),
    ]


def _assert_framed(response: raw_http.RawResponse, status: int) -> None:
    assert response.status == status, response
    assert "transfer-encoding" not in response.headers, response.headers
    assert int(response.headers["content-length"]) == len(response.body)


def test_http_1_0_answers_have_content_length_and_close_the_connection(server: Server) -> None:
    for method, path, body, status in _exchanges():
        # Given an HTTP/1.0 client, one connection per request (its default)
        with raw_http.connect(server.port) as conn:
            # When it sends the request
            conn.sendall(raw_http.request(method, path, "1.0", body))
            response = raw_http.read_response(conn)

            # Then the answer is framed by Content-Length, not chunked, and the server then closes
            _assert_framed(response, status)
            assert raw_http.closed_by_server(conn, within=5), (method, path)


def test_http_1_0_asking_for_keep_alive_is_told_what_happens(server: Server) -> None:
    with raw_http.connect(server.port) as conn:
        conn.sendall(raw_http.request("GET", "/healthz", "1.0", connection="keep-alive"))
        response = raw_http.read_response(conn)

        _assert_framed(response, 200)
        # The server may keep the connection or close it, but it must say which.
        if response.headers.get("connection", "").lower() == "keep-alive":
            conn.sendall(raw_http.request("GET", "/healthz", "1.0"))
            _assert_framed(raw_http.read_response(conn), 200)
        else:
            assert response.headers["connection"].lower() == "close"
            assert raw_http.closed_by_server(conn, within=5)


def test_http_1_1_answers_are_framed_back_to_back_on_one_connection(server: Server) -> None:
    # Given one keep-alive connection
    with raw_http.connect(server.port) as conn:
        for method, path, body, status in _exchanges():
            # When every kind of request is sent on it in turn
            conn.sendall(raw_http.request(method, path, "1.1", body))
            # Then each answer is read exactly by its Content-Length, none is chunked
            _assert_framed(raw_http.read_response(conn), status)
        # And the connection still serves
        conn.sendall(raw_http.request("GET", "/healthz"))
        _assert_framed(raw_http.read_response(conn), 200)


def test_http_1_1_connection_close_is_honoured(server: Server) -> None:
    with raw_http.connect(server.port) as conn:
        conn.sendall(raw_http.request("PUT", "/orders", "1.1", EVENT_BYTES, connection="close"))
        response = raw_http.read_response(conn)

        assert response.status in (200, 201)
        assert response.headers["connection"].lower() == "close"
        assert raw_http.closed_by_server(conn, within=5)
