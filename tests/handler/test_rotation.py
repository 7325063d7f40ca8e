"""A password rotated under a running task: the request answers 503 + Retry-After (EventBridge retries
it), health turns 503, and the process drains and exits non-zero so that ECS starts a task that reads
the current secret. An ordinary store failure does none of that."""

from __future__ import annotations

import copy
import json
import socket
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from handler.app import create_app, exit_requested
from handler.rotation import EXIT_CREDENTIALS_REJECTED
from handler.settings import Settings
from handler.store.base import OrderStore
from handler.store.mongo import MongoOrderStore
from handler.store.sqlite import SqliteOrderStore
from tests.handler.client import put
from tests.handler.conftest import documented_client
from tests.handler.fakes import AsyncMongomockClient, RotatingCredentialsStore
from tests.handler.server_process import Server, read_response
from tests.samples import EVENT_BYTES as SAMPLE
from tests.samples import ORDER_ID

PASSWORD = "s3cret-never-logged"


@pytest.fixture(params=["mongo-fake", "rotating-wrapper"])
async def rotating(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[OrderStore, Callable[[], None]]]:
    """A store, and how to rotate its password away: the Mongo store over mongomock raising PyMongo's
    real AuthenticationFailed error, or any store wrapped to raise CredentialsRejected."""
    if request.param == "mongo-fake":
        client = AsyncMongomockClient()
        yield MongoOrderStore(client), client.rotate_password
        return
    rotated = False

    def rotate() -> None:
        nonlocal rotated
        rotated = True

    inner = await SqliteOrderStore(tmp_path / "orders.sqlite3").open()
    yield RotatingCredentialsStore(inner, lambda: rotated), rotate
    await inner.close()


def _with_order_id(event: dict) -> dict:
    changed = copy.deepcopy(event)
    changed["detail"]["order_id"] = str(uuid.uuid4())
    return changed


def _log_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


async def test_rejected_credentials_answer_503_turn_health_503_and_ask_the_process_to_exit(
    rotating: tuple[OrderStore, Callable[[], None]],
    sample_event: dict,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store, rotate_password = rotating
    settings = Settings(
        sqlite_path=str(tmp_path / "x"), mongodb_password=PASSWORD, metrics_interval_seconds=3600
    )
    app = create_app(settings, store=store)
    async with documented_client(app) as client:
        # Given a task that has stored an order and is healthy
        before = await put(client, sample_event)
        healthy = (await client.get("/healthz")).status_code
        asked_before = exit_requested(app)
        # When the password is rotated and the next events arrive
        rotate_password()
        failed = await put(client, _with_order_id(sample_event))
        failed_again = await put(client, _with_order_id(sample_event))
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
        schema = (await client.get("/schema/openapi.json")).json()

    # Then the order from before was stored, and the task was healthy then
    assert before.status_code == 201 and healthy == 200 and asked_before is None
    # And the events answer 503 + Retry-After, which EventBridge retries (nothing goes to the DLQ)
    for response in (failed, failed_again):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.json()["error"] == "store_unavailable"
    assert "rejected the credentials" in failed.json()["message"]
    # And liveness and readiness answer 503 from then on
    for response in (health, ready):
        assert response.status_code == 503
        assert response.json()["error"] == "stopping"
    assert {"200", "503"} <= set(schema["paths"]["/healthz"]["get"]["responses"])
    # And the process is asked to drain and exit non-zero, so that ECS replaces the task
    assert exit_requested(app) == EXIT_CREDENTIALS_REJECTED != 0
    # And one clear error line says so, without the password
    out = capsys.readouterr().out
    (line,) = [line for line in _log_lines(out) if line.get("event") == "store_credentials_rejected"]
    assert line["level"] == "error" and line["exit_code"] == EXIT_CREDENTIALS_REJECTED
    assert PASSWORD not in out


async def test_an_ordinary_store_failure_keeps_the_task_running(tmp_path: Path, sample_event: dict) -> None:
    # Given a store whose writes fail for a reason other than the credentials
    path = tmp_path / "orders.sqlite3"
    store = await SqliteOrderStore(path).open()
    with sqlite3.connect(path) as admin:
        admin.execute("CREATE TRIGGER fail BEFORE INSERT ON orders BEGIN SELECT RAISE(ABORT, 'full'); END")
    app = create_app(Settings(sqlite_path=str(path), metrics_interval_seconds=3600), store=store)
    async with documented_client(app) as client:
        # When an event arrives
        failed = await put(client, sample_event)
        health = await client.get("/healthz")
    await store.close()

    # Then it is a 503 to retry, but the task stays up: a database outage is not fixed by restarting
    assert failed.status_code == 503
    assert health.status_code == 200
    assert exit_requested(app) is None


def test_the_process_drains_and_exits_non_zero_after_a_rotation_keeping_what_it_stored(
    tmp_path: Path,
) -> None:
    path, flag = tmp_path / "orders.sqlite3", tmp_path / "rotate"
    other = json.loads(SAMPLE)
    other["detail"]["order_id"] = str(uuid.uuid4())
    in_flight = json.loads(SAMPLE)
    in_flight["detail"]["order_id"] = in_flight_id = str(uuid.uuid4())
    in_flight_body = json.dumps(in_flight).encode()

    # Given `python -m handler`'s main() on a store whose password can be rotated, with one order stored
    server = Server(
        path,
        module="tests.handler.rotating_server",
        ROTATE_CREDENTIALS_FLAG=str(flag),
        MONGODB_PASSWORD=PASSWORD,
    )
    try:
        stored, refused, finished = _rotate_during_a_request(server, flag, other, in_flight_body)
        code, out, err = server.stop_by_itself(timeout=15)
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.communicate()

    # Then the refused event got 503 + Retry-After, and the request in flight still completed
    assert stored.status_code == 201
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert finished.startswith(b"HTTP/1.1 201"), finished
    # And the process exited by itself, non-zero, after a graceful shutdown (not killed by a signal)
    assert code == EXIT_CREDENTIALS_REJECTED
    lines = _log_lines(out)
    events = [line.get("event") for line in lines]
    assert events.count("store_credentials_rejected") == 1
    assert "Application shutdown complete." in events
    assert any("StoreCredentialsRejected" in json.dumps(line.get("_aws", "")) for line in lines)
    assert PASSWORD not in out + err
    # And what it stored is there for the replacement task, which stores the retried event
    _replacement_has_what_was_stored(path, stored=(ORDER_ID, in_flight_id), retried=other)


def _rotate_during_a_request(
    server: Server, flag: Path, other: dict, in_flight_body: bytes
) -> tuple[httpx.Response, httpx.Response, bytes]:
    """Store one order; with a request in flight, rotate the password and send `other`; then finish the
    request in flight. Returns the three answers (the last as raw bytes)."""
    head, tail = in_flight_body[:100], in_flight_body[100:]
    stored = httpx.put(f"{server.url}/orders", content=SAMPLE)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        # And a request in flight: its headers and half its body sent
        conn.sendall(
            b"PUT /v1/orders HTTP/1.1\r\nHost: x\r\n"
            + f"Content-Length: {len(in_flight_body)}\r\n\r\n".encode()
            + head
        )
        time.sleep(0.2)
        # When the password is rotated, and the next event's connection is refused by the database
        flag.touch()
        refused = httpx.put(f"{server.url}/orders", content=json.dumps(other).encode())
        time.sleep(0.5)  # the server notices within 0.1 s and begins its graceful shutdown
        # And the request in flight then sends the rest of its body
        conn.sendall(tail)
        return stored, refused, read_response(conn)


def _replacement_has_what_was_stored(path: Path, stored: tuple[str, ...], retried: dict) -> None:
    replacement = Server(path)
    try:
        for order_id in stored:
            assert httpx.get(f"{replacement.url}/orders/{order_id}").status_code == 200
        retried_id = retried["detail"]["order_id"]
        assert httpx.get(f"{replacement.url}/orders/{retried_id}").status_code == 404
        assert httpx.put(f"{replacement.url}/orders", content=json.dumps(retried).encode()).status_code == 201
    finally:
        replacement.stop()
