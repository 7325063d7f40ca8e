"""The store contract, run against every store (SQLite for real, Mongo on a fake, a real MongoDB when
MONGODB_URI is set)."""

from __future__ import annotations

import asyncio

from handler.store.base import OrderStore, PutOutcome
from tests.handler.records import record


async def test_first_put_creates_and_get_returns_it_exactly(store: OrderStore) -> None:
    # Given an order with money that must stay exact and a field this version does not know
    stored = record(
        price_note="kept", items=[{"product_id": "p", "quantity": 2, "price": "9.90", "currency": "CAD"}]
    )

    # When it is put and read back
    outcome = await store.put(stored)
    read = await store.get(stored.order_id)

    # Then it was created, and reads back field for field
    assert outcome is PutOutcome.CREATED
    assert read is not None
    assert read.detail == stored.detail
    assert read.detail["items"][0]["price"] == "9.90"
    assert read.detail["price_note"] == "kept"
    assert read.fingerprint == stored.fingerprint
    assert read.event == stored.event


async def test_same_fingerprint_again_is_replayed(store: OrderStore) -> None:
    first = record(fingerprint="same")
    await store.put(first)

    assert await store.put(first) is PutOutcome.REPLAYED


async def test_same_order_id_other_content_is_a_conflict_and_keeps_the_first(store: OrderStore) -> None:
    first = record(fingerprint="one")
    await store.put(first)

    outcome = await store.put(record(order_id=first.order_id, fingerprint="two", note="other"))

    assert outcome is PutOutcome.CONFLICT
    read = await store.get(first.order_id)
    assert read is not None and read.fingerprint == "one" and "note" not in read.detail


async def test_missing_order_reads_as_none(store: OrderStore) -> None:
    assert await store.get("00000000-0000-0000-0000-000000000000") is None


async def test_ping_answers(store: OrderStore) -> None:
    await store.ping()


async def test_fifty_concurrent_copies_store_once(store: OrderStore) -> None:
    # Given 50 copies of one order arriving at once
    same = record(fingerprint="dup")

    # When all are put concurrently
    outcomes = await asyncio.gather(*(store.put(same) for _ in range(50)))

    # Then exactly one created it and the other 49 were replays
    assert outcomes.count(PutOutcome.CREATED) == 1
    assert outcomes.count(PutOutcome.REPLAYED) == 49


async def test_many_distinct_orders_all_created(store: OrderStore) -> None:
    records = [record() for _ in range(200)]

    outcomes = await asyncio.gather(*(store.put(r) for r in records))

    assert set(outcomes) == {PutOutcome.CREATED}
    for r in records[::37]:
        read = await store.get(r.order_id)
        assert read is not None and read.order_id == r.order_id
