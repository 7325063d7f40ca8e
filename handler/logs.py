"""Structured JSON logs on stdout: one line per request outcome, and the server's own lines too.

Each line is one JSON object: the event name, its fields, ``level`` and a UTC ``timestamp``. The
encoding is msgspec's, and it is done here rather than by structlog: importing structlog (and the rich
console it loads) took about 140 ms of the service's ~330 ms cold start, measured with -X importtime.

Request lines are batched: each event-loop turn's lines leave in one write, instead of one write and
flush per line (measured with bench/: the per-line flush was about 10 % of a request's CPU). A line is
written in the loop turn it was logged in, so a kill -9 can lose at most that turn's lines.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
import traceback
from typing import Any, TextIO

import msgspec

_encoder = msgspec.json.Encoder(enc_hook=str)


class _LoopBatchedWriter:
    """Writes the lines of one event-loop turn together; outside a loop, at once.

    The stream is looked up when writing (``sys.stdout`` by default), so a redirect made after import
    is honoured.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lines: list[str] = []
        self._scheduled = False

    def write(self, line: str) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop here (start-up, shutdown, another thread): write at once
            self._emit(line + "\n")
            return
        self._lines.append(line)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self.flush)

    def write_now(self, line: str) -> None:
        """Write ``line`` at once, after whatever this thread's loop has batched (order kept)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # not the loop's thread: leave the loop's batch to the loop
            self._emit(line + "\n")
            return
        self._lines.append(line)
        self.flush()

    def flush(self) -> None:
        """Write the batch (called by the loop; and at shutdown, from the loop's thread)."""
        self._scheduled = False
        if self._lines:
            text, self._lines = "\n".join(self._lines) + "\n", []
            self._emit(text)

    def _emit(self, text: str) -> None:
        stream = self._stream or sys.stdout
        stream.write(text)
        stream.flush()


class _UtcClock:
    """ISO 8601 UTC timestamps with microseconds; the date and time are formatted once per second."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def now(self, at: float | None = None) -> str:
        at = time.time() if at is None else at
        second = int(at)
        if second != self._second:
            self._second, self._prefix = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._prefix}.{int((at - second) * 1e6):06d}Z"


_writer = _LoopBatchedWriter()
_clock = _UtcClock()


def _line(event: str, level: str, fields: dict[str, Any], at: float | None = None) -> str:
    fields["event"] = event
    fields["level"] = level
    fields["timestamp"] = _clock.now(at)
    return _encoder.encode(fields).decode()


class JsonLogger:
    """``log.info("put_order", status=201, ...)``: one JSON line with those fields."""

    def __init__(self) -> None:
        self.level = logging.INFO

    def info(self, event: str, **fields: Any) -> None:
        if self.level <= logging.INFO:
            _writer.write(_line(event, "info", fields))

    def warning(self, event: str, **fields: Any) -> None:
        if self.level <= logging.WARNING:
            _writer.write(_line(event, "warning", fields))

    def error(self, event: str, **fields: Any) -> None:
        _writer.write(_line(event, "error", fields))

    def exception(self, event: str, **fields: Any) -> None:
        """Log at error level with the traceback of the exception being handled."""
        fields["exception"] = traceback.format_exc()
        _writer.write(_line(event, "error", fields))


class _JsonHandler(logging.Handler):
    """Writes the standard library's records (uvicorn's start-up, shutdown and errors) at once.

    Not batched: they are few, and uvicorn's last lines come after the loop has run for the last time
    (it re-raises SIGTERM once shut down), so a batched line would never be written.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            _writer.write_now(self.format(record))
        except Exception:  # a logging failure must not break the request that logged
            self.handleError(record)


class _JsonFormatter(logging.Formatter):
    """A standard-library record as one of our JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {"logger": record.name}
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return _line(record.getMessage(), record.levelname.lower(), fields, record.created)


_logger = JsonLogger()


def configure(level: str = "INFO") -> None:
    """Set the level, and send stdlib logging (uvicorn, litestar) through the same JSON lines."""
    _logger.level = logging.getLevelName(level)
    handler = _JsonHandler()
    handler.setFormatter(_JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


def flush() -> None:
    """Write what is batched now (at shutdown, before the process exits)."""
    _writer.flush()


def get_logger() -> JsonLogger:
    return _logger
