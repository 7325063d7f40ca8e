"""The request schema and the service agree (hypothesis): a body the documented schema refuses, the service
refuses too; and a body the schema admits but the service refuses breaks only a rule the schema says, in
its descriptions, that JSON Schema cannot state (depth, 64-bit integers). Numbers included: JSON Schema
counts 1.0 and 1e0 as integers, and so does the service.

The schema is read as an outside tester reads it: JSON Schema 2020-12, formats asserted, patterns as
ECMA-262 reads them (documented.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from handler import contract, storable
from handler.app import create_app
from handler.settings import Settings
from tests import samples
from tests.handler.documented import Contract, sync_hook
from tests.handler.strategies import (
    names,
    nested,
    scalars,
    values,
    with_typed_fields,
)

CONTRACT = Contract()
SCHEMA = CONTRACT.validator("/components/schemas/OrderEvent")
#: The service's messages for the rules the schema states only in words (see storable.UNSTATED_*).
UNSTATED = ("Nested more than", "Integer out of the 64-bit range")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("agree")
    app = create_app(Settings(sqlite_path=str(folder / "o.sqlite3"), metrics_interval_seconds=3600))
    with TestClient(app=app) as test_client:
        test_client.event_hooks = {"request": [], "response": [sync_hook(CONTRACT)]}
        yield test_client


def _agree(client: TestClient, event: Any, body: bytes | None = None) -> None:
    """The schema and the service agree on ``event`` (sent as ``body`` if given: JSON it parses to)."""
    admitted = SCHEMA.is_valid(event)
    response = client.put(contract.ORDERS_PATH, content=body or json.dumps(event).encode())
    accepted = response.status_code in (200, 201, 409)  # 409: decoded, then met a stored order
    first_error = None if admitted else next(iter(SCHEMA.iter_errors(event))).message
    assert admitted or not accepted, f"the service accepted what the schema refuses: {first_error}"
    if admitted and not accepted:
        assert response.status_code == 400, response.text
        message = response.json()["message"]
        assert message.startswith(UNSTATED), f"a rule the schema could state, and does not: {message}"


common = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@common
@given(data=st.data())
def test_unknown_fields_anywhere_under_detail(client: TestClient, data: st.DataObject) -> None:
    event = samples.event()
    event["detail"]["order_id"] = str(uuid.uuid4())
    target = data.draw(
        st.sampled_from([event["detail"], event["detail"]["items"][0], event["detail"]["customer"]])
    )
    target.update(data.draw(st.dictionaries(names, values, min_size=1, max_size=3)))
    _agree(client, event)


@common
@given(depth=st.integers(storable.MAX_DEPTH - 3, storable.MAX_DEPTH + 3), leaf=scalars)
def test_nesting_around_the_depth_limit(client: TestClient, depth: int, leaf: Any) -> None:
    event = samples.event()
    event["detail"]["order_id"] = str(uuid.uuid4())
    event["detail"]["deep"] = nested(depth, leaf)
    _agree(client, event)


@common
@given(data=st.data(), order_id=st.uuids(), product_id=st.uuids())
def test_typed_fields_in_and_out_of_their_rules(
    client: TestClient, data: st.DataObject, order_id: uuid.UUID, product_id: uuid.UUID
) -> None:
    _agree(client, with_typed_fields(data, samples.event(), order_id, product_id))


#: Number literals json.dumps never writes: an exponent, trailing zeros, a capital E, a sign.
literals = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["", "-"]),
    st.integers(0, 2_000_000).map(str),
    st.sampled_from(["", ".0", ".00", ".5", ".25"]),
    st.sampled_from(["", "e0", "E0", "e1", "e+2", "e-1", "E-2", "e6", "e20"]),
)


@common
@given(literal=literals)
def test_quantity_number_literals(client: TestClient, literal: str) -> None:
    # Given a quantity written as JSON allows (1e0, 2.00, 5E-1, ...), read as the schema reads it
    event = samples.event()
    event["detail"]["order_id"] = str(uuid.uuid4())
    event["detail"]["items"][0]["quantity"] = "QUANTITY"
    body = json.dumps(event).replace('"QUANTITY"', literal).encode()
    # Then the service admits exactly the literals the schema does (whole numbers in range)
    _agree(client, json.loads(body), body)


def test_a_whole_number_float_quantity_is_stored_as_its_integer(client: TestClient) -> None:
    # Given the same order twice: its quantity written 1, then 1.0 (it went through a float)
    event = samples.event()
    event["detail"]["order_id"] = order_id = str(uuid.uuid4())
    as_int = json.dumps(event).encode()
    as_float = as_int.replace(b'"quantity": 1,', b'"quantity": 1.0,')
    assert as_float != as_int
    # When both arrive, and the order is read back
    first, second = (
        client.put(contract.ORDERS_PATH, content=as_int),
        client.put(contract.ORDERS_PATH, content=as_float),
    )
    stored = client.get(f"{contract.ORDERS_PATH}/{order_id}").json()
    # Then the second is the same order (a replay, not a conflict), and the quantity reads back an integer
    assert (first.status_code, second.status_code) == (201, 200)
    assert stored["order"]["items"][0]["quantity"] == 1
    assert isinstance(stored["order"]["items"][0]["quantity"], int)
