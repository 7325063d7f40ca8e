"""The benchmark harness runs end to end (a tiny run: the numbers are printed, never asserted)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import ids
from bench.load import WRK_MISSING
from bench.memstore import MemoryStore
from handler.store.base import EventMetadata, OrderRecord, PutOutcome

ROOT = Path(__file__).resolve().parents[2]


def _record(order_id: str, fingerprint: str) -> OrderRecord:
    now = datetime.now(UTC)
    meta = EventMetadata(id="e", source="s", account="a", region="r", time=None, received_at=now)
    return OrderRecord(order_id=order_id, fingerprint=fingerprint, detail={}, event=meta)


async def test_memory_store_keeps_the_store_contract():
    # Given an empty dict store
    store = MemoryStore()
    # When the same order arrives three times, the last with other content
    outcomes = [await store.put(_record("o1", f)) for f in ("x", "x", "y")]
    # Then it is created once, then replayed, then a conflict, and reads back
    assert outcomes == [PutOutcome.CREATED, PutOutcome.REPLAYED, PutOutcome.CONFLICT]
    assert (await store.get("o1")).fingerprint == "x"


def test_harness_runs_and_writes_its_results(tmp_path):
    if not shutil.which("wrk"):
        pytest.skip(WRK_MISSING)
    if not shutil.which("taskset") or (os.cpu_count() or 1) < 2:
        pytest.skip("needs taskset (util-linux) and 2 CPUs: the server and wrk are pinned apart")
    # Given the harness with a one-second run of the in-memory handler and the raw-ASGI limit
    cmd = [sys.executable, "-m", "bench", "--duration", "1", "--warmup", "0", "--repeats", "1"]
    cmd += [
        "--variants",
        "memory,raw",
        "--no-duplicate",
        "--no-source-start",
        "--no-micro",
        "--out",
        str(tmp_path),
    ]
    # When it runs
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    # Then it writes the JSON, the table and the chart, with a ratio and the load-generator check
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["summary"]) == {"memory", "raw"}
    assert all(s["rps"] > 0 and s["errors"] == 0 for s in results["summary"].values())
    assert results["ratios"][0]["ratio"].startswith("2/4")
    table = (tmp_path / "results.md").read_text()
    assert "Load generator" in table
    # And the load sent random UUIDv4 ids, which the table says, with none run out and reused
    assert "| 2. handler, in-memory | random UUIDv4 |" in table
    assert all(r["mode"] == "random" and r["ids_reused"] == 0 for r in results["runs"])
    assert (tmp_path / "chart.png").stat().st_size > 0


def test_the_ids_made_up_front_are_distinct_random_uuid4s(tmp_path):
    # Given the ids for half a second of load
    path = ids.ids_file(0.5, tmp_path)
    # When they are read back as the wrk script reads them (event id, space, order id)
    pairs = [line.split(" ") for line in path.read_text().splitlines()]
    # Then there are enough, each a canonical UUIDv4, and none repeats
    flat = [i for pair in pairs for i in pair]
    assert len(pairs) == int(0.5 * ids.RATE_CEILING) + 1000
    assert all(uuid.UUID(i).version == 4 and str(uuid.UUID(i)) == i for i in flat)
    assert len(set(flat)) == len(flat)
