"""Faults on a real server: a failing insert (``failCommand`` fail points) and a server killed under load.
Every answer is 503 + Retry-After within the store deadline, never a 500; exactly-once holds across the
retries EventBridge makes; and the handler stores again, without a restart, once the server is back."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient

from devtools.mongo_server import MongoServer
from handler.app import create_app
from handler.settings import Settings
from handler.store.mongo import MongoOrderStore
from tests import samples
from tests.handler.conftest import concurrent_client
from tests.handler.real_mongo import Target, real_store, start_or_skip
from tests.handler.records import event_for

#: The fail points (mongod's ``failCommand``), each on the next insert only.
FAULTS = {
    # A command error: nothing was written.
    "write error": {"errorCode": 112},  # WriteConflict
    # The connection drops before the reply; with retryWrites=false (DocumentDB) the driver does not retry.
    "network error": {"closeConnection": True},
    # Applied, but the write concern was not confirmed: the retry must find it and say "replayed".
    "write concern error": {"writeConcernError": {"code": 64, "errmsg": "waiting for replication timed out"}},
}


@pytest.fixture
def ours(real_mongo: Target) -> Target:
    if real_mongo.server is None or not real_mongo.server.test_commands:
        pytest.skip("MONGODB_URI names another server: fail points need the suite's own (test commands on)")
    return real_mongo


@pytest.fixture
def fail_next_insert(ours: Target) -> Iterator[Any]:
    """Arms a fail point for clients named ``app_name`` only, so other tests on the server never see it."""
    admin = MongoClient(ours.uri, **ours.options(appname="fault-injector"))

    def arm(app_name: str, fault: dict[str, Any]) -> None:
        data = {"failCommands": ["insert"], "appName": app_name, **fault}
        admin.admin.command({"configureFailPoint": "failCommand", "mode": {"times": 1}, "data": data})

    yield arm
    admin.admin.command({"configureFailPoint": "failCommand", "mode": "off"})
    admin.close()


def _settings(tmp_path: Path, deadline: float = 3.0) -> Settings:
    return Settings(
        sqlite_path=str(tmp_path / "unused"), metrics_interval_seconds=3600, store_deadline_seconds=deadline
    )


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_failing_insert_is_503_and_the_retry_stores_it_once(
    ours: Target, fail_next_insert: Any, tmp_path: Path, fault: str
) -> None:
    app_name = f"faulty-{uuid.uuid4().hex[:8]}"
    database = f"orders_test_{uuid.uuid4().hex[:12]}"

    async def opener() -> MongoOrderStore:
        return MongoOrderStore.connect(ours.uri, database=database, **ours.options(appname=app_name))

    event = event_for(samples.order() | {"order_id": str(uuid.uuid4())})
    async with concurrent_client(create_app(_settings(tmp_path), opener=opener)) as client:
        # Given a handler whose next insert fails on the server
        fail_next_insert(app_name, FAULTS[fault])
        # When the event arrives, and EventBridge retries it
        failed = await client.put("/orders", json=event)
        retried = await client.put("/orders", json=event)
        stored = await client.get(f"/orders/{event['detail']['order_id']}")

    # Then the first answer is 503 + Retry-After, and the retry stores it (or finds it stored), once
    assert failed.status_code == 503 and failed.headers["retry-after"] == "5"
    assert failed.json()["error"] == "store_unavailable"
    applied_anyway = fault == "write concern error"
    assert retried.status_code == (200 if applied_anyway else 201)
    assert stored.status_code == 200
    with MongoClient(ours.uri, **ours.options()) as check:
        assert check[database]["orders"].count_documents({}) == 1


#: The store deadline while the server is killed: shorter than the default 3 s, to keep the test short.
DEADLINE = 1.5
#: What a 503 may take beyond the deadline: the gate's own work and the test client's.
SLACK = 0.5


async def test_a_server_killed_under_load_is_503_within_the_deadline_then_stores_again(
    tmp_path: Path,
) -> None:
    # A server of its own, killed then started again on the same port and storage; it syncs each commit,
    # as DocumentDB's storage makes an acknowledged write durable, so a kill loses nothing acknowledged.
    server = start_or_skip(sync_on_commit=True)
    answers: list[tuple[int, str | None, float, str]] = []  # status, Retry-After, seconds, order id
    steps: list[str] = []  # what the test was doing, should it hang
    try:
        async with asyncio.timeout(120):
            killed_at, down, ready, reads = await _kill_under_load(server, tmp_path, answers, steps)
    except TimeoutError:
        pytest.fail(f"hung at: {steps[-1]}")
    finally:
        server.close()

    statuses = {a[0] for a in answers}
    # Then no answer was anything but 201 or 503 (never a 500), and the outage was felt
    assert statuses <= {201, 503}, statuses
    failures = [a for a in answers if a[0] == 503]
    assert failures and killed_at > 0, "the kill happened under load"
    # And each 503 came with Retry-After, within the store deadline
    assert all(a[1] == "5" for a in failures)
    assert max(a[2] for a in failures) < DEADLINE + SLACK, max(a[2] for a in failures)
    # And readiness said so while it was down, and recovered with the server, without a restart
    assert (down.status_code, ready.status_code) == (503, 200)
    assert set(reads) == {200}, f"{reads.count(404)} acknowledged orders lost"


async def _kill_under_load(
    server: MongoServer, tmp_path: Path, answers: list, steps: list[str]
) -> tuple[int, Any, Any, list[int]]:
    target = Target(server.uri)
    app = create_app(_settings(tmp_path, DEADLINE), opener=lambda: _connected(target, DEADLINE))
    steps.append("starting the app")
    async with concurrent_client(app) as client:
        # Given 8 producers sending new orders continuously
        stop = asyncio.Event()
        producers = [asyncio.create_task(_produce(client, answers, stop)) for _ in range(8)]
        await asyncio.sleep(1.0)
        # When the server is killed mid-load, stays down 2 s, and comes back
        killed_at = len(answers)
        steps.append("killing the server")
        await asyncio.to_thread(server.kill)
        await asyncio.sleep(2.0)
        steps.append("asking readiness while it is down")
        down = await client.get("/readyz")
        steps.append("starting the server again")
        await asyncio.to_thread(server.start)
        back_at = len(answers)
        steps.append("waiting for 201s")
        await _until(lambda: sum(a[0] == 201 for a in answers[back_at:]) >= 16, seconds=20)
        stop.set()
        steps.append("stopping the producers")
        await asyncio.gather(*producers)
        steps.append("asking readiness after")
        ready = await client.get("/readyz")
        # Then every order acknowledged with 201 reads back
        steps.append("reading back")
        acknowledged = [a[3] for a in answers if a[0] == 201]
        reads = [(await client.get(f"/orders/{order_id}")).status_code for order_id in acknowledged]
        steps.append("stopping the app")
    return killed_at, down, ready, reads


async def _connected(target: Target, deadline: float) -> MongoOrderStore:
    return real_store(target, deadline)


async def _produce(client: Any, answers: list, stop: asyncio.Event) -> None:
    while not stop.is_set():
        order_id = str(uuid.uuid4())
        started = time.monotonic()
        response = await client.put("/orders", json=event_for(samples.order() | {"order_id": order_id}))
        answers.append(
            (response.status_code, response.headers.get("retry-after"), time.monotonic() - started, order_id)
        )
        await asyncio.sleep(0.01)


async def _until(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the handler did not store again within the time allowed"
        await asyncio.sleep(0.05)
