"""Store fixtures (every store the contract runs against), and app clients that check every response
against the OpenAPI document (documented.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from handler import contract
from handler.app import StoreOpener, create_app
from handler.settings import Settings
from handler.store.base import OrderStore
from handler.store.mongo import MongoOrderStore
from handler.store.sqlite import SqliteOrderStore
from tests.handler.documented import Contract, async_hook
from tests.handler.fakes import AsyncMongomockClient
from tests.handler.real_mongo import real_mongo, real_store

__all__ = ["real_mongo"]  # a session fixture, for every test here

#: The stores the contract runs against: "mongo-real" is the production store and driver on a real
#: server (real_mongo.py: the session starts one).
STORES = ["sqlite", "mongo-fake", "mongo-real"]


@pytest.fixture(params=STORES)
def store_opener(request: pytest.FixtureRequest, tmp_path: Path) -> StoreOpener:
    """Opens a store of each kind; called on the loop that will use it (and close it)."""
    kind = request.param
    target = request.getfixturevalue("real_mongo") if kind == "mongo-real" else None

    async def opener() -> OrderStore:
        if kind == "sqlite":
            return await SqliteOrderStore(tmp_path / "orders.sqlite3").open()
        if kind == "mongo-fake":
            return MongoOrderStore(AsyncMongomockClient())
        return real_store(target)  # a database of its own per test

    return opener


@pytest.fixture
async def store(store_opener: StoreOpener) -> AsyncIterator[OrderStore]:
    """An open store, on the test's own event loop."""
    opened = await store_opener()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(sqlite_path=str(tmp_path / "unused.sqlite3"), metrics_interval_seconds=3600)


def documented_client(app: ASGIApp, stage: str = contract.API_STAGE) -> AsyncTestClient:
    """A test client on ``app`` (use it with ``async with``) that checks every response against the
    OpenAPI document (``stage`` is the app's API stage)."""
    test_client = AsyncTestClient(app=app)
    test_client.event_hooks = {"request": [], "response": [async_hook(Contract(stage))]}
    return test_client


@pytest.fixture
async def client(settings: Settings, store_opener: StoreOpener) -> AsyncIterator[AsyncTestClient]:
    """A client on the app, which opens and closes its store itself, on the loop that serves it (the
    test client's own, in another thread)."""
    app = create_app(settings, opener=store_opener)
    async with documented_client(app, settings.api_stage) as test_client:
        yield test_client


@asynccontextmanager
async def concurrent_client(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests really overlap, on the test's own event loop.

    AsyncTestClient hands each request to a blocking portal and so runs them one after another; tests
    about concurrency (duplicates racing, the in-flight limit) need them interleaved.
    """
    # Requests go to ``app`` itself, not to ``manager.app``: asgi-lifespan's wrapper puts one shared
    # ``state`` dict in every request scope (servers give each request a copy), and Litestar caches
    # each request's body in that dict, so concurrent requests would read each other's bodies.
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app)
        hooks = {"response": [async_hook(Contract())]}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", event_hooks=hooks
        ) as client:
            yield client
