"""Hypothesis strategies for event bodies, shared by the properties that tie the decoder to its documents
(the OpenAPI document, the edge's Draft 4 model)."""

from __future__ import annotations

import uuid
from datetime import timedelta, timezone
from typing import Any

from hypothesis import strategies as st

# Names and values chosen to meet the decoder's rules often: `$`, `.`, NUL, huge integers, deep nesting.
names = st.text(alphabet="ab_$.\x00é", max_size=4)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
values = st.recursive(
    scalars | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=12,
)


def nested(depth: int, leaf: Any) -> Any:
    """`leaf` under `depth` levels of alternating lists and objects."""
    for level in range(depth):
        leaf = {"n": leaf} if level % 2 else [leaf]
    return leaf


def uuid_forms(value: uuid.UUID) -> st.SearchStrategy[str]:
    """`value` in the forms the decoder accepts and in two it refuses."""
    text = str(value)
    return st.sampled_from([text, text.upper(), text.replace("-", ""), f"{{{text}}}", text[:-1], text + "\n"])


offsets = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
timestamps = st.datetimes(timezones=offsets).map(lambda d: d.isoformat()) | st.text(max_size=25)
fields = {
    # Whole-number floats among them: JSON Schema's integers too (1.0).
    "quantity": st.integers(-2, 2_000_000)
    | st.floats(0, 10)
    | st.integers(-2, 2_000_000).map(float)
    | st.floats(1e5, 1e25)
    | st.text(max_size=3),
    "price": st.from_regex(r"^(0|[1-9][0-9]{0,17})(\.[0-9]{1,16})?$") | st.text("0123456789.-", max_size=6),
    "currency": st.from_regex(r"^[A-Z]{3}$") | st.text("ABCabc\n", max_size=4),
}


def with_typed_fields(
    data: st.DataObject, event: dict[str, Any], order_id: uuid.UUID, product_id: uuid.UUID
) -> dict[str, Any]:
    """``event`` with its ids in drawn forms and its first item's typed fields and the order's create_date
    drawn in and out of their rules: what both properties tying the decoder to a document draw."""
    event["detail"]["order_id"] = data.draw(uuid_forms(order_id))
    item = event["detail"]["items"][0]
    item["product_id"] = data.draw(uuid_forms(product_id))
    for name in data.draw(st.sets(st.sampled_from(sorted(fields)))):
        item[name] = data.draw(fields[name])
    event["detail"]["create_date"] = data.draw(timestamps)
    return event
