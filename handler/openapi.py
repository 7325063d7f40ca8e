"""The OpenAPI document, generated from the Structs that decode and encode (the event in events.py, the
answers in answers.py) and from the errors each operation can raise (errors.py: status, code, headers).

Every operation lists every status it can answer, with the body's schema and the headers. Litestar serves
the document (``/schema``) but writes none of it: no route is in Litestar's own schema, and ``install``
puts this one in place at start-up. The staged copies of the orders routes stay out (same operations).
Where JSON Schema can state a rule the decoder enforces, the request schema states it; where it cannot,
a description says so in one line (schemas.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi import OpenAPIConfig

from handler import contract, errors, schemas
from handler.answers import CanonicalId, ErrorBody, Health, PutAnswer, StoredOrderView
from handler.ids import UUID_FORMS
from handler.schemas import REF

JSON = "application/json"

CONFIG = OpenAPIConfig(
    title="Order events handler",
    version="1.0.0",
    description="Receives EventBridge CreateOrder events through API Gateway and stores each order "
    "exactly once.",
)


@dataclass(frozen=True)
class Success:
    """A 2xx answer: its body's Struct, the values a field has at this status, and its headers."""

    body: type
    description: str
    narrow: dict[str, list[Any]] = field(default_factory=dict)
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    successes: dict[int, Success]
    #: Every refusal it can answer; each error class carries its status, code and headers.
    errors: tuple[type[errors.OrdersError], ...]
    description: str | None = None
    #: Other fields of the operation object, as they are (``requestBody``, ``parameters``).
    extra: dict[str, Any] = field(default_factory=dict)


_CANONICAL = msgspec.json.schema(CanonicalId)["pattern"].strip("^$")
_HEADERS = {
    "Location": {
        "description": "The order's path, its id canonical",
        "required": True,
        "schema": {"type": "string", "pattern": f"^{contract.ORDERS_PATH}/{_CANONICAL}$"},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "Connection": {
        "description": "The server closes the connection after this answer",
        "required": True,
        "schema": {"const": "close"},
    },
}
_STORED = ("Location",)
_EVENT_BODY = {"required": True, "content": {JSON: {"schema": {"$ref": REF.format(name="OrderEvent")}}}}
_ORDER_ID = {
    "name": "order_id",
    "in": "path",
    "required": True,
    "description": "The order's id in any form a PUT accepts; answered in the canonical one",
    "schema": {"type": "string", "pattern": UUID_FORMS},
}

OPERATIONS = (
    Operation(
        "put",
        contract.ORDERS_PATH,
        "PutOrder",
        "Store the order carried by one EventBridge CreateOrder event",
        {
            201: Success(
                PutAnswer, "Stored for the first time (committed)", {"status": ["created"]}, _STORED
            ),
            200: Success(
                PutAnswer, "Already stored with this content: a replay", {"status": ["duplicate"]}, _STORED
            ),
        },
        (
            errors.InvalidEvent,
            errors.RequestTimeout,
            errors.OrderConflict,
            errors.BodyTooLarge,
            errors.Overloaded,
            errors.StoreUnavailable,
            errors.Unexpected,
        ),
        "2xx: done. 429 and 5xx: EventBridge retries for up to 24 h. Any other 4xx: not retried, the event "
        "goes to the dead-letter queue. The body is read as bytes whatever its Content-Type, at most "
        f"{contract.MAX_EVENT_BYTES} bytes.",
        {"requestBody": _EVENT_BODY},
    ),
    Operation(
        "get",
        f"{contract.ORDERS_PATH}/{{order_id}}",
        "GetOrder",
        "Read a stored order",
        {200: Success(StoredOrderView, "The order as stored, and the event that carried it")},
        (errors.InvalidOrderId, errors.OrderNotFound, errors.StoreUnavailable, errors.Unexpected),
        extra={"parameters": [_ORDER_ID]},
    ),
    Operation(
        "get",
        contract.HEALTH_PATH,
        "Healthz",
        "Liveness: the process answers (no I/O), and is not stopping",
        {200: Success(Health, "Alive", {"status": ["ok"]})},
        (errors.Stopping, errors.Unexpected),
    ),
    Operation(
        "get",
        contract.READY_PATH,
        "Readyz",
        "Readiness: the store answers, and the process is not stopping",
        {200: Success(Health, "Ready", {"status": ["ready"]})},
        (errors.Stopping, errors.StoreUnavailable, errors.Unexpected),
    ),
)


@functools.cache
def document() -> dict[str, Any]:
    """The document's paths and component schemas (what ``install`` puts in place)."""
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = _operation(operation)
    return {"paths": paths, "components": {"schemas": schemas.components()}}


def install(app: Litestar) -> None:
    """Put the document in place of Litestar's, which documents no route (an ``on_startup`` hook)."""
    schema = app.openapi_schema
    schema.paths = document()["paths"]
    schema.components.schemas = document()["components"]["schemas"]


def _operation(operation: Operation) -> dict[str, Any]:
    responses = {str(status): _success(success) for status, success in operation.successes.items()}
    by_status: dict[int, list[type[errors.OrdersError]]] = {}
    for error in operation.errors:
        by_status.setdefault(error.status_code, []).append(error)
    responses |= {str(status): _refusal(classes) for status, classes in sorted(by_status.items())}
    described = {"description": operation.description} if operation.description else {}
    return {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        **described,
        **operation.extra,
        "responses": responses,
    }


def _success(success: Success) -> dict[str, Any]:
    return {
        "description": success.description,
        "headers": {name: _HEADERS[name] for name in success.headers},
        "content": {JSON: {"schema": _narrowed(success.body, success.narrow)}},
    }


def _refusal(classes: list[type[errors.OrdersError]]) -> dict[str, Any]:
    (names,) = {error.header_names for error in classes}  # one status, one set of headers
    return {
        "description": " ".join(_summary(error) for error in classes),
        "headers": {name: _HEADERS[name] for name in names},
        "content": {JSON: {"schema": _narrowed(ErrorBody, {"error": [e.code for e in classes]})}},
    }


def _summary(error: type[errors.OrdersError]) -> str:
    # The first paragraph of the error's docstring, on one line.
    return " ".join((error.__doc__ or "").split("\n\n")[0].split())


def _narrowed(struct: type, values: dict[str, list[Any]]) -> dict[str, Any]:
    # The Struct's schema, with the values some of its fields take at this status.
    ref = {"$ref": REF.format(name=struct.__name__)}
    if not values:
        return ref
    return {"allOf": [ref, {"properties": {name: {"enum": v} for name, v in values.items()}}]}
