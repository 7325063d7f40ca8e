"""Telling a refused password apart from an outage, in what PyMongo reports, in both monitoring modes.

A refusal must be seen as one, fast, every time: it stops the task so that ECS starts one that reads
the rotated secret (handler/rotation.py); an outage must not.

PyMongo's async driver authenticates each new connection inside the operation that checks it out, and
raises the server's reply as an OperationFailure, unwrapped, from that operation (pool.connect ->
conn.authenticate). The checkout's SDAM handler then marks the server Unknown *with that error* and
clears the pool, without asking for an immediate check (topology._handle_error). What the next call
meets depends on how the driver monitors the server (``serverMonitoringMode``):

* ``poll``: server selection wakes the monitor, which finds the server again within ~0.5 s; the call
  opens a new connection and is refused the same way (an OperationFailure again).
* ``stream`` (the default ``auto`` picks it when the server sends ``topologyVersion``; what DocumentDB
  sends is not documented): the monitor waits on a ``hello`` the server holds for
  ``heartbeatFrequencyMS``, so the server stays Unknown, and the call waits out server selection and
  ends in a ServerSelectionTimeoutError that carries the refusal only in its topology description
  (measured against a real server: 3.0 s, the whole store deadline, and a plain StoreError).

So the store asks ``known_refusal`` before each call, and fails at once while the driver's last word on
every server is a refusal; and ``refused_password`` reads the refusal inside a selection timeout too.
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import OperationFailure, ServerSelectionTimeoutError
from pymongo.topology_description import TopologyDescription

#: MongoDB's code for a refused password, AuthenticationFailed. Servers that speak the protocol without
#: being MongoDB may use another code (Atlas answers 8000, "bad auth : Authentication failed."), so the
#: message counts too: missing a refusal means 503s until someone redeploys, a false match costs one
#: restart.
AUTHENTICATION_FAILED = 18


def refused_password(exc: BaseException | None) -> bool:
    """Whether ``exc`` is the server refusing the credentials, directly or inside a selection timeout."""
    if isinstance(exc, ServerSelectionTimeoutError):
        return isinstance(exc.details, TopologyDescription) and _refusal_among(exc.details) is not None
    if not isinstance(exc, OperationFailure):
        return False
    message = str((exc.details or {}).get("errmsg", ""))
    return exc.code == AUTHENTICATION_FAILED or "authentication failed" in message.lower()


def known_refusal(client: Any) -> OperationFailure | None:
    """The refusal the driver last marked every server Unknown with, if it did; else None.

    It holds until the monitor sees a server again (at most ``heartbeatFrequencyMS``); by then the
    process is draining to exit anyway. Clients without a topology (test fakes) never have one.
    """
    described = getattr(client, "topology_description", None)
    if not isinstance(described, TopologyDescription):
        return None
    if described.has_readable_server() or described.has_writable_server():
        return None
    return _refusal_among(described)


def _refusal_among(described: TopologyDescription) -> OperationFailure | None:
    errors = (server.error for server in described.server_descriptions().values())
    return next((e for e in errors if isinstance(e, OperationFailure) and refused_password(e)), None)
