"""The HTTP routes: PUT /orders (in intake.py, the hot path), reads and health. Errors map in app.py.

API Gateway's private integration "includes the stage portion of the API endpoint in the request to
your backend" (AWS, "Private integrations for REST APIs in API Gateway"), so the ALB forwards
``/v1/orders``. The orders routes are therefore mounted twice: at the root (local runs, the OpenAPI
document, ``Location``) and under ``/{stage}`` (what API Gateway sends). Health stays at the root only,
where the ALB and the container health check call it. Both mounts are routes in Litestar's table, so a
request pays nothing for the second one.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Litestar, Request, asgi, get
from litestar.handlers import BaseRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import PathItem
from litestar.params import FromPath

from handler import contract
from handler.errors import OrderNotFound
from handler.gate import Gate
from handler.intake import PUT_ORDER_OPERATION, put_order
from handler.store.base import EventMetadata


class StoredOrderView(msgspec.Struct):
    order_id: str
    order: dict[str, Any]
    event: EventMetadata


async def get_order(request: Request, order_id: FromPath[uuid.UUID]) -> StoredOrderView:
    state = request.app.state
    record = await state.gate.within_deadline(state.store.get(str(order_id)))
    if record is None:
        raise OrderNotFound(str(order_id))
    return StoredOrderView(order_id=record.order_id, order=record.detail, event=record.event)


class ErrorBody(msgspec.Struct):
    error: str
    message: str


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)


_STOPPING = _error("The task is draining before it exits (the database rejected its credentials)")


@get(
    contract.HEALTH_PATH,
    summary="Liveness: the process answers (no I/O), and is not stopping",
    responses={503: _STOPPING},
)
async def healthz(request: Request) -> dict[str, str]:
    gate: Gate = request.app.state.gate
    gate.check_alive()
    return {"status": "ok"}


@get(
    contract.READY_PATH,
    summary="Readiness: the store answers, and the process is not stopping",
    responses={503: _error("The store is unavailable or slow, or the task is stopping")},
)
async def readyz(request: Request) -> dict[str, str]:
    gate: Gate = request.app.state.gate
    gate.check_alive()
    await gate.within_deadline(request.app.state.store.ping())
    return {"status": "ready"}


def route_handlers(api_stage: str) -> list[BaseRouteHandler]:
    """The app's handlers: the orders routes at the root and under ``/{api_stage}``, health at the root.

    Built per app, since the stage is a setting. The staged copies stay out of the OpenAPI document:
    they are the same operations, and an operation id may appear only once there.
    """
    handlers: list[BaseRouteHandler] = []
    for prefix, documented in (("", True), (f"/{api_stage}", False)):
        orders = f"{prefix}{contract.ORDERS_PATH}"
        handlers.append(asgi(orders, copy_scope=False)(put_order))
        handlers.append(
            get(f"{orders}/{{order_id:uuid}}", summary="Read a stored order", include_in_schema=documented)(
                get_order
            )
        )
    return [*handlers, healthz, readyz]


def document_put_order(app: Litestar) -> None:
    """Add PUT /orders to the OpenAPI document (Litestar documents HTTP routes only, not ASGI ones)."""
    schema = app.openapi_schema
    schema.paths = schema.paths or {}
    schema.paths.setdefault(contract.ORDERS_PATH, PathItem()).put = PUT_ORDER_OPERATION
