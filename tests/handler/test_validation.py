"""Bad bodies get a 400 that names the field path and the problem; too big is 413; never a 500."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from handler.errors import InvalidEvent, split_path
from handler.events import decode_event
from tests.handler.test_orders_api import put


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def mutate(event: dict) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict], None]:
    def mutate(event: dict) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return mutate


CASES = {
    "wrong source": (_set("source", "billing"), "$.source"),
    "wrong detail-type": (_set("detail-type", "CancelOrder"), "$.detail-type"),
    "missing detail": (_delete("detail"), None),
    "order_id not a uuid": (_set("detail.order_id", "order-1"), "$.detail.order_id"),
    "create_date not RFC 3339": (_set("detail.create_date", "June 2nd"), "$.detail.create_date"),
    "create_date without offset": (_set("detail.create_date", "2020-06-02T13:01:00"), "$.detail.create_date"),
    "no items": (_set("detail.items", []), "$.detail.items"),
    "quantity zero": (_set("detail.items.0.quantity", 0), "$.detail.items[0].quantity"),
    "quantity as string": (_set("detail.items.0.quantity", "1"), "$.detail.items[0].quantity"),
    "price as number": (_set("detail.items.0.price", 9.99), "$.detail.items[0].price"),
    "negative price": (_set("detail.items.0.price", "-1.00"), "$.detail.items[0].price"),
    "price not decimal": (_set("detail.items.0.price", "9,99"), "$.detail.items[0].price"),
    "currency lower case": (_set("detail.items.0.currency", "cad"), "$.detail.items[0].currency"),
    # Python's `$` (msgspec's) matches before a final newline; the document's (ECMA-262's) does not.
    "currency, newline": (_set("detail.items.0.currency", "CAD\n"), "$.detail.items[0].currency"),
    "price, newline": (_set("detail.items.0.price", "9.99\n"), "$.detail.items[0].price"),
    "product_id not a uuid": (_set("detail.items.0.product_id", "x"), "$.detail.items[0].product_id"),
    "missing customer_id": (_delete("detail.customer.customer_id"), "$.detail.customer"),
    "missing payment": (_delete("detail.payment"), "$.detail"),
    "missing zip_code": (_delete("detail.delivery_address.zip_code"), "$.detail.delivery_address"),
    "resources not a list": (_set("resources", "arn"), "$.resources"),
    "field name with $": (_set("detail.$where", "1"), "$.detail"),
    "field name with a dot": (lambda event: event["detail"].update({"a.b": 1}), "$.detail"),
    "integer beyond 64 bits": (_set("detail.big", 2**70), "$.detail.big"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_invalid_event_is_400_naming_the_path(
    client: AsyncTestClient, sample_event: dict, case: str
) -> None:
    mutate, path = CASES[case]
    event = copy.deepcopy(sample_event)
    mutate(event)

    response = await put(client, event)

    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_event"
    assert body["message"]
    if path is not None:
        assert body["path"] == path
        assert f"`{path}`" in body["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"not json",
        b"[]",
        b"null",
        b'"a string"',
        b"[" * 5000 + b"]" * 5000,
        b"\xff\xfe",
        b'{"id": "\xed\xa0\x80"}',
    ],
    ids=[
        "empty",
        "truncated",
        "text",
        "array",
        "null",
        "string",
        "deeply nested",
        "not utf-8",
        "bad utf-8 in string",
    ],
)
async def test_malformed_body_is_400(client: AsyncTestClient, raw: bytes) -> None:
    response = await put(client, raw)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_event"


async def test_deep_nesting_inside_detail_is_400(client: AsyncTestClient, sample_event: dict) -> None:
    nested: Any = "leaf"
    for _ in range(40):
        nested = {"n": nested}
    sample_event["detail"]["deep"] = nested

    response = await put(client, sample_event)

    assert response.status_code == 400
    assert "Nested more than" in response.json()["message"]


async def test_body_over_256_kib_is_413(client: AsyncTestClient, sample_event: dict) -> None:
    sample_event["detail"]["padding"] = "x" * (256 * 1024)

    response = await put(client, json.dumps(sample_event).encode())

    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


async def test_body_just_under_the_limit_is_accepted(client: AsyncTestClient, sample_event: dict) -> None:
    sample_event["detail"]["padding"] = ""
    size = len(json.dumps(sample_event).encode())
    sample_event["detail"]["padding"] = "x" * (256 * 1024 - size)

    response = await put(client, sample_event)

    assert len(json.dumps(sample_event).encode()) == 256 * 1024
    assert response.status_code == 201


def test_an_invalid_event_carries_its_field_path_as_data(sample_event: dict) -> None:
    # Given an event with a bad field
    sample_event["detail"]["items"][0]["quantity"] = 0

    # When the handler decodes it
    with pytest.raises(InvalidEvent) as caught:
        decode_event(json.dumps(sample_event).encode())

    # Then the error holds the path as a field, and msgspec's message whole
    assert caught.value.path == "$.detail.items[0].quantity"
    assert caught.value.message.endswith(" - at `$.detail.items[0].quantity`")


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "Expected `int` >= 1 - at `$.detail.items[0].quantity`",
            ("Expected `int` >= 1", "$.detail.items[0].quantity"),
        ),
        ("Object missing required field `detail`", ("Object missing required field `detail`", None)),
    ],
)
def test_msgspecs_message_splits_into_problem_and_path(message: str, parts: tuple) -> None:
    assert split_path(message) == parts
