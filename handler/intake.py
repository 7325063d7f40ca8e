"""PUT /orders, the hot path, as a bare ASGI route (``routes.py`` mounts it, at the root and under the
API stage).

Measured with bench/ (py-spy): about a third of each request went to Litestar's Request, signature
and Response machinery. This route reads the body and sends the answer itself; everything else is
as in any route: errors raise, and the app's exception handlers render them. Its OpenAPI operation
is written here too, since Litestar documents only HTTP routes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar.exceptions import HTTPException, MethodNotAllowedException
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, Operation, Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.status_codes import HTTP_413_REQUEST_ENTITY_TOO_LARGE
from litestar.types import Receive, Scope, Send

from handler import contract
from handler import metrics as m
from handler.errors import OrderConflict, OrdersError
from handler.events import OrderEvent, ReceivedOrder, decode_event
from handler.gate import Gate
from handler.store.base import EventMetadata, OrderRecord, PutOutcome

_json = msgspec.json.Encoder()
_JSON = "application/json"
_CONTENT_TYPE = (b"content-type", _JSON.encode())
#: The 2xx body's ``status``. The HTTP contract predates the name REPLAYED and keeps "duplicate".
_STATUS = {PutOutcome.CREATED: "created", PutOutcome.REPLAYED: "duplicate"}


async def put_order(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["method"] != contract.ORDERS_METHOD:
        raise MethodNotAllowedException(headers={"Allow": contract.ORDERS_METHOD})
    state = scope["app"].state
    gate: Gate = state.gate
    started = time.perf_counter()
    # Raw bytes whatever the Content-Type, decoded strictly below rather than coerced by a framework.
    # A body over the limit raises 413 here, which the app's HTTP error handler renders and logs.
    body = await _read_body(receive)
    status, event_id, order_id, admitted = 500, None, None, False
    try:
        gate.admit()
        admitted = True
        received = decode_event(body)
        event_id, order_id = received.event.id, received.order_id
        outcome = await gate.within_deadline(state.store.put(_record(received)))
        if outcome is PutOutcome.CONFLICT:
            gate.metrics.count(m.CONFLICTS)
            raise OrderConflict(order_id)
        created = outcome is PutOutcome.CREATED
        gate.metrics.count(m.CREATED if created else m.REPLAYED)
        status = 201 if created else 200
        location = f"{contract.ORDERS_PATH}/{order_id}".encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [_CONTENT_TYPE, (b"location", location)],
            }
        )
        await send(
            {
                "type": "http.response.body",
                "body": _json.encode({"order_id": order_id, "status": _STATUS[outcome]}),
            }
        )
    except OrdersError as exc:
        status = exc.status_code
        if status == 400:
            gate.metrics.count(m.REJECTED)
        raise
    finally:
        if admitted:
            gate.release()
        gate.log.info(
            "put_order",
            status=status,
            event_id=event_id,
            order_id=order_id,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise HTTPException(status_code=400, detail="Client disconnected before sending the body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > contract.MAX_EVENT_BYTES:  # EventBridge's own event limit: no real event is bigger
            raise HTTPException(
                status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE, detail="Request Entity Too Large"
            )
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _record(received: ReceivedOrder) -> OrderRecord:
    event = received.event
    return OrderRecord(
        order_id=received.order_id,
        fingerprint=received.fingerprint,
        detail=received.detail,
        event=EventMetadata(
            id=event.id,
            source=event.source,
            account=event.account,
            region=event.region,
            time=event.time,
            received_at=datetime.now(UTC),
        ),
    )


# --- OpenAPI -------------------------------------------------------------------------------------


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return node


def _event_schema() -> dict[str, Any]:
    # msgspec's JSON Schema, with its local "#/$defs/..." references inlined so that it reads
    # correctly inside the OpenAPI document (the types are not recursive).
    schema = msgspec.json.schema(OrderEvent)
    return _inline_refs(schema, schema.pop("$defs"))


class _EventBodyOperation(Operation):
    """An operation whose request body is the EventBridge event, in msgspec's own JSON Schema."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        schema["requestBody"] = {"required": True, "content": {_JSON: {"schema": _event_schema()}}}
        return schema


_RETRY_AFTER = {"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="Seconds")}
_LOCATION = {
    "Location": OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING), description="/orders/{order_id}")
}

PUT_ORDER_OPERATION = _EventBodyOperation(
    operation_id="PutOrder",
    summary="Store the order carried by one EventBridge CreateOrder event",
    description="2xx: done. 429 and 5xx: EventBridge retries for up to 24 h. Any other 4xx: not retried, "
    "the event goes to the dead-letter queue.",
    responses={
        "201": OpenAPIResponse(description="Stored for the first time (committed)", headers=_LOCATION),
        "200": OpenAPIResponse(description="Already stored with the same content", headers=_LOCATION),
        "400": OpenAPIResponse(description="Not a valid CreateOrder event; the body names the field path"),
        "409": OpenAPIResponse(description="The order id is stored with different content"),
        "413": OpenAPIResponse(description="Body over 256 KiB"),
        "429": OpenAPIResponse(description="Too many requests in flight", headers=_RETRY_AFTER),
        "503": OpenAPIResponse(description="The store is unavailable or slow", headers=_RETRY_AFTER),
    },
)
