"""The embedded store: one SQLite file, durable, with group commit off the event loop.

A single writer thread owns the write connection. Requests queue their records; the writer takes all
that are waiting, inserts them in one transaction, commits (WAL, synchronous=FULL: a 201 means the
order is on disk), then resolves each request's future. Concurrent requests therefore share one fsync.
A checkpointer thread copies committed pages into the database file off the writer's commit path, and
reads run on their own connections in a small thread pool, which WAL lets proceed beside the writer.
The file's layout (a rowid table, a 16-byte key) is in ``sqlite_layout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import msgspec

from handler.store import sqlite_layout as layout
from handler.store.base import EventMetadata, OrderRecord, PutOutcome, StoreError

_FINGERPRINT = "SELECT fingerprint FROM orders WHERE order_id = ?"
_SELECT = "SELECT fingerprint, order_json, event_json FROM orders WHERE order_id = ?"
_BATCH_MAX = 512
_Pending = tuple[OrderRecord, asyncio.Future[PutOutcome], asyncio.AbstractEventLoop]

_encoder = msgspec.json.Encoder()
_event_decoder = msgspec.json.Decoder(EventMetadata)


class SqliteOrderStore:
    """The default store when no MongoDB URI is configured."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._checkpointer = layout.Checkpointer(self._path)
        self._readers: ThreadPoolExecutor | None = None
        self._local = threading.local()

    async def open(self) -> SqliteOrderStore:
        await asyncio.to_thread(self._create)
        self._checkpointer.start()
        self._writer = threading.Thread(target=self._write_loop, name="sqlite-writer", daemon=True)
        self._writer.start()
        self._readers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sqlite-reader")
        return self

    def _create(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = layout.connect(self._path)
        layout.create(self._conn)

    async def put(self, record: OrderRecord) -> PutOutcome:
        if self._writer is None or not self._writer.is_alive():
            raise StoreError("the SQLite writer is not running")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[PutOutcome] = loop.create_future()
        self._queue.put((record, future, loop))
        return await future

    async def get(self, order_id: str) -> OrderRecord | None:
        row = await self._read(_SELECT, layout.key(order_id))
        if row is None:
            return None
        fingerprint, order_json, event_json = row
        return OrderRecord(
            order_id=order_id,
            fingerprint=fingerprint,
            detail=msgspec.json.decode(order_json),
            event=_event_decoder.decode(event_json),
        )

    async def ping(self) -> None:
        await self._read("SELECT count(*) FROM sqlite_schema", None)

    async def close(self) -> None:
        if self._writer is not None:
            self._queue.put(None)
            await asyncio.to_thread(self._writer.join)
            self._writer = None
        await asyncio.to_thread(self._checkpointer.stop)
        if self._readers is not None:
            self._readers.shutdown(wait=True)
            self._readers = None

    async def _read(self, sql: str, key: bytes | None) -> tuple | None:
        if self._readers is None:
            raise StoreError("the SQLite store is closed")
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._readers, self._read_sync, sql, key)
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite read failed: {exc}") from exc

    def _read_sync(self, sql: str, key: bytes | None) -> tuple | None:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = layout.connect(self._path)
        return conn.execute(sql, () if key is None else (key,)).fetchone()

    # --- the writer thread ---------------------------------------------------------------------

    def _write_loop(self) -> None:
        try:
            while (first := self._queue.get()) is not None:
                batch = [first]
                while len(batch) < _BATCH_MAX:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:  # close() asked; finish this batch, then stop
                        self._queue.put(None)
                        break
                    batch.append(item)
                self._write_batch(batch)
        finally:
            self._conn.close()

    def _write_batch(self, batch: list[_Pending]) -> None:
        results: list[PutOutcome | StoreError]
        try:
            results = list(self._commit(batch))
        except sqlite3.Error:
            # One bad record must not fail the others: retry each in a transaction of its own.
            results = []
            for pending in batch:
                try:
                    results += self._commit([pending])
                except sqlite3.Error as exc:
                    results.append(StoreError(f"SQLite write failed: {exc}"))
        _resolve(batch, results)

    def _commit(self, batch: list[_Pending]) -> list[PutOutcome]:
        conn = self._conn
        outcomes = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for record, _, _ in batch:
                key = layout.key(record.order_id)
                detail, event = _encoder.encode(record.detail), _encoder.encode(record.event)
                cursor = conn.execute(layout.INSERT, (key, record.fingerprint, detail, event))
                if cursor.rowcount == 1:
                    outcomes.append(PutOutcome.CREATED)
                else:
                    (stored,) = conn.execute(_FINGERPRINT, (key,)).fetchone()
                    same = stored == record.fingerprint
                    outcomes.append(PutOutcome.REPLAYED if same else PutOutcome.CONFLICT)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite rolls some failures back by itself
                conn.execute("ROLLBACK")
            raise
        self._checkpointer.committed(conn)
        return outcomes


def _resolve(batch: list[_Pending], results: list[PutOutcome | StoreError]) -> None:
    """Settle the batch's futures with one call into each event loop (one wake-up, not one per order)."""
    by_loop: dict[asyncio.AbstractEventLoop, list] = {}
    for (_, future, loop), result in zip(batch, results, strict=True):
        by_loop.setdefault(loop, []).append((future, result))
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that event loop is closed: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[tuple[asyncio.Future[PutOutcome], PutOutcome | StoreError]]) -> None:
    for future, result in settled:
        if future.done():  # the caller gave up (deadline); the write stands and a retry sees it
            continue
        if isinstance(result, StoreError):
            future.set_exception(result)
        else:
            future.set_result(result)
