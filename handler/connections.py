"""What one client connection may hold: uvicorn's httptools protocol, with deadlines where it has none.

uvicorn arms its keep-alive timer only once a response is complete, and has no read timeout at all
(``uvicorn/protocols/http/httptools_impl.py``: ``connection_made``, ``data_received``,
``on_response_complete``): a connection that sends nothing, or stops halfway through a request's head or
body, stays open for ever. This protocol adds deadlines, and keeps uvicorn's keep-alive as it is:

* a new connection waits for its first request as an idle keep-alive connection waits for its next one:
  ``timeout_keep_alive``, which outlasts the ALB's idle timeout (contract.py), then it is closed. Bytes
  that begin no request (blank lines, which HTTP allows between requests) do not extend that time: a
  client sending only CRLFs is closed when the idle time runs out, as a silent one is;
* a request's head must be whole within the head timeout of its first bytes, and its body within the
  body timeout of its head; otherwise the client is answered 408 (the documented error body, unless an
  answer has begun) and the connection is closed. A deadline is set once: trickling bytes does not
  extend it.

A deadline is armed only when a read leaves a request unfinished, so a request that arrives whole in one
read (what the ALB sends) costs no timer at all: the hot path stays as it was.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import msgspec
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from handler import contract
from handler.answers import ErrorBody
from handler.errors import RequestTimeout
from handler.logs import get_logger


class HttpProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` with deadlines on a request's head and body and on a new connection."""

    head_timeout_seconds: ClassVar[float] = contract.HEAD_TIMEOUT_SECONDS
    body_timeout_seconds: ClassVar[float] = contract.BODY_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        #: What of a request is being read: its "head", its "body", or nothing (None).
        self._reading: str | None = None
        #: When an idle connection is closed (loop time), whatever bytes that begin no request arrive.
        self._idle_until = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_next_request()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._deadline is None and not self.transport.is_closing():
            self._arm_if_unfinished()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._reading = "head"

    def on_headers_complete(self) -> None:
        self._reading = "body"
        self._cancel_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading = None
        self._cancel_deadline()
        if self.cycle.response_complete and not self.pipeline:
            # The rest of a body the app answered without reading: the connection is idle again.
            self._await_next_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.timeout_keep_alive_task is not None:  # uvicorn armed the keep-alive: idle from now
            self._idle_until = self.loop.time() + self.timeout_keep_alive

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def _arm_if_unfinished(self) -> None:
        answering = self.cycle is not None and not self.cycle.response_complete
        if self._reading == "head":
            if not answering:  # (a head pipelined behind an answer waits for it; the keep-alive bounds it)
                self._deadline = self.loop.call_later(self.head_timeout_seconds, self._timed_out, "head")
        elif self._reading == "body":
            self._deadline = self.loop.call_later(self.body_timeout_seconds, self._timed_out, "body")
        elif not answering:
            # Bytes that began no request (a blank line): uvicorn stopped the keep-alive timer. Re-arm it
            # for what is left of the idle time, not afresh, or blank lines would hold the connection.
            self._await_next_request(self._idle_until - self.loop.time())

    def _await_next_request(self, seconds: float | None = None) -> None:
        if seconds is None:
            seconds = self.timeout_keep_alive
            self._idle_until = self.loop.time() + seconds
        self._unset_keepalive_if_required()
        handler = self.timeout_keep_alive_handler
        self.timeout_keep_alive_task = self.loop.call_later(max(0.0, seconds), handler)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _timed_out(self, part: str) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        seconds = self.head_timeout_seconds if part == "head" else self.body_timeout_seconds
        get_logger().warning("request_timeout", part=part, timeout_seconds=seconds, client=self.client)
        cycle = self.cycle if part == "body" else None
        if cycle is None or not cycle.response_started:
            if cycle is not None:
                cycle.disconnected = True  # the app's answer, if it ever comes, is not written
            self.transport.write(_request_timeout(f"The request {part} did not arrive within {seconds:g} s"))
        self.transport.close()


def _request_timeout(message: str) -> bytes:
    body = msgspec.json.encode(ErrorBody(error=RequestTimeout.code, message=message))
    head = (
        f"HTTP/1.1 {RequestTimeout.status_code} Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


def protocol(head_timeout_seconds: float, body_timeout_seconds: float) -> type[HttpProtocol]:
    """The protocol class for uvicorn's ``Config(http=...)``, with these timeouts."""
    timeouts = {"head_timeout_seconds": head_timeout_seconds, "body_timeout_seconds": body_timeout_seconds}
    return type("HttpProtocol", (HttpProtocol,), timeouts)
