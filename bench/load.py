"""One measurement: a server's cold start, then wrk on CPU 1 against it, then its RSS and CPU use.

Every wait is bounded: wrk by its ``-d`` plus a margin, the server by ``bench.server``'s timeouts.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import psutil

from bench import ids
from bench.server import HERE, PYCACHE, SERVER_CPU, Server, Variant

LUA = HERE / "orders.lua"
LOAD_CPU = "1"
WRK_MISSING = (
    "wrk is not installed: on Debian/Ubuntu run `apt-get update && apt-get install -y wrk` "
    "(macOS: `brew install wrk`)"
)


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(f"bench: {WRK_MISSING}")
    return found


def wrk(port: int, seconds: float, connections: int, mode: str = "random", ids_from: tuple = ()) -> dict:
    """Run wrk (1 thread, pinned to the load CPU); its JSON summary plus its own CPU use.

    Args:
        mode: "random" (ids from ``ids_from``, a file and the lines to skip), "increasing" or "duplicate".
    """
    script = [mode, *map(str, ids_from)] if mode == "random" else [mode, uuid.uuid4().hex[:7]]
    cmd = ["taskset", "-c", LOAD_CPU, require_wrk(), "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    cmd += ["--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}/orders", "--", *script]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    result = json.loads(line.removeprefix("BENCH_JSON "))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["wrk_cpu_pct"] = round(100 * cpu / (result["duration_us"] / 1e6), 1)
    return result


def measure(
    variant: Variant, seconds: float, connections: int, warmup: float, mode: str | None = None
) -> dict:
    """Cold start, warm-up, the measured load, then RSS: one row of results.

    Args:
        mode: "duplicate" (one event replayed), else the variant's ids. With random ids the warm-up
            and the measured load take disjoint lines of one file of ids.
    """
    mode = mode or variant.ids
    path = ids.ids_file(warmup + seconds, PYCACHE.parent) if mode == "random" else None
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        server = Server(variant, Path(tmp))
        try:
            cold = server.wait_first_201()
            if warmup > 0:
                wrk(server.port, warmup, connections, mode, (path, 0))
            stored_before = server.stored_orders()
            cpu0, cores0 = server.cpu_seconds(), psutil.cpu_times(percpu=True)
            load = wrk(server.port, seconds, connections, mode, (path, int(warmup * ids.RATE_CEILING)))
            cpu1, cores1 = server.cpu_seconds(), psutil.cpu_times(percpu=True)
            stored_after = server.stored_orders()
            rss = server.rss_mib()
        finally:
            server.stop()
    wall = load["duration_us"] / 1e6
    busy0 = _busy(cores0[int(SERVER_CPU)], cores1[int(SERVER_CPU)])
    busy1 = _busy(cores0[int(LOAD_CPU)], cores1[int(LOAD_CPU)])
    server_pct = 100 * (cpu1 - cpu0) / wall
    lat = load["latency_us"]
    errors = sum(load["errors"].values())
    return {
        "variant": variant.key,
        "mode": mode,
        "ids_reused": load.get("ids_reused", 0),
        "rps": round(load["requests"] / wall, 1),
        "requests": load["requests"],
        "p50_ms": lat["p50"] / 1000,
        "p99_ms": lat["p99"] / 1000,
        "p999_ms": lat["p999"] / 1000,
        "max_ms": lat["max"] / 1000,
        "errors": errors,
        "error_detail": load["errors"],
        "rss_mib": round(rss, 1),
        "cold_start_ms": round(cold * 1000, 1),
        "server_cpu_pct": round(server_pct, 1),
        "cpu_us_per_req": round(1e6 * (cpu1 - cpu0) / max(1, load["requests"]), 1),
        "other_load_on_server_cpu_pct": round(max(0.0, busy0 - server_pct), 1),
        "wrk_cpu_pct": load["wrk_cpu_pct"],
        "other_load_on_load_cpu_pct": round(max(0.0, busy1 - load["wrk_cpu_pct"]), 1),
        "created": None if stored_before is None else stored_after - stored_before,
    }


def _busy(t0: psutil._common.pcputimes, t1: psutil._common.pcputimes) -> float:
    idle = (t1.idle - t0.idle) + (getattr(t1, "iowait", 0) - getattr(t0, "iowait", 0))
    total = sum(t1) - sum(t0)
    return 100 * (1 - idle / total) if total > 0 else 0.0
