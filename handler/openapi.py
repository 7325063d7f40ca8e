"""The OpenAPI document: its settings, the error body the routes declare, and PUT /orders' operation.

Litestar documents its HTTP routes from their signatures; PUT /orders is a bare ASGI route
(``routes.put_order``), so its operation is written here and added once the app has started. Its request
body is msgspec's own JSON Schema of ``OrderEvent``, the Struct that decodes it.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, Operation, PathItem, Schema
from litestar.openapi.spec.enums import OpenAPIType

from handler import contract
from handler.answers import ErrorBody
from handler.events import OrderEvent

JSON = "application/json"

CONFIG = OpenAPIConfig(
    title="Order events handler",
    version="1.0.0",
    description="Receives EventBridge CreateOrder events through API Gateway and stores each order "
    "exactly once.",
)


def error_response(description: str) -> ResponseSpec:
    """A documented error answer of an HTTP route."""
    return ResponseSpec(data_container=ErrorBody, description=description, generate_examples=False)


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
        schema["requestBody"] = {"required": True, "content": {JSON: {"schema": _event_schema()}}}
        return schema


_RETRY_AFTER = {"Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="Seconds")}
_LOCATION = {
    "Location": OpenAPIHeader(schema=Schema(type=OpenAPIType.STRING), description="/orders/{order_id}")
}

PUT_ORDER = _EventBodyOperation(
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


def document_put_order(app: Litestar) -> None:
    """Add PUT /orders to the app's OpenAPI document (an ``on_startup`` hook)."""
    schema = app.openapi_schema
    schema.paths = schema.paths or {}
    schema.paths.setdefault(contract.ORDERS_PATH, PathItem()).put = PUT_ORDER
