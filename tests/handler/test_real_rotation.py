"""A password rotated under running handlers, on a real server: the app user's password is changed with
``updateUser`` and the server restarted, so that every connection must log in again (as after a rotation
every new connection must). Whichever way the driver monitors the server (``serverMonitoringMode``:
DocumentDB's is not documented), every PUT answers 503 + Retry-After fast, health turns 503, the process
exits 75, and a task started with the new password stores the retried order and finds the old ones."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from devtools.mongo_server import MongoServer
from handler.app import StoreOpener, create_app, exit_requested
from handler.rotation import EXIT_CREDENTIALS_REJECTED
from handler.settings import Settings
from handler.store.mongo import MongoOrderStore
from tests import samples
from tests.handler.conftest import concurrent_client
from tests.handler.real_mongo import Target, start_or_skip, with_options
from tests.handler.records import event_for
from tests.handler.server_process import Server

MODES = ("stream", "poll")
ADMIN, ADMIN_PASSWORD = "admin", "admin-password"
APP, OLD, NEW = "orders-app", "before-rotation", "after-rotation"
#: How soon a PUT must answer 503 after the rotation: fast, not after the 3 s store deadline.
FAST = 1.5


class Rotating:
    """A server of this test's own, with an admin and the app user, whose password it can rotate."""

    def __init__(self, server: MongoServer) -> None:
        self.server = server

    def target(self, mode: str, password: str = OLD) -> Target:
        return Target(with_options(self.server.uri, f"serverMonitoringMode={mode}"), APP, password)

    def rotate(self) -> None:
        """Change the app user's password, then restart so that every connection logs in again."""
        with MongoClient(self.server.uri, username=ADMIN, password=ADMIN_PASSWORD) as admin:
            admin.admin.command("updateUser", APP, pwd=NEW)
        self.server.restart()


@pytest.fixture
def rotating() -> Iterator[Rotating]:
    server = start_or_skip(auth=True, users={ADMIN: ADMIN_PASSWORD, APP: OLD})
    try:
        yield Rotating(server)
    finally:
        server.close()


def _order_event() -> dict:
    return event_for(samples.order() | {"order_id": str(uuid.uuid4())})


async def test_every_put_answers_503_fast_and_health_turns_503_in_both_monitoring_modes(
    rotating: Rotating, tmp_path: Path
) -> None:
    settings = Settings(sqlite_path=str(tmp_path / "unused"), metrics_interval_seconds=3600)
    apps = {mode: create_app(settings, opener=_opener(rotating.target(mode))) for mode in MODES}
    async with concurrent_client(apps["stream"]) as stream, concurrent_client(apps["poll"]) as poll:
        clients = {"stream": stream, "poll": poll}
        # Given a handler per monitoring mode, each having stored an order on the real server
        before = [(await c.put("/orders", json=_order_event())).status_code for c in clients.values()]
        # When the password is rotated and the server restarted
        await asyncio.to_thread(rotating.rotate)
        # Then every PUT on either answers 503 + Retry-After, each well inside the store deadline
        for mode, client in clients.items():
            for _ in range(4):
                started = time.monotonic()
                response = await client.put("/orders", json=_order_event())
                elapsed = time.monotonic() - started
                assert response.status_code == 503, (mode, response.text)
                assert response.headers["retry-after"] == "5"
                assert elapsed < FAST, (mode, elapsed)
            # And health and readiness answer 503, and the process is asked to exit 75
            health, ready = await client.get("/healthz"), await client.get("/readyz")
            assert (health.status_code, ready.status_code) == (503, 503), mode
            assert health.json()["error"] == "stopping"
            assert exit_requested(apps[mode]) == EXIT_CREDENTIALS_REJECTED
    assert before == [201, 201]


def _opener(target: Target) -> StoreOpener:
    async def opener() -> MongoOrderStore:
        return MongoOrderStore.connect(target.uri, database="orders", **target.options())

    return opener


def test_the_processes_exit_75_and_a_task_with_the_new_password_stores_the_retried_order(
    rotating: Rotating, tmp_path: Path
) -> None:
    kept = {mode: _order_event() for mode in MODES}
    retried = _order_event()
    # Given `python -m handler` per monitoring mode, on one database, as the task runs it
    handlers = {mode: _handler(rotating.target(mode), tmp_path) for mode in MODES}
    try:
        stored = [_put(handlers[mode], kept[mode]).status_code for mode in MODES]
        # When the password is rotated and the server restarted, and the next event arrives at each
        rotating.rotate()
        with ThreadPoolExecutor(len(MODES)) as pool:
            ends = dict(
                zip(MODES, pool.map(lambda m: _refused_then_exit(handlers[m], retried), MODES), strict=True)
            )
    finally:
        for running in handlers.values():
            if running.process.poll() is None:
                running.process.kill()
                running.process.communicate()

    assert stored == [201, 201]
    for mode, end in ends.items():
        # Then every answer was 503 + Retry-After, fast; and the process exited 75, by itself
        assert end.answers and all(a == (503, "5") for a, _ in end.answers), (mode, end.answers)
        assert max(elapsed for _, elapsed in end.answers) < FAST, (mode, end.answers)
        assert end.code == EXIT_CREDENTIALS_REJECTED, (mode, end.output[-2000:])
        assert OLD not in end.output
        print(f"rotation[{mode}]: 503 after {end.to_503:.2f} s, exit 75 {end.to_exit:.2f} s after that")
    # And a task started with the new password stores the retried order, and finds the ones from before
    replacement = _handler(rotating.target("auto", password=NEW), tmp_path)
    try:
        assert _put(replacement, retried).status_code == 201
        for event in [*kept.values(), retried]:
            assert httpx.get(f"{replacement.url}/orders/{event['detail']['order_id']}").status_code == 200
    finally:
        replacement.stop()


def _handler(target: Target, tmp_path: Path) -> Server:
    return Server(tmp_path / "unused.sqlite3", **target.env(), MONGODB_DATABASE="orders")


def _put(handler: Server, event: dict) -> httpx.Response:
    return httpx.put(f"{handler.url}/orders", content=json.dumps(event).encode(), timeout=10)


@dataclass
class _End:
    answers: list[tuple[tuple[int, str | None], float]]  # (status, Retry-After), seconds
    to_503: float  # from the first PUT after the rotation to its 503 answer
    to_exit: float  # from that answer to the process's exit
    code: int
    output: str


def _refused_then_exit(handler: Server, event: dict) -> _End:
    """PUT ``event`` until the process stops accepting connections, then wait for it to exit."""
    answers, began, answered = [], time.monotonic(), None
    for _ in range(20):
        started = time.monotonic()
        try:
            response = _put(handler, event)
        except httpx.TransportError:
            break
        now = time.monotonic()
        answers.append(((response.status_code, response.headers.get("retry-after")), now - started))
        answered = answered or (now if response.status_code == 503 else None)
        time.sleep(0.05)
    code, out, err = handler.stop_by_itself(timeout=30)
    exited = time.monotonic()
    answered = answered or exited
    return _End(answers, answered - began, exited - answered, code, out + err)
