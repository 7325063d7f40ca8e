"""Loopback HTTP servers for `send`, `redrive --to-url` and `smoke`: the real handler, and a scripted stub."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from handler.contract import HEALTH_PATH, ORDERS_PATH

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def real_handler(workdir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `python -m handler` on a free loopback port and an SQLite file in `workdir`; yield its URL.

    `env` adds variables (such as the API stage) to the handler's environment.
    """
    port = _free_port()
    env = {
        **os.environ,
        "HANDLER_HOST": "127.0.0.1",
        "HANDLER_PORT": str(port),
        "HANDLER_SQLITE_PATH": str(workdir / "orders.sqlite3"),
        **(env or {}),
    }
    log = workdir / "handler.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "handler"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}{HEALTH_PATH}", process, log)
        yield f"http://127.0.0.1:{port}{ORDERS_PATH}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the handler exited with {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=0.5).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the handler did not answer {url} within 20 s:\n{log.read_text()}")


@dataclass
class Stub:
    """A loopback server answering PUTs from `script` and GETs from `get_script`.

    Each script is (status, body, delay) replies, the last one repeated; GETs without a script get 501.
    """

    url: str = ""
    script: list[tuple[int, str, float]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    get_script: list[tuple[int, str, float]] = field(default_factory=list)
    gets: list[dict[str, Any]] = field(default_factory=list)

    @property
    def base(self) -> str:
        """The server's root URL (no path)."""
        return self.url.removesuffix(ORDERS_PATH)


@contextlib.contextmanager
def stub_server() -> Iterator[Stub]:
    state = Stub()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"headers": dict(self.headers), "body": json.loads(body)})
            self._answer(state.script)

        def do_GET(self) -> None:
            state.gets.append({"path": self.path, "headers": dict(self.headers)})
            self._answer(state.get_script or [(501, '{"error":"no GET script"}', 0.0)])

        def _answer(self, script: list[tuple[int, str, float]]) -> None:
            status, text, delay = script.pop(0) if len(script) > 1 else script[0]
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client timed out
                self.wfile.write(text.encode())

        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}{ORDERS_PATH}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
