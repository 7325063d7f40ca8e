"""The edge is never stricter than the handler (hypothesis): every body the decoder accepts, the Draft 4
model API Gateway validates with accepts too.

The bodies are the ones that tie the OpenAPI document to the decoder (test_schema_agrees.py), plus
Unicode text, large decimals and many items. API Gateway's validator is its own Draft 4 implementation,
so the model is read two ways, and must accept under both: jsonschema's Draft 4 (patterns as Python's
`re`, whose `$` also matches before a final newline) and Draft 4 with ECMA-262 patterns (whose `$` does
not).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, validators

from handler import contract, storable
from handler.errors import InvalidEvent
from handler.events import PRICE_PATTERN, decode_event
from tests import samples
from tests.handler.documented import _pattern
from tests.handler.strategies import (
    names,
    nested,
    scalars,
    timestamps,
    values,
    with_typed_fields,
)

MODEL = json.loads(contract.EVENT_SCHEMA_PATH.read_text())
READINGS = {
    "python-re": Draft4Validator(MODEL),
    "ecma-262": validators.extend(Draft4Validator, {"pattern": _pattern})(MODEL),
}
#: How many bodies the decoder accepted: a property over none would hold vacuously.
accepted = {"count": 0}


def _edge_agrees(event: Any) -> None:
    body = json.dumps(event, ensure_ascii=False).encode()
    try:
        decode_event(body)
    except InvalidEvent:
        return  # refused by the handler: the edge may refuse it or not
    accepted["count"] += 1
    parsed = json.loads(body)
    for reading, validator in READINGS.items():
        errors = [f"{e.message} at {e.json_path}" for e in validator.iter_errors(parsed)]
        assert not errors, f"the model ({reading}) refuses what the handler stores: {errors[0]}"


many = settings(max_examples=1000, deadline=None)


def _fresh() -> dict[str, Any]:
    event = samples.event()
    event["detail"]["order_id"] = str(uuid.uuid4())
    return event


@many
@given(data=st.data())
def _unknown_fields_anywhere_and_around_the_depth_limit(data: st.DataObject) -> None:
    event = _fresh()
    targets = [event, event["detail"], event["detail"]["items"][0], event["detail"]["delivery_address"]]
    target = data.draw(st.sampled_from(targets))
    target.update(data.draw(st.dictionaries(names | st.text(max_size=8), values, min_size=1, max_size=4)))
    depth = data.draw(st.integers(storable.MAX_DEPTH - 2, storable.MAX_DEPTH + 1))
    event["detail"]["deep"] = nested(depth, data.draw(scalars))
    _edge_agrees(event)


@many
@given(data=st.data(), order_id=st.uuids(), product_id=st.uuids())
def _typed_fields_in_and_out_of_their_rules(
    data: st.DataObject, order_id: uuid.UUID, product_id: uuid.UUID
) -> None:
    event = with_typed_fields(data, _fresh(), order_id, product_id)
    event["time"] = data.draw(st.none() | timestamps)
    _edge_agrees(event)


texts = st.text(min_size=0, max_size=1100)  # any Unicode, astral planes included, around the 1024 limit
large_decimals = st.from_regex(PRICE_PATTERN, fullmatch=True) | st.decimals(
    min_value=0, max_value=10**18, places=16, allow_nan=False
).map(str)


@many
@given(data=st.data(), count=st.integers(1, 1001))
def _unicode_text_large_decimals_and_many_items(data: st.DataObject, count: int) -> None:
    event = _fresh()
    detail = event["detail"]
    detail["customer"]["customer_id"] = data.draw(texts)
    address = detail["delivery_address"]
    address[data.draw(st.sampled_from(sorted(address)))] = data.draw(texts)
    event["id"] = data.draw(texts)
    item = dict(detail["items"][0], price=data.draw(large_decimals))
    item["quantity"] = data.draw(st.integers(1, 1_000_000))
    detail["items"] = [item] * count
    _edge_agrees(event)


PROPERTIES = {
    "unknown fields anywhere, around the depth limit": _unknown_fields_anywhere_and_around_the_depth_limit,
    "typed fields in and out of their rules": _typed_fields_in_and_out_of_their_rules,
    "Unicode text, large decimals, many items": _unicode_text_large_decimals_and_many_items,
}


@pytest.mark.parametrize("prop", PROPERTIES.values(), ids=PROPERTIES)
def test_what_the_decoder_accepts_the_model_accepts(prop: Any) -> None:
    # Given a thousand generated bodies / When the decoder and the model (both readings) judge each
    before = accepted["count"]
    prop()
    # Then no body the decoder accepted was refused by the model (asserted per body), and there were
    # enough accepted bodies for that to mean something
    assert accepted["count"] - before >= 100, accepted["count"] - before
