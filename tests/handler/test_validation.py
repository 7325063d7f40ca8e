"""Bad bodies get a 400 that names the field path and the problem; too big is 413; never a 500."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from handler.errors import InvalidEvent, split_path
from handler.events import decode_event
from tests.handler.client import put
from tests.handler.invalid_events import CASES


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
