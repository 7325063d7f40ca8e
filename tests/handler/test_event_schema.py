"""The committed Draft 4 document is the Structs' (no drift), is Draft 4, and refuses early only what the
handler refuses too (the list docs/producers.md gives)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft4Validator

from handler import contract, event_schema
from handler.errors import InvalidEvent
from handler.events import decode_event
from tests import samples

MODEL = json.loads(contract.EVENT_SCHEMA_PATH.read_text())


def test_the_committed_document_is_the_one_the_structs_generate() -> None:
    # Given the file the Pulumi program and `orders publish` read
    committed = contract.EVENT_SCHEMA_PATH.read_text()
    # Then it is byte for byte what the Structs generate now (a changed rule changes it, and its version)
    assert committed == event_schema.render(), (
        "handler/schema/create-order.draft4.json drifted from the Structs: run "
        "`uv run python -m handler.event_schema` and commit it"
    )


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _nodes(item)]
    if not isinstance(node, dict):
        return []
    children = list(node.get("properties", {}).values()) + [v for k, v in node.items() if k != "properties"]
    return [node, *(found for child in children for found in _nodes(child))]


def test_the_document_is_self_contained_draft_4_with_no_keyword_draft_4_lacks() -> None:
    # Given the document / Then it is a valid Draft 4 schema, declares itself so, and uses no `$ref`,
    # `format`, `const` or `maxLength` on a string (see handler/event_schema.py for why each is left out)
    Draft4Validator.check_schema(MODEL)
    assert MODEL["$schema"] == "http://json-schema.org/draft-04/schema#"
    for node in _nodes(MODEL):
        assert set(node) <= event_schema.DRAFT4_KEYWORDS, node
        assert not (node.get("type") == "string" and "maxLength" in node), node
    assert Draft4Validator(MODEL).is_valid(samples.event())


def _with(change: Any) -> dict[str, Any]:
    event = samples.event()
    change(event)
    return event


def _set(path: str, value: Any) -> Any:
    *parents, last = path.split(".")

    def change(event: dict[str, Any]) -> None:
        node: Any = event
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str) -> Any:
    *parents, last = path.split(".")

    def change(event: dict[str, Any]) -> None:
        node: Any = event
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        del node[last]

    return change


#: What the model refuses before the handler is woken: (case, change to the sample event).
REFUSED_EARLY = {
    "no detail": _drop("detail"),
    "detail not an object": _set("detail", "an order"),
    "unknown detail-type": _set("detail-type", "UpdateOrder"),
    "unknown source": _set("source", "shop"),
    "no id": _drop("id"),
    "resources not a list": _set("resources", "arn"),
    "no order_id": _drop("detail.order_id"),
    "order_id not a UUID": _set("detail.order_id", "order-1"),
    "create_date not a string": _set("detail.create_date", 1700000000),
    "no items": _set("detail.items", []),
    "items not a list": _set("detail.items", {"0": {}}),
    "more than 1000 items": lambda e: e["detail"].update(items=e["detail"]["items"] * 1001),
    "quantity 0": _set("detail.items.0.quantity", 0),
    "quantity as a string": _set("detail.items.0.quantity", "1"),
    "quantity 1.5": _set("detail.items.0.quantity", 1.5),
    "quantity over a million": _set("detail.items.0.quantity", 1_000_001),
    "price as a number": _set("detail.items.0.price", 9.99),
    "price negative": _set("detail.items.0.price", "-1.00"),
    "currency in lower case": _set("detail.items.0.currency", "cad"),
    "no customer": _drop("detail.customer"),
    "empty customer_id": _set("detail.customer.customer_id", ""),
    "no zip_code": _drop("detail.delivery_address.zip_code"),
    "payment_id a number": _set("detail.payment.payment_id", 7),
}


@pytest.mark.parametrize("change", REFUSED_EARLY.values(), ids=REFUSED_EARLY)
def test_the_model_refuses_early_only_what_the_handler_refuses(change: Any) -> None:
    # Given the sample event broken in one way
    event = _with(change)
    # When the model and the handler's decoder each judge it
    model_refuses = not Draft4Validator(MODEL).is_valid(event)
    with pytest.raises(InvalidEvent) as refused:
        decode_event(json.dumps(event).encode())
    # Then both refuse it: the edge answers 400 where the handler would have
    assert model_refuses, f"the model let through what the handler refuses: {refused.value.message}"


@pytest.mark.parametrize("quantity", [1.0, 2e0, 12.0])
def test_a_whole_number_float_quantity_passes_the_model_as_the_handler_takes_it(quantity: float) -> None:
    # Given the sample event with a quantity written as a float, as a producer's encoder may write it
    event = _with(_set("detail.items.0.quantity", quantity))
    body = json.dumps(event).encode()
    # Then the handler takes it as that integer, and the model lets it through (Draft 4's `integer` would not)
    assert decode_event(body) is not None
    assert Draft4Validator(MODEL).is_valid(json.loads(body))


def test_the_producers_doc_lists_every_early_refusal() -> None:
    # Given docs/producers.md / Then each case the model refuses early is named there
    doc = (contract.EVENT_SCHEMA_PATH.parents[2] / "docs" / "producers.md").read_text()
    missing = [case for case in REFUSED_EARLY if case not in doc]
    assert missing == [], f"docs/producers.md does not list: {missing}"


def test_draft_6_keywords_are_translated_and_an_unknown_one_stops_generation() -> None:
    # Given Draft 6+ forms msgspec emits for other constraints
    translated = event_schema._draft4(
        {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10.5, "const": 3, "format": "date"}
    )
    # Then they become Draft 4's: bounds with boolean flags, `enum`, and no `format`
    # (and an integer a multiple of 1: Draft 4's `integer` refuses 1.0, which the decoder takes)
    assert translated == {
        "type": "number",
        "multipleOf": 1,
        "minimum": 0,
        "exclusiveMinimum": True,
        "maximum": 10.5,
        "exclusiveMaximum": True,
        "enum": [3],
    }
    # And a keyword with no decision yet fails generation, naming it
    with pytest.raises(ValueError, match="propertyNames"):
        event_schema._draft4({"type": "object", "propertyNames": {"pattern": "^a"}})
