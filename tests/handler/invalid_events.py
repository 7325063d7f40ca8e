"""Invalid events, each one mistake away from the sample, with the path the 400 must name.

The handler's validation tests and the FastAPI twin's (tests/bench) hold both apps to the same cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def mutate(event: dict) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Callable[[dict], None]:
    def mutate(event: dict) -> None:
        *parents, last = path.split(".")
        node: Any = event
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return mutate


CASES = {
    "wrong source": (_set("source", "billing"), "$.source"),
    "wrong detail-type": (_set("detail-type", "CancelOrder"), "$.detail-type"),
    "missing detail": (_delete("detail"), None),
    "order_id not a uuid": (_set("detail.order_id", "order-1"), "$.detail.order_id"),
    "create_date not RFC 3339": (_set("detail.create_date", "June 2nd"), "$.detail.create_date"),
    "create_date without offset": (_set("detail.create_date", "2020-06-02T13:01:00"), "$.detail.create_date"),
    "no items": (_set("detail.items", []), "$.detail.items"),
    "quantity zero": (_set("detail.items.0.quantity", 0), "$.detail.items[0].quantity"),
    "quantity as string": (_set("detail.items.0.quantity", "1"), "$.detail.items[0].quantity"),
    "price as number": (_set("detail.items.0.price", 9.99), "$.detail.items[0].price"),
    "negative price": (_set("detail.items.0.price", "-1.00"), "$.detail.items[0].price"),
    "price not decimal": (_set("detail.items.0.price", "9,99"), "$.detail.items[0].price"),
    "currency lower case": (_set("detail.items.0.currency", "cad"), "$.detail.items[0].currency"),
    # Python's `$` (msgspec's) matches before a final newline; the document's (ECMA-262's) does not.
    "currency, newline": (_set("detail.items.0.currency", "CAD\n"), "$.detail.items[0].currency"),
    "price, newline": (_set("detail.items.0.price", "9.99\n"), "$.detail.items[0].price"),
    "product_id not a uuid": (_set("detail.items.0.product_id", "x"), "$.detail.items[0].product_id"),
    "missing customer_id": (_delete("detail.customer.customer_id"), "$.detail.customer"),
    "missing payment": (_delete("detail.payment"), "$.detail"),
    "missing zip_code": (_delete("detail.delivery_address.zip_code"), "$.detail.delivery_address"),
    "resources not a list": (_set("resources", "arn"), "$.resources"),
    "field name with $": (_set("detail.$where", "1"), "$.detail"),
    "field name with a dot": (lambda event: event["detail"].update({"a.b": 1}), "$.detail"),
    "integer beyond 64 bits": (_set("detail.big", 2**70), "$.detail.big"),
}
