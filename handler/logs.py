"""Structured JSON logs on stdout: one line per request outcome, and the server's own lines too.

Request lines are batched: each event-loop turn's lines leave in one write, instead of one write and
flush per line (measured with bench/: the per-line flush was about 10 % of a request's CPU). A line is
written within the same loop turn it was logged in, so little sits in memory; a kill -9 can lose at most
that turn's lines.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any, TextIO

import msgspec
import structlog

_encoder = msgspec.json.Encoder(enc_hook=str)


def _dumps(event: dict[str, Any], **_: Any) -> str:
    return _encoder.encode(event).decode()


class _LoopBatchedWriter:
    """A structlog logger that writes the lines of one event-loop turn together."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lines: list[str] = []
        self._scheduled = False

    def msg(self, line: str) -> None:
        self._lines.append(line)
        if self._scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (start-up, shutdown, a thread): write now
            self.flush()
            return
        self._scheduled = True
        loop.call_soon(self.flush)

    def flush(self) -> None:
        self._scheduled = False
        if self._lines:
            text, self._lines = "\n".join(self._lines) + "\n", []
            self._stream.write(text)
            self._stream.flush()

    debug = info = warning = warn = error = critical = exception = log = msg


_writer = _LoopBatchedWriter(sys.stdout)


class _UtcTimestamp:
    """Like structlog's ISO TimeStamper, but formats the date and time once per second, not per line."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, _: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second, self._prefix = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        event["timestamp"] = f"{self._prefix}.{int((now - second) * 1e6):06d}Z"
        return event


def configure(level: str = "INFO") -> None:
    """Send structlog and stdlib logging (uvicorn, litestar) through one JSON renderer."""
    shared: list[Any] = [structlog.processors.add_log_level, _UtcTimestamp()]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, structlog.processors.JSONRenderer(_dumps)],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=lambda *_: _writer,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(_dumps),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def flush() -> None:
    """Write what is batched now (at shutdown, before the process exits)."""
    _writer.flush()


def get_logger() -> Any:
    return structlog.get_logger("handler")
