"""The HTTP routes, thin: PUT /orders (a bare ASGI route, the hot path), reads, and health.

What a PUT does is ``orders.Orders.put``; refusals raise, and the app's exception handlers (app.py)
render them. PUT /orders is bare ASGI because, measured with bench/ (py-spy), about a third of each
request went to Litestar's Request, signature and Response machinery: this route reads the body and
sends the answer itself. Every route's OpenAPI operation is in openapi.py.

API Gateway's private integration "includes the stage portion of the API endpoint in the request to
your backend" (AWS, "Private integrations for REST APIs in API Gateway"), so the ALB forwards
``/v1/orders``. The orders routes are therefore mounted twice: at the root (local runs, the OpenAPI
document, ``Location``) and under ``/{stage}`` (what API Gateway sends). Health stays at the root only,
where the ALB and the container health check call it. Both mounts are routes in Litestar's table, so a
request pays nothing for the second one.
"""

from __future__ import annotations

import time

from litestar import Request, asgi, get
from litestar.exceptions import HTTPException, MethodNotAllowedException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath
from litestar.types import Receive, Scope, Send

from handler import contract
from handler.answers import Health, StoredOrderView
from handler.errors import BodyTooLarge, OrderNotFound
from handler.gate import Gate
from handler.ids import canonical_order_id
from handler.openapi import JSON
from handler.orders import Orders

_CONTENT_TYPE = (b"content-type", JSON.encode())


async def put_order(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["method"] != contract.ORDERS_METHOD:
        raise MethodNotAllowedException(headers={"Allow": contract.ORDERS_METHOD})
    orders: Orders = scope["app"].state.orders
    started = time.perf_counter()
    # Raw bytes whatever the Content-Type, decoded strictly by the orders logic rather than coerced by
    # a framework. A body over the limit raises 413 here, which the app renders. A body that stalls is
    # answered 408 by the connection (connections.py), and this request sees a disconnect.
    answer = await orders.put(await _read_body(receive), started)
    # Content-Length, so that the answer is framed for HTTP/1.0 as well: without it uvicorn sends
    # `transfer-encoding: chunked`, which RFC 9112 (6.1) forbids in an answer to an HTTP/1.0 request.
    headers = [
        _CONTENT_TYPE,
        (b"content-length", str(len(answer.body)).encode()),
        (b"location", answer.location.encode()),
    ]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            # Nobody reads this answer: the client left, or its body timed out (connections.py).
            raise HTTPException(status_code=400, detail="The connection closed before the whole body came")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > contract.MAX_EVENT_BYTES:  # EventBridge's own event limit: no real event is bigger
            raise BodyTooLarge(f"The body is over {contract.MAX_EVENT_BYTES} bytes, EventBridge's limit")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def get_order(request: Request, order_id: FromPath[str]) -> StoredOrderView:
    # Parsed here rather than by a `uuid` path type, so that it accepts exactly the forms a PUT does and a
    # malformed id answers 400, not a route-not-found 404.
    key = canonical_order_id(order_id)
    state = request.app.state
    record = await state.gate.within_deadline(state.store.get(key))
    if record is None:
        raise OrderNotFound(key)
    return StoredOrderView(order_id=record.order_id, order=record.detail, event=record.event)


@get(contract.HEALTH_PATH, include_in_schema=False)
async def healthz(request: Request) -> Health:
    gate: Gate = request.app.state.gate
    gate.check_alive()
    return Health(status="ok")


@get(contract.READY_PATH, include_in_schema=False)
async def readyz(request: Request) -> Health:
    gate: Gate = request.app.state.gate
    gate.check_alive()
    await gate.within_deadline(request.app.state.store.ping())
    return Health(status="ready")


def route_handlers(api_stage: str) -> list[BaseRouteHandler]:
    """The app's handlers: the orders routes at the root and under ``/{api_stage}``, health at the root.

    Built per app, since the stage is a setting. None is in Litestar's OpenAPI schema: openapi.py writes
    the document, which lists the root paths only (the staged copies are the same operations).
    """
    handlers: list[BaseRouteHandler] = []
    for prefix in ("", f"/{api_stage}"):
        orders = f"{prefix}{contract.ORDERS_PATH}"
        handlers.append(asgi(orders, copy_scope=False, include_in_schema=False)(put_order))
        handlers.append(get(f"{orders}/{{order_id:str}}", include_in_schema=False)(get_order))
    return [*handlers, healthz, readyz]
