"""Property-based: whatever arrives at PUT /orders, the answer is never a 5xx (the store is healthy here,
so not even a deliberate 503), and never a 500."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from handler.app import create_app
from handler.settings import Settings
from handler.store.mongo import MongoOrderStore
from tests import samples
from tests.handler.documented import Contract, sync_hook
from tests.handler.fakes import AsyncMongomockClient

SAMPLE = samples.event()
ANSWERS = {200, 201, 400, 409, 413}


def _json(
    keys: st.SearchStrategy[str], integers: st.SearchStrategy[int], *, valid: bool
) -> st.SearchStrategy[Any]:
    # json.dumps writes infinities as ``Infinity``, which is not JSON: only the invalid space gets them.
    floats = st.floats(allow_nan=False, allow_infinity=not valid)
    scalars = st.none() | st.booleans() | integers | floats | st.text(max_size=20)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
        max_leaves=10,
    )


json_values = _json(st.text(max_size=8), st.integers(), valid=False)
# What a well-behaved producer may add: storable field names and 64-bit integers.
storable_json_values = _json(
    st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.integers(-(2**63), 2**63 - 1), valid=True
)


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


PATHS = [path for path in _paths(SAMPLE) if path]


@pytest.fixture(scope="module", params=["sqlite", "mongo-fake"])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("props")
    settings = Settings(sqlite_path=str(folder / "orders.sqlite3"), metrics_interval_seconds=3600)
    # The store is opened by the app's own lifespan (SQLite) or handed in (the Mongo fake).
    store = MongoOrderStore(AsyncMongomockClient()) if request.param == "mongo-fake" else None
    with TestClient(app=create_app(settings, store=store)) as test_client:
        # Every answer, whatever the body, is also checked against the OpenAPI document.
        test_client.event_hooks = {"request": [], "response": [sync_hook(Contract())]}
        yield test_client


def _answer(client: TestClient, body: bytes) -> int:
    response = client.put("/orders", content=body)
    assert response.status_code in ANSWERS, (response.status_code, response.text, body[:300])
    if response.status_code >= 400:
        assert response.json()["message"]  # every refusal says why
    return response.status_code


common = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@common
@given(body=st.binary(max_size=600))
def test_arbitrary_bytes(client: TestClient, body: bytes) -> None:
    _answer(client, body)


@common
@given(value=json_values)
def test_arbitrary_json(client: TestClient, value: Any) -> None:
    _answer(client, json.dumps(value).encode())


@common
@given(data=st.data())
def test_mutated_sample_events(client: TestClient, data: st.DataObject) -> None:
    event = copy.deepcopy(SAMPLE)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(PATHS))
        try:
            *parents, last = path
            node: Any = event
            for key in parents:
                node = node[key]
            action = data.draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[last] = data.draw(json_values)
            elif action == "delete":
                del node[last]
            elif isinstance(node, dict):
                node[data.draw(st.text(max_size=10))] = data.draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this path
    _answer(client, json.dumps(event).encode())


@common
@given(
    order_id=st.uuids(),
    quantity=st.integers(1, 1_000_000),
    price=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    extra=st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), storable_json_values, max_size=3
    ),
)
def test_valid_orders_store_and_read_back(
    client: TestClient, order_id: Any, quantity: int, price: Any, extra: dict
) -> None:
    event = copy.deepcopy(SAMPLE)
    detail = event["detail"]
    detail.update({k: v for k, v in extra.items() if k not in detail})
    detail["order_id"] = str(order_id)
    detail["items"][0].update(quantity=quantity, price=str(price))

    first = _answer(client, json.dumps(event).encode())
    again = _answer(client, json.dumps(event).encode())

    assert first in {201, 200, 409} and again in {200, 409}
    if first == 201:
        stored = client.get(f"/orders/{order_id}").json()
        assert stored["order"] == detail
