"""The JSON Schemas of the Structs on the wire, for the OpenAPI document's components: msgspec's own,
plus the decoder's rules that msgspec cannot see (storable.py) where JSON Schema can state them.
"""

from __future__ import annotations

from typing import Any

import msgspec

from handler import storable
from handler.answers import ErrorBody, Health, PutAnswer, StoredOrderView
from handler.events import OrderEvent
from handler.ids import UUID_FORMS

REF = "#/components/schemas/{name}"


def components() -> dict[str, Any]:
    """Every Struct on the wire, as JSON Schema, by name."""
    _, schemas = msgspec.json.schema_components(
        [OrderEvent, PutAnswer, StoredOrderView, Health, ErrorBody], ref_template=REF
    )
    # Every object under `detail`, typed or not, keeps the decoder's field-name rule, and its unknown
    # fields are any JSON that keeps it too (storable.py).
    for name in _reachable(schemas, "Order"):
        schemas[name]["propertyNames"] = {"$ref": REF.format(name="FieldName")}
        schemas[name]["additionalProperties"] = {"$ref": REF.format(name="DetailValue")}
    schemas["Order"]["description"] += " " + storable.UNSTATED_DEPTH
    schemas["FieldName"] = {
        "description": "A field name under `detail`: not starting with `$`, and no `.` or NUL in it",
        "type": "string",
        "pattern": storable.FIELD_NAME,
    }
    schemas["DetailValue"] = {
        "description": f"Any JSON value, stored as sent. {storable.UNSTATED_INT64}",
        "propertyNames": {"$ref": REF.format(name="FieldName")},
        "additionalProperties": {"$ref": REF.format(name="DetailValue")},
        "items": {"$ref": REF.format(name="DetailValue")},
    }
    # A GET answers the detail as stored, which is an `Order` (it was one when it came in).
    schemas["StoredOrderView"]["properties"]["order"] = {"$ref": REF.format(name="Order")}
    _walk(schemas, _as_decoded)
    return schemas


def _as_decoded(node: dict[str, Any]) -> None:
    if node.get("format") == "uuid":
        # msgspec's UUID decoder also takes upper case and no dashes, which JSON Schema's format refuses.
        del node["format"]
        node["pattern"] = UUID_FORMS
        node["description"] = "A UUID: 32 hex digits, any case, with or without dashes (answered canonical)"
    if "default" in node and node["default"] is None:
        # An absent default says the same, and Litestar's serialiser drops keys whose value is null.
        del node["default"]


def _walk(node: Any, visit: Any) -> None:
    if isinstance(node, dict):
        visit(node)
        for child in node.values():
            _walk(child, visit)
    elif isinstance(node, list):
        for child in node:
            _walk(child, visit)


def _reachable(schemas: dict[str, Any], name: str) -> set[str]:
    found: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        ref = node.get("$ref", "")
        target = ref.rsplit("/", 1)[-1]
        if ref and target not in found:
            found.add(target)
            _walk(schemas[target], visit)

    visit({"$ref": REF.format(name=name)})
    return found
