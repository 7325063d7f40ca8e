"""The DocumentDB / MongoDB store, on PyMongo's native asyncio API (``AsyncMongoClient``).

Document layout: ``_id`` is the order id; ``order`` is the detail as sent, with prices as Decimal128 and
``create_date`` as a date; ``fingerprint`` decides replay against conflict; ``event`` is the
envelope's metadata. DocumentDB needs TLS against the Amazon RDS CA bundle, ``retryWrites=false`` and
the replica set ``rs0`` (those two come in the URI the infrastructure builds); primary reads keep a
just-written order from reading stale.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import msgspec
from bson.decimal128 import Decimal128
from bson.errors import BSONError
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError, PyMongoError

from handler.store import refusals
from handler.store.base import CredentialsRejected, EventMetadata, OrderRecord, PutOutcome, StoreError


def client_options(
    *,
    deadline_seconds: float,
    username: str | None = None,
    password: str | None = None,
    tls_ca_file: str | None = None,
) -> dict[str, Any]:
    """The client settings this store relies on, whatever the URI says."""
    timeout_ms = int(deadline_seconds * 1000)
    options: dict[str, Any] = {
        "retryWrites": False,  # DocumentDB does not support retryable writes
        "readPreference": "primary",  # read-your-write: never a lagging replica
        "w": "majority",
        "tz_aware": True,
        "timeoutMS": timeout_ms,  # client-side operation timeout, inside the request deadline
        "serverSelectionTimeoutMS": timeout_ms,
        "connectTimeoutMS": timeout_ms,
        "appname": "order-events-handler",
    }
    if username is not None:
        options["username"] = username
        options["password"] = password
    if tls_ca_file is not None:
        options["tls"] = True
        options["tlsCAFile"] = tls_ca_file
    return options


class MongoOrderStore:
    """Stores orders in one collection of a MongoDB-compatible database."""

    def __init__(self, client: Any, database: str = "orders", collection: str = "orders") -> None:
        # ``client`` is an AsyncMongoClient, or a fake with the same async surface in tests.
        self._client = client
        self._orders = client[database][collection]

    @classmethod
    def connect(cls, uri: str, *, database: str = "orders", **options: Any) -> MongoOrderStore:
        """Build the client; it connects lazily, so start-up never blocks on the database."""
        return cls(AsyncMongoClient(uri, **options), database)

    async def put(self, record: OrderRecord) -> PutOutcome:
        self._refuse_if_already_refused("write")
        try:
            try:
                await _abandonable(self._orders.insert_one(_to_document(record)))
            except DuplicateKeyError:
                stored = await _abandonable(
                    self._orders.find_one({"_id": record.order_id}, {"fingerprint": 1})
                )
            else:
                return PutOutcome.CREATED
        except (PyMongoError, BSONError) as exc:
            raise _store_error("write", exc) from exc
        if stored is None:  # deleted between the two calls: ask for a retry rather than guess
            raise StoreError("order vanished between insert and read")
        same = stored["fingerprint"] == record.fingerprint
        return PutOutcome.REPLAYED if same else PutOutcome.CONFLICT

    async def get(self, order_id: str) -> OrderRecord | None:
        self._refuse_if_already_refused("read")
        try:
            document = await _abandonable(self._orders.find_one({"_id": order_id}))
        except PyMongoError as exc:
            raise _store_error("read", exc) from exc
        return None if document is None else _from_document(document)

    async def ping(self) -> None:
        self._refuse_if_already_refused("ping")
        try:
            await _abandonable(self._client.admin.command("ping"))
        except PyMongoError as exc:
            raise _store_error("ping", exc) from exc

    async def close(self) -> None:
        # Closing first ends the client's server sessions (endSessions), which waits on server selection:
        # up to the whole deadline while the server is down or refuses the password (measured: a task
        # whose password was rotated away exited 3 s later for it). Ending them is a courtesy (the server
        # expires idle sessions itself), so it is bounded; a second close finds no sessions left to end
        # and closes the pools and monitors.
        if _abandoned:  # operations given up on end by their own timeout (``_abandonable``): wait for them
            await asyncio.wait(list(_abandoned), timeout=_ABANDONED_SECONDS)
        try:
            async with asyncio.timeout(_END_SESSIONS_SECONDS):
                await self._client.close()
        except TimeoutError:
            await self._client.close()

    def _refuse_if_already_refused(self, action: str) -> None:
        # Fail fast, in either monitoring mode, once the driver knows the password is refused.
        if refusal := refusals.known_refusal(self._client):
            raise CredentialsRejected(_REJECTED.format(action=action)) from refusal


T = TypeVar("T")
#: Driver operations given up on (see ``_abandonable``), held until they end: a task only weakly held
#: could be collected mid-flight.
_abandoned: set[asyncio.Future[Any]] = set()


async def _abandonable(operation: Awaitable[T]) -> T:
    """Await a driver operation in a task of its own, so that cancelling the caller (the gate's deadline)
    ends the wait at once, and the operation itself is never cancelled.

    Against a real server killed under load, PyMongo 4.20's async server selection, cancelled mid-wait,
    was left re-taking its lock for good (``pymongo/_asyncio_lock.py``, ``Condition.wait``): awaited in
    the request's own task, each held its request far past the store deadline, where the answer must be a
    503 within it (tests/handler/test_real_faults.py); cancelled in a task of its own, it still never
    ended, and the event loop could not close. So the operation is left to its own client-side timeout
    (``timeoutMS``, the same deadline: ``client_options``), and the store waits for such operations when
    it closes. An insert that lands late is harmless: a retry of the same order is then answered 200.
    """
    task = asyncio.ensure_future(operation)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        _abandoned.add(task)
        task.add_done_callback(_forget)
        raise


def _forget(task: asyncio.Future[Any]) -> None:
    _abandoned.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a late failure of an operation nobody waits for is not an error


#: How long closing waits for operations given up on: their own timeout is the store deadline, at most
#: 3.5 s (``Settings``), plus room for the driver to notice it.
_ABANDONED_SECONDS = 4.0
#: How long closing may spend ending server sessions (see ``close``).
_END_SESSIONS_SECONDS = 0.5
_REJECTED = "MongoDB {action} failed: the server rejected the credentials"


def _store_error(action: str, exc: Exception) -> StoreError:
    # The messages name the error class only: a driver message could carry connection details.
    if refusals.refused_password(exc):
        return CredentialsRejected(_REJECTED.format(action=action))
    return StoreError(f"MongoDB {action} failed: {type(exc).__name__}")


def _to_document(record: OrderRecord) -> dict[str, Any]:
    order = dict(record.detail)
    order["create_date"] = msgspec.convert(order["create_date"], datetime)
    order["items"] = [{**item, "price": Decimal128(item["price"])} for item in order["items"]]
    event = record.event
    return {
        "_id": record.order_id,
        "order": order,
        "fingerprint": record.fingerprint,
        "event": {
            "id": event.id,
            "source": event.source,
            "account": event.account,
            "region": event.region,
            "time": event.time,
            "received_at": event.received_at,
        },
    }


def _from_document(document: dict[str, Any]) -> OrderRecord:
    order = dict(document["order"])
    order["create_date"] = _rfc3339(order["create_date"])
    order["items"] = [{**item, "price": format(_decimal(item["price"]), "f")} for item in order["items"]]
    event = dict(document["event"])
    event["time"] = event["time"] and _utc(event["time"])
    event["received_at"] = _utc(event["received_at"])
    return OrderRecord(
        order_id=document["_id"],
        fingerprint=document["fingerprint"],
        detail=order,
        event=EventMetadata(**event),
    )


def _decimal(value: Decimal128 | Decimal) -> Decimal:
    return value.to_decimal() if isinstance(value, Decimal128) else value


def _utc(value: datetime) -> datetime:
    # BSON dates are UTC; a client without tz_aware hands them back naive.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _rfc3339(value: datetime) -> str:
    return _utc(value).isoformat().replace("+00:00", "Z")
