"""HTTP/1.x on a bare socket, strict about framing: what a test sends is exactly what the server reads,
and a response is read by its Content-Length alone (a chunked or unframed one is an error here)."""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class RawResponse:
    version: str
    status: int
    #: Lower-case names; a repeated header's values joined with ", ".
    headers: dict[str, str]
    body: bytes


def request(method: str, path: str, version: str = "1.1", body: bytes = b"", **headers: str) -> bytes:
    """One request's bytes. Header names are given with underscores (``content_type="x"``)."""
    lines = [f"{method} {path} HTTP/{version}", "Host: 127.0.0.1"]
    if body or method == "PUT":
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name.replace('_', '-').title()}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(conn: socket.socket) -> RawResponse:
    """Read one response: its head, then exactly Content-Length bytes of body.

    Raises:
        AssertionError: the server closed before a whole head, or the response has no Content-Length.
    """
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole response head: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = status_line.split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    if "content-length" not in headers:
        raise AssertionError(f"no Content-Length in {status_line!r}: {headers}")
    length = int(headers["content-length"])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise AssertionError(f"closed {length - len(body)} bytes before the end of the body")
        body += chunk
    if len(body) != length:
        raise AssertionError(f"{len(body) - length} bytes after the body: {body[length:]!r}")
    return RawResponse(version.removeprefix("HTTP/"), int(status), headers, body)


def closed_by_server(conn: socket.socket, within: float) -> bool:
    """Whether the server closes the connection (EOF) within ``within`` seconds, sending nothing more."""
    conn.settimeout(within)
    try:
        extra = conn.recv(65536)
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    if extra:
        raise AssertionError(f"unexpected bytes after the response: {extra!r}")
    return True


def connect(port: int, timeout: float = 10) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)
