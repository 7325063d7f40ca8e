"""``uv run python -m bench.sqlite_probe``: where a durable commit's time goes on random order ids.

The handler's writer commits the orders waiting (up to 64 at 64 connections) in one transaction, WAL
with ``synchronous=FULL``. This probe does the same without HTTP: ``ROWS`` sample-sized rows with
random UUIDv4 keys (or increasing ones), in transactions of ``--batch``, for each storage layout, and
prints commits/s, rows/s, the commit-time percentiles and the bytes written to the WAL per commit.
Pinned to one CPU, as the server is. Every layout keeps ``synchronous=FULL``: a commit is on disk.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench.server import SAMPLE

_DETAIL = json.dumps(SAMPLE["detail"]).encode()
_EVENT = json.dumps({k: SAMPLE[k] for k in ("id", "source", "account", "region")}).encode()


@dataclass(frozen=True)
class Layout:
    name: str
    schema: str
    binary_key: bool
    checkpointer: bool = False
    page_size: int = 4096


_TEXT_PK = "CREATE TABLE orders (order_id TEXT PRIMARY KEY, fingerprint TEXT, "
_TEXT_PK += "order_json BLOB, event_json BLOB)"
_ROWID = "CREATE TABLE orders (id INTEGER PRIMARY KEY, order_id {} NOT NULL UNIQUE, fingerprint TEXT, "
_ROWID += "order_json BLOB, event_json BLOB)"
LAYOUTS = [
    Layout("text key, WITHOUT ROWID (today)", _TEXT_PK + " WITHOUT ROWID", False),
    Layout("today + checkpointer thread", _TEXT_PK + " WITHOUT ROWID", False, True),
    Layout("16-byte key, WITHOUT ROWID", _TEXT_PK.replace("TEXT PRI", "BLOB PRI") + " WITHOUT ROWID", True),
    Layout("text key, rowid + unique index", _ROWID.format("TEXT"), False),
    Layout("16-byte key, rowid + unique index", _ROWID.format("BLOB"), True),
    Layout("16-byte key, rowid + index + checkpointer", _ROWID.format("BLOB"), True, True),
    Layout("16-byte, rowid + index + ckpt, 1 KiB pages", _ROWID.format("BLOB"), True, True, 1024),
    Layout("16-byte, rowid + index + ckpt, 16 KiB pages", _ROWID.format("BLOB"), True, True, 16384),
    Layout("16-byte, rowid + index + ckpt, 2 KiB pages", _ROWID.format("BLOB"), True, True, 2048),
]


def _connect(path: Path, layout: Layout) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA page_size={layout.page_size}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    if layout.checkpointer:
        conn.execute("PRAGMA wal_autocheckpoint=0")
    return conn


def _checkpoints(path: Path, layout: Layout, stop: threading.Event) -> None:
    conn = _connect(path, layout)
    while not stop.wait(0.05):
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    conn.close()


def _written() -> int:
    """Bytes this process (writer and checkpointer) has written to disk so far."""
    text = Path("/proc/self/io").read_text()
    return int(text.split("write_bytes: ")[1].split()[0])


def run(layout: Layout, rows: int, batch: int, increasing: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="probe-", dir=Path(__file__).parent / "results" / "tmp") as tmp:
        path = Path(tmp) / "orders.sqlite3"
        conn = _connect(path, layout)
        conn.execute(layout.schema)
        stop = threading.Event()
        worker = threading.Thread(target=_checkpoints, args=(path, layout, stop))
        if layout.checkpointer:
            worker.start()
        keys = [uuid.UUID(int=i) if increasing else uuid.uuid4() for i in range(rows)]
        insert = "INSERT INTO orders (order_id, fingerprint, order_json, event_json) VALUES (?, ?, ?, ?) "
        insert += "ON CONFLICT (order_id) DO NOTHING"
        times, written, started = [], _written(), time.perf_counter()
        for at in range(0, rows, batch):
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            for key in keys[at : at + batch]:
                stored = key.bytes if layout.binary_key else str(key)
                conn.execute(insert, (stored, "f" * 64, _DETAIL, _EVENT))
            conn.execute("COMMIT")
            times.append(time.perf_counter() - t0)
        elapsed, written = time.perf_counter() - started, _written() - written
        stop.set()
        if layout.checkpointer:
            worker.join()
        conn.close()
    times.sort()
    return {
        "layout": layout.name,
        "rows_per_s": round(rows / elapsed),
        "commit_ms_p50": round(1000 * statistics.median(times), 2),
        "commit_ms_p99": round(1000 * times[int(0.99 * len(times))], 2),
        "commit_ms_max": round(1000 * times[-1], 2),
        "disk_kib_per_commit": round(written / len(times) / 1024, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.sqlite_probe")
    p.add_argument("--rows", type=int, default=60_000)
    p.add_argument("--batch", type=int, default=48)
    p.add_argument("--increasing", action="store_true")
    p.add_argument("--only", default="", help="comma-separated layout indexes")
    args = p.parse_args()
    os.sched_setaffinity(0, {0})
    (Path(__file__).parent / "results" / "tmp").mkdir(parents=True, exist_ok=True)
    picked = [LAYOUTS[int(i)] for i in args.only.split(",")] if args.only else LAYOUTS
    for layout in picked:
        print(json.dumps(run(layout, args.rows, args.batch, args.increasing)), flush=True)


if __name__ == "__main__":
    main()
