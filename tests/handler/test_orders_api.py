"""The HTTP contract of PUT /orders and GET /orders/{id}, on every store."""

from __future__ import annotations

import asyncio
import copy
import gc
import uuid

from litestar.testing import AsyncTestClient

from handler.app import StoreOpener, create_app
from handler.settings import Settings
from handler.store.base import OrderStore
from tests import samples
from tests.handler.client import put
from tests.handler.conftest import concurrent_client
from tests.handler.records import event_for
from tests.samples import ORDER_ID


async def test_first_delivery_is_created_with_location(client: AsyncTestClient, sample_event: dict) -> None:
    response = await put(client, sample_event)

    assert response.status_code == 201
    assert response.headers["location"] == f"/orders/{ORDER_ID}"
    assert response.json() == {"order_id": ORDER_ID, "status": "created"}


async def test_redelivery_and_same_order_under_new_event_id_are_200(
    client: AsyncTestClient, sample_event: dict
) -> None:
    # Given the order is stored
    await put(client, sample_event)
    # When EventBridge redelivers the same event, and a producer re-sends it under another event id
    again = await put(client, sample_event)
    renamed = await put(client, sample_event | {"id": str(uuid.uuid4()), "time": "2026-01-01T00:00:00Z"})

    # Then both are 200 with the same Location, and one order is stored
    for response in (again, renamed):
        assert response.status_code == 200
        assert response.headers["location"] == f"/orders/{ORDER_ID}"
        assert response.json()["status"] == "duplicate"


async def test_same_order_id_with_other_content_is_409(client: AsyncTestClient, sample_event: dict) -> None:
    await put(client, sample_event)
    changed = copy.deepcopy(sample_event)
    changed["detail"]["items"][0]["quantity"] = 2

    response = await put(client, changed)

    assert response.status_code == 409
    assert response.json()["error"] == "order_conflict"
    assert ORDER_ID in response.json()["message"]
    stored = (await client.get(f"/orders/{ORDER_ID}")).json()
    assert stored["order"]["items"][0]["quantity"] == 1


async def test_get_returns_order_exactly_with_unknown_fields_and_metadata(
    client: AsyncTestClient, sample_event: dict
) -> None:
    # Given an event with extra fields in the detail, an item and the envelope, and exact money
    sample_event["detail"]["gift_wrap"] = {"paper": "blue", "price": "1.50"}
    sample_event["detail"]["items"][0]["sku_note"] = "fragile"
    sample_event["detail"]["items"].append(
        {"product_id": str(uuid.uuid4()), "quantity": 3, "price": "0.10", "currency": "CAD"}
    )
    sample_event["time"] = "2020-06-02T13:01:05Z"
    sample_event["new-aws-field"] = "accepted"
    await put(client, sample_event)

    # When it is read back
    response = await client.get(f"/orders/{ORDER_ID}")

    # Then every field is there as sent, money as exact strings, plus the event's metadata
    assert response.status_code == 200
    body = response.json()
    assert body["order"] == sample_event["detail"]
    assert body["order"]["items"][1]["price"] == "0.10"
    event = body["event"]
    assert (event["id"], event["source"], event["account"], event["region"]) == (
        sample_event["id"],
        "ecommerce",
        "123456789012",
        "us-east-1",
    )
    assert event["time"] == "2020-06-02T13:01:05Z"
    assert event["received_at"].endswith("Z")


async def test_unknown_order_is_404(client: AsyncTestClient) -> None:
    response = await client.get(f"/orders/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.json()["error"] == "order_not_found"


async def test_fifty_concurrent_duplicates_all_2xx_one_stored(
    settings: Settings, store: OrderStore, sample_event: dict
) -> None:
    # Given one event, When 50 copies arrive at once (really interleaved, see concurrent_client)
    async with concurrent_client(create_app(settings, store=store)) as client:
        responses = await asyncio.gather(*(put(client, sample_event) for _ in range(50)))
        stored = await client.get(f"/orders/{ORDER_ID}")

    # Then every answer is 2xx, exactly one 201, and the order reads back once
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 201}
    assert statuses.count(201) == 1
    assert {r.headers["location"] for r in responses} == {f"/orders/{ORDER_ID}"}
    assert stored.status_code == 200


async def test_many_orders_each_created(client: AsyncTestClient) -> None:
    events = [event_for(samples.order() | {"order_id": str(uuid.uuid4())}) for _ in range(40)]

    responses = await asyncio.gather(*(put(client, e) for e in events))

    assert [r.status_code for r in responses] == [201] * 40


async def test_health_and_ready_answer(client: AsyncTestClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).json() == {"status": "ready"}


async def test_other_methods_on_orders_are_405(client: AsyncTestClient) -> None:
    response = await client.post("/orders", content=b"{}")

    assert response.status_code == 405
    assert response.headers["allow"] == "PUT"
    assert response.json()["error"] == "http_error"


async def test_start_up_freezes_its_heap_and_leaves_collection_on(
    settings: Settings, store_opener: StoreOpener
) -> None:
    # Given collection off, as `python -m handler` has it while importing
    gc.disable()
    try:
        # When the app has started
        async with AsyncTestClient(app=create_app(settings, opener=store_opener)):
            # Then start-up objects are frozen out of later passes, and collection runs again
            assert gc.get_freeze_count() > 0
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
