"""Faults: an unreachable, failing or slow store answers 503 + Retry-After inside the deadline, and
too many requests in flight answer 429. EventBridge retries both; nothing is lost or half-written."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import time
from functools import partial
from pathlib import Path

from httpx import Response
from litestar import Litestar

from handler.app import create_app
from handler.settings import Settings
from handler.store.base import OrderRecord, PutOutcome
from handler.store.mongo import MongoOrderStore, client_options
from handler.store.sqlite import SqliteOrderStore
from tests.handler.client import put
from tests.handler.conftest import concurrent_client, documented_client
from tests.samples import ORDER_ID


async def _put_then_ask_ready(app: Litestar, event: dict) -> tuple[Response, float, Response]:
    """PUT ``event`` (timed), then GET /readyz."""
    async with documented_client(app) as client:
        started = time.monotonic()
        response = await put(client, event)
        elapsed = time.monotonic() - started
        return response, elapsed, await client.get("/readyz")


async def _connect(uri: str, **options: object) -> MongoOrderStore:
    return MongoOrderStore.connect(uri, **options)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again once the socket is


async def test_mongo_on_a_closed_port_answers_503_within_the_deadline(
    tmp_path: Path, sample_event: dict
) -> None:
    # Given the real driver pointed at a port nobody listens on, and the default 3 s deadline
    settings = Settings(sqlite_path=str(tmp_path / "x"), metrics_interval_seconds=3600)
    options = client_options(deadline_seconds=settings.store_deadline_seconds)
    uri = f"mongodb://127.0.0.1:{_closed_port()}/"
    app = create_app(settings, opener=partial(_connect, uri, **options))
    # When an event arrives and readiness is asked
    response, elapsed, ready = await _put_then_ask_ready(app, sample_event)
    # Then both say 503 with Retry-After, the PUT inside EventBridge's budget (4 s of its 5 s)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["error"] == "store_unavailable"
    assert elapsed < 4.0
    assert ready.status_code == 503


async def test_failing_sqlite_write_is_503_and_writes_nothing(tmp_path: Path, sample_event: dict) -> None:
    # Given a SQLite store whose inserts fail inside the database (a trigger aborts them)
    path = tmp_path / "orders.sqlite3"
    store = await SqliteOrderStore(path).open()
    with sqlite3.connect(path) as admin:
        admin.execute(
            "CREATE TRIGGER fail BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    settings = Settings(sqlite_path=str(path), metrics_interval_seconds=3600)
    async with documented_client(create_app(settings, store=store)) as client:
        # When the event arrives
        failed = await put(client, sample_event)
        # Then it is 503, and no row was written
        with sqlite3.connect(path) as reader:
            assert reader.execute("SELECT count(*) FROM orders").fetchone() == (0,)
        assert failed.status_code == 503
        assert "disk on fire" in failed.json()["message"]

        # And once the fault clears, EventBridge's retry stores it
        with sqlite3.connect(path) as admin:
            admin.execute("DROP TRIGGER fail")
        assert (await put(client, sample_event)).status_code == 201
    await store.close()


async def test_one_failing_record_does_not_sink_its_batch(tmp_path: Path) -> None:
    from tests.handler.records import record

    path = tmp_path / "orders.sqlite3"
    store = await SqliteOrderStore(path).open()
    poisoned = record(fingerprint="poison")
    with sqlite3.connect(path) as admin:
        admin.execute(
            "CREATE TRIGGER fail BEFORE INSERT ON orders WHEN NEW.fingerprint = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'bad row'); END"
        )
    healthy = [record() for _ in range(20)]

    results = await asyncio.gather(*(store.put(r) for r in [*healthy, poisoned]), return_exceptions=True)

    assert results[:-1] == [PutOutcome.CREATED] * 20
    assert isinstance(results[-1], Exception) and "bad row" in str(results[-1])
    assert await store.get(poisoned.order_id) is None
    await store.close()


class _SlowStore:
    """Wraps a store; every put waits on ``gate`` first."""

    def __init__(self, inner: SqliteOrderStore, gate: asyncio.Event) -> None:
        self._inner, self._gate = inner, gate

    async def put(self, record: OrderRecord) -> PutOutcome:
        await self._gate.wait()
        return await self._inner.put(record)

    async def get(self, order_id: str) -> OrderRecord | None:
        return await self._inner.get(order_id)

    async def ping(self) -> None:
        await self._gate.wait()

    async def close(self) -> None:
        await self._inner.close()


async def test_store_slower_than_the_deadline_is_503(tmp_path: Path, sample_event: dict) -> None:
    store = _SlowStore(await SqliteOrderStore(tmp_path / "o.sqlite3").open(), asyncio.Event())
    settings = Settings(store_deadline_seconds=0.3, retry_after_seconds=7, metrics_interval_seconds=3600)
    response, elapsed, ready = await _put_then_ask_ready(create_app(settings, store=store), sample_event)
    await store.close()

    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert "0.3 s" in response.json()["message"]
    assert 0.3 <= elapsed < 1.5
    assert ready.status_code == 503


async def test_requests_over_the_in_flight_limit_get_429(tmp_path: Path, sample_event: dict) -> None:
    # Given a store that holds every write until released, and room for 2 requests in flight
    gate = asyncio.Event()
    store = _SlowStore(await SqliteOrderStore(tmp_path / "o.sqlite3").open(), gate)
    settings = Settings(max_in_flight=2, store_deadline_seconds=3.0, metrics_interval_seconds=3600)
    other = sample_event | {
        "detail": sample_event["detail"] | {"order_id": "0c7f1d3e-0c67-4c3e-8d6a-1f9f0a3b2c11"}
    }
    async with concurrent_client(create_app(settings, store=store)) as client:
        # When two are held and a third arrives
        held = [asyncio.create_task(put(client, sample_event)), asyncio.create_task(put(client, other))]
        await asyncio.sleep(0.2)
        shed = await put(client, sample_event)
        gate.set()
        done = await asyncio.gather(*held)

    await store.close()
    # Then the third is shed with 429 and Retry-After, and the held two complete
    assert shed.status_code == 429
    assert shed.headers["retry-after"] == "5"
    assert shed.json()["error"] == "overloaded"
    assert sorted(r.status_code for r in done) == [201, 201]
    assert ORDER_ID in {r.json()["order_id"] for r in done}
