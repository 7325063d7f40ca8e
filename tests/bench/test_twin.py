"""The FastAPI twin differs from the handler only in framework and validation library: it answers the
same, and its Pydantic models (derived from the handler's Structs) accept and refuse the same events."""

from __future__ import annotations

import copy
import json

import pytest

from bench import twin_fastapi as twin
from handler.errors import InvalidEvent
from handler.events import decode_event
from tests import samples
from tests.handler.conftest import concurrent_client
from tests.handler.invalid_events import CASES


async def test_the_twin_answers_the_put_contract_as_the_handler_does() -> None:
    # Given the twin app on its in-memory store
    changed = samples.event()
    changed["detail"]["items"][0]["quantity"] = 2
    async with concurrent_client(twin.create_app()) as client:
        # When the sample arrives twice, then with other content, then malformed
        first, again, conflict, bad = [
            await client.put("/orders", content=body)
            for body in (samples.EVENT_BYTES, samples.EVENT_BYTES, json.dumps(changed).encode(), b"{")
        ]

    # Then the statuses, bodies and Location are the handler's (test_orders_api)
    assert first.status_code == 201
    assert first.headers["location"] == f"/orders/{samples.ORDER_ID}"
    assert first.json() == {"order_id": samples.ORDER_ID, "status": "created"}
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    assert (conflict.status_code, conflict.json()["error"]) == (409, "order_conflict")
    assert (bad.status_code, bad.json()["error"]) == (400, "invalid_event")


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_pydantic_and_msgspec_refuse_the_same_events(case: str) -> None:
    # Given an event made invalid in one way
    mutate, _ = CASES[case]
    event = copy.deepcopy(samples.event())
    mutate(event)
    body = json.dumps(event).encode()

    # When each app's decode step reads it, Then both refuse it
    with pytest.raises(InvalidEvent):
        decode_event(body)
    with pytest.raises(InvalidEvent):
        twin.decode(body)


def test_both_decode_steps_agree_on_a_valid_event() -> None:
    handler, other = decode_event(samples.EVENT_BYTES), twin.decode(samples.EVENT_BYTES)

    assert (other.order_id, other.detail, other.fingerprint) == (
        handler.order_id,
        handler.detail,
        handler.fingerprint,
    )
