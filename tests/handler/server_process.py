"""``python -m handler`` (or a module that runs its ``main()``) as a real process on a free loopback port,
and a reader for one raw HTTP/1.1 response. Shared by the tests that need a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.samples import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, sqlite_path: Path, module: str = "handler", **env: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("HANDLER_", "MONGODB_"))}
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=clean
            | {
                "HANDLER_PORT": str(self.port),
                "HANDLER_SQLITE_PATH": str(sqlite_path),
                "PYTHONUNBUFFERED": "1",
            }
            | env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started = time.monotonic()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"handler exited: {self.process.communicate()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("handler did not come up within 20 s")

    def stop_by_itself(self, timeout: float) -> tuple[int, str, str]:
        """Wait for the process to exit on its own (no signal sent)."""
        out, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, out, err

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


def read_response(conn: socket.socket) -> bytes:
    """One HTTP/1.1 response, with a Content-Length or a chunked body; b"" if the server closed first."""
    data = b""
    while not _complete(data):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _complete(data: bytes) -> bool:
    head, separator, body = data.partition(b"\r\n\r\n")
    if not separator:
        return False
    headers = dict(line.lower().split(b": ", 1) for line in head.split(b"\r\n")[1:])
    if b"content-length" in headers:
        return len(body) >= int(headers[b"content-length"])
    return body.endswith(b"0\r\n\r\n")  # chunked: the last chunk is empty
