"""The HTTP routes: PUT /orders (in intake.py, the hot path), reads and health. Errors map in app.py."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Litestar, Request, get
from litestar.openapi.spec import PathItem
from litestar.params import FromPath

from handler import contract
from handler.errors import OrderNotFound
from handler.intake import PUT_ORDER_OPERATION, put_order
from handler.runtime import Runtime
from handler.store.base import EventMetadata


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


def document_put_order(app: Litestar) -> None:
    """Add PUT /orders to the OpenAPI document (Litestar documents HTTP routes only, not ASGI ones)."""
    schema = app.openapi_schema
    schema.paths = schema.paths or {}
    schema.paths.setdefault(contract.ORDERS_PATH, PathItem()).put = PUT_ORDER_OPERATION
