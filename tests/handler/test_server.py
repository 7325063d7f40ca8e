"""``python -m handler`` as a real process over real HTTP: serve, dedupe under load, log, drain on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.handler.server_process import Server, read_response
from tests.samples import EVENT_BYTES as SAMPLE
from tests.samples import ORDER_ID, ROOT


def _shut_down_gracefully(code: int, out: str) -> bool:
    # uvicorn finishes its shutdown, then re-raises the SIGTERM it caught, so the exit status says
    # "terminated by SIGTERM" (143 in a shell, as ECS reports it) after a clean drain.
    events = [json.loads(line).get("event") for line in out.splitlines() if line.startswith("{")]
    return code == -signal.SIGTERM and "Application shutdown complete." in events


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "orders.sqlite3", MONGODB_PASSWORD="never-logged-secret")
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()


def test_serves_the_contract_over_http_and_logs_json(server: Server) -> None:
    created = httpx.put(f"{server.url}/orders", content=SAMPLE, headers={"content-type": "application/json"})
    again = httpx.put(f"{server.url}/orders", content=SAMPLE)
    stored = httpx.get(f"{server.url}/orders/{ORDER_ID}")
    ready = httpx.get(f"{server.url}/readyz")
    code, out, err = server.stop()

    assert (created.status_code, again.status_code, stored.status_code, ready.status_code) == (
        201,
        200,
        200,
        200,
    )
    assert created.headers["location"] == f"/orders/{ORDER_ID}"
    assert stored.json()["order"]["items"][0]["price"] == "9.99"
    assert _shut_down_gracefully(code, out)
    # One JSON line per request outcome, with the event id, order id, status and latency; no secrets.
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    outcomes = [line for line in lines if line.get("event") == "put_order"]
    assert [o["status"] for o in outcomes] == [201, 200]
    assert {o["order_id"] for o in outcomes} == {ORDER_ID}
    assert all(o["event_id"] and o["latency_ms"] >= 0 for o in outcomes)
    assert any("_aws" in line for line in lines), "the EMF metrics line is flushed at shutdown"
    assert "never-logged-secret" not in out + err


@pytest.mark.parametrize(("env", "stage"), [({}, "v1"), ({"HANDLER_API_STAGE": "prod"}, "prod")])
def test_serves_orders_under_the_api_stage_and_at_the_root(
    tmp_path: Path, env: dict[str, str], stage: str
) -> None:
    # Given the real process, with the stage unset (the default) or set by its variable
    server = Server(tmp_path / "orders.sqlite3", **env)
    try:
        # When an event arrives with the stage in the path, as API Gateway's private integration sends
        # it, then again at the root; and the order is read back both ways
        staged = httpx.put(f"{server.url}/{stage}/orders", content=SAMPLE)
        root = httpx.put(f"{server.url}/orders", content=SAMPLE)
        read_staged = httpx.get(f"{server.url}/{stage}/orders/{ORDER_ID}")
        read_root = httpx.get(f"{server.url}/orders/{ORDER_ID}")
    finally:
        server.stop()

    # Then both shapes are served, and Location stays at the root
    assert (staged.status_code, root.status_code) == (201, 200)
    assert (read_staged.status_code, read_root.status_code) == (200, 200)
    assert staged.headers["location"] == f"/orders/{ORDER_ID}"


def test_fifty_concurrent_duplicates_over_real_http(server: Server) -> None:
    event = json.loads(SAMPLE)
    event["detail"]["order_id"] = order_id = str(uuid.uuid4())
    body = json.dumps(event).encode()

    async def fire() -> list[int]:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
            responses = await asyncio.gather(*(client.put("/orders", content=body) for _ in range(50)))
        return [r.status_code for r in responses]

    statuses = asyncio.run(fire())

    assert statuses.count(201) == 1 and statuses.count(200) == 49
    assert httpx.get(f"{server.url}/orders/{order_id}").status_code == 200


def test_sigterm_drains_a_request_in_flight(server: Server) -> None:
    # Given a request whose body is only half sent
    head, tail = SAMPLE[: len(SAMPLE) // 2], SAMPLE[len(SAMPLE) // 2 :]
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(
            b"PUT /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(SAMPLE)}\r\n\r\n".encode()
            + head
        )
        time.sleep(0.3)
        # When SIGTERM arrives, and then the rest of the body
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        conn.sendall(tail)
        response = conn.recv(65536).decode()
    code, out, _ = server.stop()

    # Then the request completes with 201, and the process exits cleanly afterwards
    assert response.startswith("HTTP/1.1 201"), response
    assert _shut_down_gracefully(code, out)


def test_an_idle_keep_alive_connection_stays_open_past_uvicorns_default(server: Server) -> None:
    # Given a keep-alive connection that has served one request
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(request)
        first = read_response(conn)
        # When it stays idle longer than uvicorn's default keep-alive (5 s), as ALB connections do
        time.sleep(6)
        conn.sendall(request)
        second = read_response(conn)

    # Then the same connection serves the second request (the ALB keeps its side for 60 s)
    assert first.startswith(b"HTTP/1.1 200"), first
    assert second.startswith(b"HTTP/1.1 200"), second


def test_orders_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "orders.sqlite3"
    first = Server(path)
    assert httpx.put(f"{first.url}/orders", content=SAMPLE).status_code == 201
    first.process.kill()  # no graceful shutdown: a 201 must already be on disk
    first.process.communicate()

    second = Server(path)
    try:
        assert httpx.get(f"{second.url}/orders/{ORDER_ID}").status_code == 200
        assert httpx.put(f"{second.url}/orders", content=SAMPLE).status_code == 200
    finally:
        second.stop()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HANDLER_PORT", "eighty"),
        ("HANDLER_STORE_DEADLINE_SECONDS", "9"),
        ("HANDLER_KEEP_ALIVE_SECONDS", "10"),
        ("HANDLER_API_STAGE", "v1/orders"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_clear_line(variable: str, value: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDLER_")} | {variable: value}
    done = subprocess.run(
        [sys.executable, "-m", "handler"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )

    assert done.returncode == 2
    assert variable in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
