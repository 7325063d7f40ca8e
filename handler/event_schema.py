"""The CreateOrder event as JSON Schema Draft 4, generated from the Structs that decode it (events.py).

One document serves twice: API Gateway's model on ``PUT /orders`` (its request validator refuses a body
that breaks it with 400, before any integration runs) and the schema EventBridge's Schema Registry
publishes to producers. It is committed (``contract.EVENT_SCHEMA_PATH``) so that the Pulumi program and
the ``orders`` CLI read it without loading msgspec; ``tests/handler/test_event_schema.py`` fails when the
committed file drifts from ``document()``. Regenerate it with ``python -m handler.event_schema``.

The edge must never be stricter than the handler, so every rule is one that any Draft 4 validator reads
the same way as the decoder, and the rest is left to the handler:

- ``format`` is dropped: the decoder's timestamps are wider than ``date-time`` (a space for the ``T``, an
  offset without its colon), and a UUID is any of ``ids.UUID_FORMS``, stated as a pattern instead.
- ``maxLength`` is dropped: the decoder counts code points; a validator counting UTF-16 units (as a
  JVM's strings do) would refuse a long string of emoji the handler stores. ``minLength`` stays: a
  non-empty string is non-empty in either count.
- the ``detail``'s storable rules (field names, depth, 64-bit integers; storable.py) have no Draft 4
  keyword (``propertyNames`` is Draft 6).
- ``integer`` becomes a number that is a multiple of 1: the decoder takes a whole-number float (1.0) as
  its integer, as JSON Schema from Draft 6 on counts it, but Draft 4's ``integer`` is "a JSON number
  without a fraction or exponent part" and refuses 1.0.
- ``const`` becomes ``enum``; a numeric ``exclusiveMinimum``/``exclusiveMaximum`` (Draft 6) becomes
  Draft 4's ``minimum`` with the boolean beside it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import msgspec

from handler import contract, storable
from handler.events import OrderEvent, Text
from handler.ids import UUID_FORMS

DRAFT4 = "http://json-schema.org/draft-04/schema#"

#: Every keyword the generated document may hold. A keyword msgspec starts to emit that is not here
#: fails generation, so each new one gets a decision (kept, translated or left to the handler).
DRAFT4_KEYWORDS = frozenset(
    {
        "$schema", "title", "description", "type", "properties", "required", "items", "enum", "anyOf",
        "pattern", "minLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minItems", "maxItems", "multipleOf",
    }
)  # fmt: skip

_UNSTATED = (
    "Rules this schema leaves to the handler (answered 400 there): a field name under `detail` starting "
    f"with `$` or holding `.` or NUL, nesting deeper than {storable.MAX_DEPTH} levels, an integer beyond "
    f"64 bits, a string longer than {Text.__metadata__[0].max_length} characters, a timestamp that is not "
    "RFC 3339 with an offset."
)


def document() -> dict[str, Any]:
    """The event's schema: Draft 4, self-contained (no ``$ref``), every rule one the decoder enforces."""
    generated = msgspec.json.schema(OrderEvent)
    definitions = generated["$defs"]
    root = _draft4(_inline(generated, definitions))
    return {
        "$schema": DRAFT4,
        "title": contract.DETAIL_TYPE,
        **{k: v for k, v in root.items() if k != "title"},
        "description": f"{root['description']} {_UNSTATED}",
    }


def render() -> str:
    """The document as committed: sorted keys, two-space indent, one final newline (stable bytes, so
    the registry's version changes only when a rule does)."""
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
        return {k: _inline(v, definitions) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    return node


def _draft4(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = _translated(node)
    unknown = set(out) - DRAFT4_KEYWORDS
    if unknown:
        raise ValueError(f"no Draft 4 translation for {sorted(unknown)} in {node}")
    # `properties` maps field names (not keywords) to schemas.
    return {
        k: ({name: _draft4(child) for name, child in v.items()} if k == "properties" else _draft4(v))
        for k, v in out.items()
    }


def _translated(node: dict[str, Any]) -> dict[str, Any]:
    """One schema node's own keywords in Draft 4's words (the module docstring says why each)."""
    out = dict(node)
    if out.pop("format", None) == "uuid":
        out["pattern"] = UUID_FORMS
    if out.get("type") == "string":
        out.pop("maxLength", None)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if out.get("type") == "integer":
        out["type"], out["multipleOf"] = "number", 1
    for bound, keyword in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), int | float) and not isinstance(out[bound], bool):
            out[keyword], out[bound] = out[bound], True
    if "default" in out and out["default"] is None:
        del out["default"]
    return out


if __name__ == "__main__":
    contract.EVENT_SCHEMA_PATH.write_text(render())
    print(f"wrote {contract.EVENT_SCHEMA_PATH}", file=sys.stderr)
