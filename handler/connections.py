"""What one client connection may hold: uvicorn's httptools protocol, with deadlines where it has none.

uvicorn arms its keep-alive timer only once a response is complete, and has no timeout on a request's
head (``uvicorn/protocols/http/httptools_impl.py``: ``connection_made``, ``data_received``,
``on_response_complete``): a connection that sends nothing, or stops halfway through a head, stays open
for ever. This protocol adds two deadlines, and keeps uvicorn's keep-alive as it is:

* a new connection waits for its first request as an idle keep-alive connection waits for its next one:
  ``timeout_keep_alive``, which outlasts the ALB's idle timeout (contract.py), then it is closed;
* once a request's first bytes arrive, its whole head must arrive within the head timeout, or the client
  is answered 408 and the connection closed. The deadline is set by the first byte: trickling bytes
  does not extend it.

A request's body is bounded in the app (routes.py), which answers 408 in the documented shape.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

import msgspec
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from handler import contract
from handler.answers import ErrorBody
from handler.errors import RequestTimeout


class HttpProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` with a deadline on each request's head and on a new connection's silence."""

    head_timeout_seconds: ClassVar[float] = contract.HEAD_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_next_request()

    def data_received(self, data: bytes) -> None:
        # Bytes while no request is in progress begin a head (uvicorn then stops the keep-alive timer).
        if self._head_deadline is None and (self.cycle is None or self.cycle.response_complete):
            self._head_deadline = self.loop.call_later(self.head_timeout_seconds, self._head_timed_out)
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._cancel_head_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        if self.cycle.response_complete and not self.pipeline:
            # The rest of a body the app answered without reading: the connection is idle again.
            self._cancel_head_deadline()
            self._await_next_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def _await_next_request(self) -> None:
        self._unset_keepalive_if_required()
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing():
            return
        message = f"The request head did not arrive within {self.head_timeout_seconds:g} s"
        body = msgspec.json.encode(ErrorBody(error=RequestTimeout.code, message=message))
        head = (
            "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self.transport.close()


def protocol(head_timeout_seconds: float) -> type[HttpProtocol]:
    """The protocol class for uvicorn's ``Config(http=...)``, with this head timeout."""
    return type("HttpProtocol", (HttpProtocol,), {"head_timeout_seconds": head_timeout_seconds})
