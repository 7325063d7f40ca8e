"""The HTTP routes: decode, call the store, map the outcome to a status. Errors map in app.py."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Request, Response, get, put
from litestar.openapi.spec import Operation
from litestar.params import FromPath

from handler import contract
from handler import metrics as m
from handler.errors import OrderConflict, OrderNotFound, OrdersError
from handler.events import OrderEvent, ReceivedOrder, decode_event
from handler.runtime import Runtime
from handler.store.base import EventMetadata, OrderRecord, PutOutcome

_json = msgspec.json.Encoder()
_JSON = "application/json"


class _EventBodyOperation(Operation):
    """Documents the body as an EventBridge event; the handler takes raw bytes to decode strictly."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        schema["requestBody"] = {"required": True, "content": {_JSON: {"schema": _EVENT_SCHEMA}}}
        return schema


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


_EVENT_SCHEMA = _event_schema()


@put(
    contract.ORDERS_PATH,
    operation_class=_EventBodyOperation,
    summary="Store the order carried by one EventBridge CreateOrder event",
    description="201 created, 200 already stored (same content), 409 conflict, 400 invalid, "
    "413 too large, 429 overloaded, 503 store unavailable (retry after).",
)
async def put_order(request: Request) -> Response[bytes]:
    runtime: Runtime = request.app.state.runtime
    started = time.perf_counter()
    # Raw bytes whatever the Content-Type, decoded strictly below rather than coerced by the framework.
    # A body over the limit raises 413 here, which the app's HTTP error handler logs.
    body = await request.body()
    status, event_id, order_id, admitted = 500, None, None, False
    try:
        runtime.admit()
        admitted = True
        received = decode_event(body)
        event_id, order_id = received.event.id, received.order_id
        outcome = await runtime.within_deadline(runtime.store.put(_record(received)))
        if outcome is PutOutcome.CONFLICT:
            runtime.metrics.count(m.CONFLICTS)
            raise OrderConflict(order_id)
        created = outcome is PutOutcome.CREATED
        runtime.metrics.count(m.CREATED if created else m.REPLAYED)
        status = 201 if created else 200
        return Response(
            _json.encode({"order_id": order_id, "status": outcome.value}),
            status_code=status,
            media_type=_JSON,
            headers={"Location": f"{contract.ORDERS_PATH}/{order_id}"},
        )
    except OrdersError as exc:
        status = exc.status_code
        if status == 400:
            runtime.metrics.count(m.REJECTED)
        raise
    finally:
        if admitted:
            runtime.release()
        runtime.log.info(
            "put_order",
            status=status,
            event_id=event_id,
            order_id=order_id,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
        )


def _record(received: ReceivedOrder) -> OrderRecord:
    event = received.event
    return OrderRecord(
        order_id=received.order_id,
        fingerprint=received.fingerprint,
        order=received.detail,
        event=EventMetadata(
            id=event.id,
            source=event.source,
            account=event.account,
            region=event.region,
            time=event.time,
            received_at=datetime.now(UTC),
        ),
    )


class StoredOrderView(msgspec.Struct):
    order_id: str
    order: dict[str, Any]
    event: EventMetadata


@get(f"{contract.ORDERS_PATH}/{{order_id:uuid}}", summary="Read a stored order")
async def get_order(request: Request, order_id: FromPath[uuid.UUID]) -> StoredOrderView:
    runtime: Runtime = request.app.state.runtime
    record = await runtime.within_deadline(runtime.store.get(str(order_id)))
    if record is None:
        raise OrderNotFound(str(order_id))
    return StoredOrderView(order_id=record.order_id, order=record.order, event=record.event)


@get(contract.HEALTH_PATH, summary="Liveness: the process answers (no I/O)")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get(contract.READY_PATH, summary="Readiness: the store answers")
async def readyz(request: Request) -> dict[str, str]:
    runtime: Runtime = request.app.state.runtime
    await runtime.within_deadline(runtime.store.ping())
    return {"status": "ready"}


ROUTES = [put_order, get_order, healthz, readyz]
