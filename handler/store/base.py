"""The one store interface both backends implement, and the record they keep."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Protocol

import msgspec


class PutOutcome(enum.Enum):
    CREATED = "created"
    #: The same order again (same event, or identical content under another event id): a replay.
    REPLAYED = "replayed"
    #: The order id is stored with different content.
    CONFLICT = "conflict"


class StoreError(Exception):
    """The store could not answer: unreachable, failing, or timed out. Nothing was half-written."""


class CredentialsRejected(StoreError):
    """The database refused this process's credentials, typically because the password was rotated
    after the process read it at start-up. Retrying in this process cannot help: see handler/rotation.py.
    """


class EventMetadata(msgspec.Struct, frozen=True, kw_only=True):
    """The event that carried the order (its envelope's fields), and when the handler received it."""

    id: str
    source: str
    account: str
    region: str
    time: datetime | None
    received_at: datetime


class OrderRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One stored order: the event's detail exactly as sent, its fingerprint, and where it came from.

    Stores keep the detail under the name ``order`` (a Mongo document's field, GET's answer): that is the
    wire and storage contract; in code it is the ``detail`` all the way from the event.
    """

    order_id: str
    fingerprint: str
    detail: dict[str, Any]
    event: EventMetadata


class OrderStore(Protocol):
    """Idempotent order storage. Only store modules touch a database driver."""

    async def put(self, record: OrderRecord) -> PutOutcome:
        """Store ``record`` once; a repeat of the same fingerprint is REPLAYED, another a CONFLICT.

        Raises:
            StoreError: nothing can be said about the write; the caller should retry later.
        """
        ...

    async def get(self, order_id: str) -> OrderRecord | None:
        """Read an order written before this call returned (never a stale read)."""
        ...

    async def ping(self) -> None:
        """Raise StoreError unless the store answers."""
        ...

    async def close(self) -> None: ...
