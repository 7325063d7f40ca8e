"""The SQLite file's layout (handler/store/sqlite_layout.py): a rowid table with a 16-byte key, a file of
the earlier layout moved to it at start-up, and no checkpoint on the writer's commit path."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from pathlib import Path

from handler.store import sqlite_layout
from handler.store.base import PutOutcome
from handler.store.sqlite import SqliteOrderStore
from tests.handler.records import record

_EARLIER = """
CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    order_json  BLOB NOT NULL,
    event_json  BLOB NOT NULL
) WITHOUT ROWID
"""
_EVENT = b'{"id":"e1","source":"s","account":"a","region":"r","time":null,'
_EVENT += b'"received_at":"2026-01-01T00:00:00Z"}'


async def test_a_file_of_the_earlier_layout_is_moved_and_keeps_its_orders(tmp_path: Path) -> None:
    # Given a file written by the earlier store: text keys, WITHOUT ROWID
    path, order_id = tmp_path / "orders.sqlite3", str(uuid.uuid4())
    with sqlite3.connect(path) as old:
        old.execute(_EARLIER)
        old.execute("INSERT INTO orders VALUES (?, 'f-old', ?, ?)", (order_id, b'{"note":"kept"}', _EVENT))

    # When the store opens it
    store = await SqliteOrderStore(path).open()
    try:
        found = await store.get(order_id)
        again = await store.put(record(order_id=order_id, fingerprint="f-old"))
        other = await store.put(record(order_id=order_id, fingerprint="f-new"))
    finally:
        await store.close()

    # Then the order is still there, whole, and still decides what a re-send is
    assert found is not None and found.detail == {"note": "kept"} and found.event.id == "e1"
    assert (again, other) == (PutOutcome.REPLAYED, PutOutcome.CONFLICT)
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(orders)")]
        (key,) = db.execute("SELECT order_id FROM orders").fetchone()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert columns[0] == "id" and key == uuid.UUID(order_id).bytes
    assert tables == {"orders"}


async def test_orders_are_keyed_by_their_16_bytes_and_the_writer_never_checkpoints(tmp_path: Path) -> None:
    # Given a new store, When an order is stored
    path = tmp_path / "orders.sqlite3"
    store = await SqliteOrderStore(path).open()
    stored = record()
    try:
        assert await store.put(stored) is PutOutcome.CREATED
        autocheckpoint = store._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        modes = (
            store._conn.execute("PRAGMA journal_mode").fetchone()[0],
            store._conn.execute("PRAGMA synchronous").fetchone()[0],
        )
    finally:
        await store.close()

    # Then its key is the UUID's bytes, the writer leaves checkpoints to the checkpointer, and a commit
    # is still synced (WAL, synchronous=FULL, which is 2)
    with sqlite3.connect(path) as db:
        (key,) = db.execute("SELECT order_id FROM orders").fetchone()
    assert key == uuid.UUID(stored.order_id).bytes
    assert autocheckpoint == 0
    assert modes == ("wal", 2)


async def test_the_wal_stays_bounded_under_steady_writes(tmp_path: Path, monkeypatch) -> None:
    # Given a store whose writer finishes a checkpoint past 50 WAL pages (4,096 in production)
    monkeypatch.setattr(sqlite_layout, "WAL_RESTART_PAGES", 50)
    path = tmp_path / "orders.sqlite3"
    store = await SqliteOrderStore(path).open()
    wal, largest = Path(f"{path}-wal"), 0
    try:
        # When 10,000 orders arrive 64 at a time, with no pause for the checkpointer to catch up
        for _ in range(10_000 // 64):
            await asyncio.gather(*(store.put(record()) for _ in range(64)))
            largest = max(largest, wal.stat().st_size)  # noqa: ASYNC240 - one stat, in a test
    finally:
        await store.close()

    # Then the WAL restarted along the way: without that it grows by ~5 KiB an order (~25 MiB here)
    assert largest < 8 * 2**20, f"the WAL reached {largest / 2**20:.1f} MiB"
