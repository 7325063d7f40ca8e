"""Test doubles: an asyncio facade over mongomock, and a store whose credentials stop working.

The facade has the slice of AsyncMongoClient's surface the Mongo store uses. mongomock raises PyMongo's
own error classes (DuplicateKeyError and so on), so the store's error handling runs unchanged. Each call
yields to the event loop first, so concurrent requests interleave the way they do against a real server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import mongomock
from pymongo.errors import OperationFailure

from handler.store.base import CredentialsRejected, OrderRecord, OrderStore, PutOutcome

#: The server's reply when it refuses a password (MongoDB and DocumentDB alike).
AUTHENTICATION_FAILED_REPLY = {
    "ok": 0.0,
    "errmsg": "Authentication failed.",
    "code": 18,
    "codeName": "AuthenticationFailed",
}


def authentication_failed() -> OperationFailure:
    """The error PyMongo raises from a connection's handshake when the server refuses the password:
    built from the reply as ``pymongo.helpers_shared._check_command_response`` builds it."""
    reply = AUTHENTICATION_FAILED_REPLY
    return OperationFailure(reply["errmsg"], reply["code"], dict(reply), 21)


class _AsyncCollection:
    def __init__(self, collection: mongomock.Collection, client: AsyncMongomockClient) -> None:
        self._collection = collection
        self._client = client

    async def insert_one(self, document: dict[str, Any]) -> Any:
        await self._client.connection()
        return self._collection.insert_one(document)

    async def find_one(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        await self._client.connection()
        return self._collection.find_one(*args, **kwargs)

    def count_documents(self, query: dict[str, Any]) -> int:
        return self._collection.count_documents(query)


class _AsyncDatabase:
    def __init__(self, database: mongomock.Database, client: AsyncMongomockClient) -> None:
        self._database = database
        self._client = client

    def __getitem__(self, name: str) -> _AsyncCollection:
        return _AsyncCollection(self._database[name], self._client)

    async def command(self, name: str) -> dict[str, Any]:
        await self._client.connection()
        return self._database.command(name)


class AsyncMongomockClient:
    def __init__(self) -> None:
        self._client = mongomock.MongoClient()
        self.admin = _AsyncDatabase(self._client.admin, self)
        self.closed = False
        self._password_rotated = False

    def __getitem__(self, name: str) -> _AsyncDatabase:
        return _AsyncDatabase(self._client[name], self)

    def rotate_password(self) -> None:
        """From now on every operation fails as on a new connection whose password the server refuses."""
        self._password_rotated = True

    async def connection(self) -> None:
        """What each operation does before its command: yield to the loop, and authenticate."""
        await asyncio.sleep(0)
        if self._password_rotated:
            raise authentication_failed()

    def raw_collection(self, database: str, collection: str) -> mongomock.Collection:
        """The underlying synchronous collection, for tests that inspect stored documents."""
        return self._client[database][collection]

    async def close(self) -> None:
        self.closed = True


class RotatingCredentialsStore:
    """Wraps a store: while ``rotated()`` answers True, an operation fails with ``CredentialsRejected``
    (what the Mongo store raises once the database refuses its password); otherwise it passes through."""

    def __init__(self, inner: OrderStore, rotated: Callable[[], bool]) -> None:
        self._inner, self._rotated = inner, rotated

    def _check(self) -> None:
        if self._rotated():
            raise CredentialsRejected("the database rejected the credentials (test double)")

    async def put(self, record: OrderRecord) -> PutOutcome:
        self._check()
        return await self._inner.put(record)

    async def get(self, order_id: str) -> OrderRecord | None:
        self._check()
        return await self._inner.get(order_id)

    async def ping(self) -> None:
        self._check()
        await self._inner.ping()

    async def close(self) -> None:
        await self._inner.close()


class FailingClient:
    """A client whose every operation raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self._error = error
        self.admin = self

    def __getitem__(self, name: str) -> FailingClient:
        return self

    async def insert_one(self, document: dict) -> None:
        raise self._error

    async def find_one(self, *args: object, **kwargs: object) -> None:
        raise self._error

    async def command(self, name: str) -> None:
        raise self._error
