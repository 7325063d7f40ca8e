"""PUT /orders ahead of Litestar's router and middleware: the hot path, dispatched by the app itself.

Measured with ``bench.profile`` (py-spy, stages in bench/stages.py), Litestar's ``__call__``, exception
middleware, router and send wrapper cost the in-memory handler about 15 us of its ~125 us per PUT.
``OrdersApp`` is the Litestar app, so every other route, the lifespan and the OpenAPI document are as
before; only a PUT to one of the orders paths goes straight to ``routes.put_order``, and what that raises
is answered here as the app's exception handlers (app.py) answer it: the same status, body and headers.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.exceptions import HTTPException
from litestar.types import Receive, Scope, Send

from handler import contract, routes
from handler.answers import ErrorBody
from handler.errors import OrdersError, Unexpected
from handler.logs import get_logger

_json = msgspec.json.Encoder()


class OrdersApp(Litestar):
    """A Litestar app that serves ``PUT`` on ``orders_paths`` itself (see the module's docstring)."""

    def __init__(self, *, orders_paths: frozenset[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.orders_paths = orders_paths

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "PUT" and scope["path"] in self.orders_paths:
            scope["app"] = scope["litestar_app"] = self
            await _put(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def _put(scope: Scope, receive: Receive, send: Send) -> None:
    try:
        await routes.put_order(scope, receive, send)
    except OrdersError as exc:
        await _answer(send, exc.status_code, exc.body(), exc.headers)
    except HTTPException as exc:  # as app._http_error: a disconnect mid-body (400)
        log = get_logger()
        log.info("http_error", status=exc.status_code, method=scope["method"], path=scope["path"])
        await _answer(send, exc.status_code, ErrorBody(error="http_error", message=exc.detail), exc.headers)
    except Exception:  # as app._unexpected
        get_logger().exception("unhandled_error", method=scope["method"], path=scope["path"])
        error = Unexpected("Internal error; it has been logged")
        await _answer(send, error.status_code, error.body(), error.headers)


async def _answer(send: Send, status: int, body: ErrorBody, headers: dict[str, str] | None) -> None:
    payload = _json.encode(body)
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    head += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": payload})


def orders_paths(api_stage: str) -> frozenset[str]:
    """The paths PUT /orders is served on: at the root and under the API stage (routes.py says why)."""
    return frozenset({contract.ORDERS_PATH, f"/{api_stage}{contract.ORDERS_PATH}"})
