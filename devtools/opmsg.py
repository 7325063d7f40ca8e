"""Just enough of the MongoDB wire protocol to send one command: the standard library has no driver.

``devtools.mongo_server`` uses it to tell when a server answers, and to create users before it turns
``--auth`` on. Only what those two commands need is encoded: str, int, bool, dict and list.
"""

from __future__ import annotations

import socket
import ssl
import struct
from typing import Any

_OP_MSG = 2013


class WireError(OSError):
    """The server did not answer the command, or answered it with ``ok: 0``."""


def encode(doc: dict[str, Any]) -> bytes:
    """``doc`` as a BSON document."""
    body = b"".join(_element(str(key), value) for key, value in doc.items())
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def _element(key: str, value: Any) -> bytes:
    name = key.encode() + b"\x00"
    if isinstance(value, bool):  # before int: a bool is an int
        return b"\x08" + name + (b"\x01" if value else b"\x00")
    if isinstance(value, int):
        return b"\x12" + name + struct.pack("<q", value)
    if isinstance(value, str):
        data = value.encode() + b"\x00"
        return b"\x02" + name + struct.pack("<i", len(data)) + data
    if isinstance(value, dict):
        return b"\x03" + name + encode(value)
    if isinstance(value, list):
        return b"\x04" + name + encode({str(i): item for i, item in enumerate(value)})
    raise TypeError(f"cannot encode {type(value).__name__} for `{key}`")


def command(
    host: str, port: int, doc: dict[str, Any], *, tls: ssl.SSLContext | None = None, timeout: float = 2.0
) -> bytes:
    """Send one OP_MSG command and return the reply's BSON body (not decoded).

    Raises:
        WireError: no connection, no well-formed reply, or a reply without ``ok: 1``.
    """
    message = struct.pack("<I", 0) + b"\x00" + encode(doc)
    header = struct.pack("<iiii", 16 + len(message), 1, 0, _OP_MSG)
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            conn = tls.wrap_socket(raw, server_hostname=host) if tls else raw
            conn.sendall(header + message)
            length = struct.unpack("<i", _read(conn, 4))[0]
            reply = _read(conn, length - 4)
    except (OSError, ssl.SSLError, struct.error) as exc:
        raise WireError(f"{host}:{port}: {exc}") from exc
    body = reply[12 + 4 + 1 :]  # rest of header, flag bits, section kind 0
    if not _ok(body):
        raise WireError(f"{host}:{port}: command {next(iter(doc))!r} failed: {body!r}")
    return body


def _read(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise WireError("connection closed mid-reply")
        data += chunk
    return data


def _ok(body: bytes) -> bool:
    # ``ok`` is a double (0x01), an int32 (0x10) or an int64 (0x12) in the replies of real servers.
    for kind, size, fmt in ((b"\x01", 8, "<d"), (b"\x10", 4, "<i"), (b"\x12", 8, "<q")):
        at = body.find(kind + b"ok\x00")
        if at >= 0:
            start = at + 4
            return struct.unpack(fmt, body[start : start + size])[0] == 1
    return False
