"""The SQLite file's layout, chosen by measurement on random UUIDv4 order ids (bench/results/sqlite.md).

* Rows live in a rowid table, so they append in arrival order and fill data pages in sequence; the
  order id is a 16-byte ``UNIQUE`` key in an index of its own. Random ids then dirty pages only in that
  small index (about 150 keys to a page) instead of all over a table of ~700-byte rows, which cut the
  bytes each commit writes about fourfold.
* ``wal_autocheckpoint=0``: the writer never checkpoints on its commit path; ``Checkpointer`` does, on a
  connection of its own. A commit is still the WAL synced to disk (``synchronous=FULL``); a checkpoint
  only copies committed pages into the main file, syncing the WAL before and the file after.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id          INTEGER PRIMARY KEY,
    order_id    BLOB NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    order_json  BLOB NOT NULL,
    event_json  BLOB NOT NULL
)
"""
INSERT = (
    "INSERT INTO orders (order_id, fingerprint, order_json, event_json) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (order_id) DO NOTHING"
)
#: The WAL file is cut back to this after a checkpoint lets it restart (it is reused, not regrown).
WAL_SIZE_LIMIT = 64 * 2**20
#: Past this many pages in the WAL, the writer finishes a checkpoint itself so that the WAL restarts.
#: (Under steady load the checkpointer never catches up with a writer that keeps committing, and the
#: WAL only restarts once a checkpoint has copied all of it: measured, it grew ~45 MiB/s without this.)
WAL_RESTART_PAGES = 4096
#: How long the checkpointer lets commits gather: a page dirtied by several commits is copied once.
CHECKPOINT_EVERY_SECONDS = 0.05


def key(order_id: str) -> bytes:
    """The stored key of a canonical order id: its 16 bytes."""
    return uuid.UUID(order_id).bytes


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
    return conn


def create(conn: sqlite3.Connection) -> None:
    """Make the table, or move a file of the earlier layout (text key, WITHOUT ROWID) to this one."""
    columns = [row[1] for row in conn.execute("PRAGMA table_info(orders)")]
    if columns and "id" not in columns:
        _migrate(conn)
    conn.execute(SCHEMA)


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("ALTER TABLE orders RENAME TO orders_text_key")
        conn.execute(SCHEMA)
        rows = conn.execute("SELECT order_id, fingerprint, order_json, event_json FROM orders_text_key")
        conn.executemany(INSERT, ((key(o), f, d, e) for o, f, d, e in rows.fetchall()))
        conn.execute("DROP TABLE orders_text_key")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class Checkpointer:
    """A thread that copies committed WAL pages into the database file, off the writer's commit path.

    ``committed()`` (called by the writer) wakes it; it waits ``CHECKPOINT_EVERY_SECONDS`` more so that
    pages dirtied again are copied once, then runs a PASSIVE checkpoint, which never blocks the writer.
    Once the WAL is past ``WAL_RESTART_PAGES`` the writer finishes one checkpoint itself, after a commit.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        #: The WAL has grown past WAL_RESTART_PAGES: the writer should finish a checkpoint (``restart``).
        self.restart_due = False

    def start(self) -> None:
        self._thread.start()

    def committed(self, conn: sqlite3.Connection) -> None:
        """Called by the writer after each commit, on its connection (``conn``)."""
        if self.restart_due or not self._thread.is_alive():
            # Between two commits nothing else writes, so this checkpoint can copy the whole WAL (most of
            # it is copied already), and the writer's next transaction starts the WAL afresh.
            busy, pages, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.restart_due = bool(busy) or copied < pages
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        conn = connect(self._path)
        try:
            while True:
                self._wake.wait()
                if self._stop.wait(CHECKPOINT_EVERY_SECONDS):
                    return
                self._wake.clear()
                _, pages, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self.restart_due = pages > WAL_RESTART_PAGES
        finally:
            conn.close()
