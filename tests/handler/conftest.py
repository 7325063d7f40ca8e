"""Store fixtures (every store the contract runs against), and app clients that check every response
against the OpenAPI document (documented.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp

from handler import contract
from handler.app import create_app
from handler.settings import Settings
from handler.store.base import OrderStore
from handler.store.mongo import MongoOrderStore, client_options
from handler.store.sqlite import SqliteOrderStore
from tests.handler.documented import Contract, async_hook
from tests.handler.fakes import AsyncMongomockClient

STORES = [
    "sqlite",
    "mongo-fake",
    pytest.param(
        "mongo-real",
        marks=pytest.mark.skipif(
            not os.environ.get("MONGODB_URI"),
            reason="MONGODB_URI is not set: no MongoDB server here; the fake covers the Mongo store",
        ),
    ),
]


async def open_store(kind: str, tmp_path: Path) -> OrderStore:
    if kind == "sqlite":
        return await SqliteOrderStore(tmp_path / "orders.sqlite3").open()
    if kind == "mongo-fake":
        return MongoOrderStore(AsyncMongomockClient())
    # A real server: a database of its own per test, so runs never see each other's orders.
    options = client_options(deadline_seconds=3.0)
    options.pop("w")  # a standalone test server has no majority to wait for
    return MongoOrderStore.connect(
        os.environ["MONGODB_URI"], database=f"orders_test_{uuid.uuid4().hex[:12]}", **options
    )


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[OrderStore]:
    opened = await open_store(request.param, tmp_path)
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
async def client(settings: Settings, store: OrderStore) -> AsyncIterator[AsyncTestClient]:
    async with documented_client(create_app(settings, store=store), settings.api_stage) as test_client:
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
