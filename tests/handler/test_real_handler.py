"""``python -m handler`` over real HTTP on a real MongoDB-compatible server (real_mongo.py), configured as
the ECS task configures it: ``MONGODB_URI`` (TLS, ``retryWrites=false``), ``MONGODB_USERNAME``,
``MONGODB_PASSWORD`` and the CA file in ``MONGODB_TLS_CA_FILE``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from handler import contract
from tests import samples
from tests.handler.real_mongo import Target
from tests.handler.records import event_for
from tests.handler.server_process import Server
from tests.samples import EVENT_BYTES, ORDER_ID


@pytest.fixture
def handler(real_mongo: Target, tmp_path: Path) -> Iterator[Server]:
    database = f"orders_e2e_{uuid.uuid4().hex[:12]}"
    running = Server(tmp_path / "unused.sqlite3", **real_mongo.env(), MONGODB_DATABASE=database)
    try:
        yield running
    finally:
        running.stop()


def test_the_handler_serves_the_contract_on_the_real_store(handler: Server, real_mongo: Target) -> None:
    url = f"{handler.url}{contract.ORDERS_PATH}"
    # Given the sample order, and the same order id with other content
    changed = samples.order() | {"customer_id": "someone-else"}
    # When it is PUT, redelivered, PUT with other content, read back; and an oversized body arrives
    created = httpx.put(url, content=EVENT_BYTES)
    replayed = httpx.put(url, content=EVENT_BYTES)
    conflicting = httpx.put(url, content=json.dumps(event_for(changed)).encode())
    too_large = httpx.put(url, content=b"x" * (contract.MAX_EVENT_BYTES + 1))
    stored = httpx.get(f"{url}/{ORDER_ID}")
    missing = httpx.get(f"{url}/{uuid.uuid4()}")
    ready = httpx.get(f"{handler.url}{contract.READY_PATH}")
    _, out, err = handler.stop()

    # Then each answers as the contract says, from the real store
    statuses = [r.status_code for r in (created, replayed, conflicting, too_large, stored, missing, ready)]
    assert statuses == [201, 200, 409, 413, 200, 404, 200]
    assert created.headers["location"] == f"{contract.ORDERS_PATH}/{ORDER_ID}"
    assert conflicting.json()["error"] == "order_conflict"
    # And the order reads back as sent: the price exact (Decimal128), the first content kept
    order = stored.json()["order"]
    assert order == samples.order()
    assert order["items"][0]["price"] == "9.99"
    # And nothing the task was given leaks into its output
    assert real_mongo.password is None or real_mongo.password not in out + err
