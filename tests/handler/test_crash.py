"""kill -9 under load, on random UUIDv4 order ids: every order answered 201 is on disk, whole.

A 201 from the SQLite store means the order's commit reached the disk (WAL, ``synchronous=FULL``). Here a
real ``python -m handler`` takes concurrent PUTs of new orders with random ids (as producers send), is
killed with SIGKILL in the middle, and restarts on the same file.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

import httpx

from tests.handler.server_process import Server
from tests.samples import event

CLIENTS = 8
#: Kill once this many 201s have come back (or after KILL_AFTER_SECONDS, whichever is first).
ENOUGH_CREATED, KILL_AFTER_SECONDS = 400, 20.0


def _new_order() -> dict:
    sent = event()
    sent["id"], sent["detail"]["order_id"] = str(uuid.uuid4()), str(uuid.uuid4())
    return sent


def _send_until_refused(url: str, created: dict[str, dict], lock: threading.Lock) -> None:
    with httpx.Client(timeout=10) as client:
        while True:
            sent = _new_order()
            try:
                answer = client.put(f"{url}/orders", json=sent)
            except httpx.TransportError:  # the server is gone
                return
            if answer.status_code == 201:
                with lock:
                    created[sent["detail"]["order_id"]] = sent


def test_every_201_survives_kill_9_under_load_with_random_ids(tmp_path: Path) -> None:
    # Given a handler on a SQLite file, taking new orders with random ids from several clients at once
    path = tmp_path / "orders.sqlite3"
    first = Server(path)
    created: dict[str, dict] = {}
    lock = threading.Lock()
    clients = [
        threading.Thread(target=_send_until_refused, args=(first.url, created, lock)) for _ in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    deadline = time.monotonic() + KILL_AFTER_SECONDS
    while len(created) < ENOUGH_CREATED and time.monotonic() < deadline:
        time.sleep(0.01)

    # When it is killed with SIGKILL mid-load (no shutdown, no last checkpoint) and started again
    first.process.kill()
    first.process.communicate()
    for client in clients:
        client.join(timeout=30)
    second = Server(path)
    try:
        with httpx.Client(timeout=10) as client:
            found = {order_id: client.get(f"{second.url}/orders/{order_id}") for order_id in created}
    finally:
        second.stop()

    # Then every order answered 201 is found, identical to what was sent, and the file is sound
    assert len(created) >= 50, f"only {len(created)} orders were created before the kill"
    print(f"{len(created)} orders answered 201 before the kill")
    missing = [order_id for order_id, answer in found.items() if answer.status_code != 200]
    assert missing == []
    changed = [
        order_id
        for order_id, answer in found.items()
        if (answer.json()["order"], answer.json()["event"]["id"])
        != (created[order_id]["detail"], created[order_id]["id"])
    ]
    assert changed == []
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("SELECT count(*) FROM orders").fetchone()[0] >= len(created)
