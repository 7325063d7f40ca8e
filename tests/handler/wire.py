"""A loopback stand-in for a MongoDB server whose password was rotated: it answers the handshake, and
refuses every authentication with the server's real reply (code 18, AuthenticationFailed).

Just enough of the wire protocol for the real AsyncMongoClient to connect and try to authenticate:
OP_QUERY (the driver's first ``hello``) answered with OP_REPLY, and OP_MSG for everything else. It lets
a test see how the installed PyMongo surfaces a refused password, rather than assume it.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import bson

from tests.handler.fakes import AUTHENTICATION_FAILED_REPLY

_OP_REPLY, _OP_QUERY, _OP_MSG = 1, 2004, 2013


def _answer(command: dict[str, Any]) -> dict[str, Any]:
    name = next(iter(command)).lower()
    if name in ("hello", "ismaster"):
        return {
            "ok": 1.0,
            "isWritablePrimary": True,
            "ismaster": True,
            "helloOk": True,
            "minWireVersion": 0,
            "maxWireVersion": 21,
            "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": 48_000_000,
            "maxWriteBatchSize": 100_000,
            "localTime": datetime.now(UTC),
            "logicalSessionTimeoutMinutes": 30,
            "saslSupportedMechs": ["SCRAM-SHA-1", "SCRAM-SHA-256"],
        }
    if name.startswith("sasl") or name == "authenticate":
        return dict(AUTHENTICATION_FAILED_REPLY)
    return {"ok": 1.0}


def _first_document(data: bytes) -> dict[str, Any]:
    return bson.decode(data[: struct.unpack_from("<i", data)[0]])


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            length, request_id, _, opcode = struct.unpack("<iiii", await reader.readexactly(16))
            body = await reader.readexactly(length - 16)
            if opcode == _OP_QUERY:  # flags, collection name, skip, limit, then the command
                command = _first_document(body[body.index(b"\0", 4) + 9 :])
                reply = bson.encode(_answer(command.get("$query", command)))
                payload, opcode = struct.pack("<iqii", 0, 0, 0, 1) + reply, _OP_REPLY
            else:  # OP_MSG: flags, then a kind-0 section holding the command
                payload = struct.pack("<IB", 0, 0) + bson.encode(_answer(_first_document(body[5:])))
            writer.write(struct.pack("<iiii", 16 + len(payload), 0, request_id, opcode) + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@asynccontextmanager
async def refusing_server() -> AsyncIterator[str]:
    """Serve on a loopback port; yields a URI for it."""
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    finally:
        server.close()
