"""An asyncio facade over mongomock with the slice of AsyncMongoClient's surface the Mongo store uses.

mongomock raises PyMongo's own error classes (DuplicateKeyError and so on), so the store's error
handling runs unchanged. Each call yields to the event loop first, so concurrent requests interleave
the way they do against a real server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import mongomock


class _AsyncCollection:
    def __init__(self, collection: mongomock.Collection) -> None:
        self._collection = collection

    async def insert_one(self, document: dict[str, Any]) -> Any:
        await asyncio.sleep(0)
        return self._collection.insert_one(document)

    async def find_one(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        await asyncio.sleep(0)
        return self._collection.find_one(*args, **kwargs)

    def count_documents(self, query: dict[str, Any]) -> int:
        return self._collection.count_documents(query)


class _AsyncDatabase:
    def __init__(self, database: mongomock.Database) -> None:
        self._database = database

    def __getitem__(self, name: str) -> _AsyncCollection:
        return _AsyncCollection(self._database[name])

    async def command(self, name: str) -> dict[str, Any]:
        await asyncio.sleep(0)
        return self._database.command(name)


class AsyncMongomockClient:
    def __init__(self) -> None:
        self._client = mongomock.MongoClient()
        self.admin = _AsyncDatabase(self._client.admin)
        self.closed = False

    def __getitem__(self, name: str) -> _AsyncDatabase:
        return _AsyncDatabase(self._client[name])

    def raw_collection(self, database: str, collection: str) -> mongomock.Collection:
        """The underlying synchronous collection, for tests that inspect stored documents."""
        return self._client[database][collection]

    async def close(self) -> None:
        self.closed = True
