"""The servers under test: each variant's command, started pinned to CPU 0, timed to its first 201.

Every wait is bounded: start-up by ``START_TIMEOUT``, shutdown by ``Server.stop``.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from handler import contract
from handler.settings import ENV_VARS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Bytecode for the servers, kept out of the tree (git-ignored): see ``Server``.
PYCACHE = HERE / "results" / "tmp" / "pycache"
SAMPLE = json.loads((ROOT / "examples" / "create-order.json").read_text())
START_TIMEOUT = 30.0
_MONGODB_VARS = {variable for setting, variable in ENV_VARS.items() if setting.startswith("mongodb_")}
SERVER_CPU = "0"
_GRANIAN = ["-m", "granian", "--interface", "asgi", "--factory", "--workers", "1", "--runtime-threads"]
_GRANIAN += ["1", "--loop", "uvloop", "--no-access-log", "bench.serve:granian_app"]


@dataclass(frozen=True)
class Variant:
    key: str
    label: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    durable: bool = False
    #: The order ids its load sends: "random" UUIDv4s (as producers send) or "increasing" ones.
    ids: str = "random"
    #: Processes outside the server's tree whose CPU counts as the server's (the mongo variant's database).
    also_pids: tuple[int, ...] = ()


VARIANTS = {
    v.key: v
    for v in [
        Variant("durable", "1. handler, SQLite (durable)", ["-m", "handler"], durable=True),
        Variant(
            "durable-increasing",
            "1. handler, SQLite (durable), increasing ids",
            ["-m", "handler"],
            durable=True,
            ids="increasing",
        ),
        Variant("memory", "2. handler, in-memory", ["-m", "bench.serve", "memory"]),
        Variant("fastapi", "3. FastAPI + Pydantic twin, in-memory", ["-m", "bench.serve", "fastapi"]),
        Variant("raw", "4. raw ASGI + msgspec (limit)", ["-m", "bench.serve", "raw"]),
        Variant("memory-granian", "handler, in-memory, granian", _GRANIAN, {"BENCH_APP": "memory"}),
        Variant("raw-granian", "raw ASGI + msgspec, granian", _GRANIAN, {"BENCH_APP": "raw"}),
    ]
}
#: The handler on a MongoDB-compatible server: the one ``bench.mongo`` starts (SecantusDB), or the one
#: ``BENCH_MONGODB_URI`` names. Without either it is left out of a run, saying why.
VARIANTS["mongo"] = Variant("mongo", "5. handler, MongoDB store (SecantusDB)", ["-m", "handler"])


def use_mongodb(uri: str, pids: tuple[int, ...] = ()) -> None:
    """Point the mongo variant at ``uri``; each of its runs gets a database of its own (a fresh store).

    Args:
        pids: the database's processes, when it runs here: their CPU is counted with the handler's, as
            the SQLite writer's is (it is a thread of the server).
    """
    env = {contract.ENV_MONGODB_URI: uri}
    VARIANTS["mongo"] = dataclasses.replace(VARIANTS["mongo"], env=env, also_pids=pids)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _event_body(order_id: str) -> bytes:
    event = {**SAMPLE, "id": f"evt-{order_id}", "detail": {**SAMPLE["detail"], "order_id": order_id}}
    return json.dumps(event).encode()


def _put_once(port: int) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("PUT", "/orders", _event_body(str(uuid.uuid4())), {"Content-Type": "application/json"})
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


class Server:
    """A server process pinned to the server CPU, its stdout (the request log) sent to /dev/null.

    With ``bytecode`` (the default) modules load from compiled bytecode cached under ``PYCACHE``, as
    in an image built with ``UV_COMPILE_BYTECODE=1``; without it every start compiles from source, as
    with ``PYTHONDONTWRITEBYTECODE=1`` and no ``.pyc`` in the venv (this machine's default).
    """

    def __init__(self, variant: Variant, workdir: Path, bytecode: bool = True) -> None:
        self.variant, self.port = variant, _free_port()
        self.db = workdir / f"{variant.key}-{self.port}.sqlite3"
        env = {k: v for k, v in os.environ.items() if k not in _MONGODB_VARS}  # SQLite unless asked
        env |= {**variant.env, contract.ENV_HOST: "127.0.0.1", contract.ENV_PORT: str(self.port)}
        env |= {contract.ENV_SQLITE_PATH: str(self.db), "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONPYCACHEPREFIX", None)
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        if contract.ENV_MONGODB_URI in variant.env:
            env[contract.ENV_MONGODB_DATABASE] = f"bench_{self.port}"
        if variant.key.endswith("granian"):
            env |= {"GRANIAN_HOST": "127.0.0.1", "GRANIAN_PORT": str(self.port)}
        cmd = ["taskset", "-c", SERVER_CPU, sys.executable, *variant.args]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=subprocess.DEVNULL)
        self.ps = psutil.Process(self.proc.pid)

    def wait_first_201(self) -> float:
        """Seconds from process start to the first 201 (a new order), polling every 2 ms."""
        deadline = self.started + START_TIMEOUT
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.variant.key} exited with {self.proc.returncode} at start-up")
            if _put_once(self.port) == 201:
                return time.perf_counter() - self.started
            time.sleep(0.002)
        raise RuntimeError(f"{self.variant.key}: no 201 within {START_TIMEOUT:g} s")

    def tree(self) -> list[psutil.Process]:
        also = [psutil.Process(pid) for pid in self.variant.also_pids]
        return [self.ps, *self.ps.children(recursive=True), *also]

    def cpu_seconds(self) -> float:
        return sum(sum(p.cpu_times()[:2]) for p in self.tree())

    def rss_mib(self) -> float:
        return sum(p.memory_info().rss for p in self.tree()) / 2**20

    def stored_orders(self) -> int | None:
        if not self.variant.durable:
            return None
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM orders").fetchone()[0]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def cold_start_ms(variant: Variant, bytecode: bool = True) -> float:
    """Start the server, time it to its first 201, stop it (also primes the bytecode cache)."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        server = Server(variant, Path(tmp), bytecode)
        try:
            return round(server.wait_first_201() * 1000, 1)
        finally:
            server.stop()
