"""The smoke check's canary: one CreateOrder that is valid, matches the rule, and cannot pass for business.

How to recognise one, in the store or anywhere the event is logged:

- `customer.customer_id` and `payment.payment_id` are `orders-smoke-canary`;
- the detail has `"canary": true` and `"smoke_run"` (the run's id); the handler stores unknown detail
  fields, so both are in the stored order;
- the one item costs `0` in currency `XXX` (ISO 4217's "no currency") with the product id `PRODUCT_ID`;
- the event's `resources` name the run: `orders-smoke:<run id>`, plus the CI run's URL under GitHub Actions.

The order id is a fresh UUID each time, so a canary never collides with an order or with another canary.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handler.contract import DETAIL_TYPE, EVENT_SOURCE

CUSTOMER_ID = "orders-smoke-canary"
#: A fixed product id, the same in every canary (a name-based UUID, so it is not anybody's product).
PRODUCT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "urn:order-events:orders-smoke-canary"))
#: ISO 4217's code for "no currency": no real order is priced in it.
CURRENCY = "XXX"
RESOURCE_PREFIX = "orders-smoke:"


@dataclass(frozen=True)
class Canary:
    """One canary: its order id, the run that sent it, and its PutEvents entry."""

    order_id: str
    run_id: str
    entry: dict[str, Any]


def build(bus: str, *, now: datetime | None = None, environ: dict[str, str] | None = None) -> Canary:
    """Build a new canary entry for `bus`, with a fresh order id and a run id made from the time."""
    now = now or datetime.now(UTC)
    environ = dict(os.environ) if environ is None else environ
    run_id = f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    order_id = str(uuid.uuid4())
    detail = {
        "order_id": order_id,
        "create_date": f"{now:%Y-%m-%dT%H:%M:%SZ}",
        "items": [{"product_id": PRODUCT_ID, "quantity": 1, "price": "0", "currency": CURRENCY}],
        "customer": {"customer_id": CUSTOMER_ID},
        "payment": {"payment_id": CUSTOMER_ID},
        "delivery_address": {
            "street": "not a real order: orders smoke canary",
            "city": "none",
            "state": "none",
            "country": "none",
            "zip_code": "none",
        },
        "canary": True,
        "smoke_run": run_id,
    }
    resources = [f"{RESOURCE_PREFIX}{run_id}"]
    if ci_run := _github_run_url(environ):
        resources.append(ci_run)
    entry = {
        "Source": EVENT_SOURCE,
        "DetailType": DETAIL_TYPE,
        "Detail": json.dumps(detail, separators=(",", ":")),
        "Resources": resources,
        "EventBusName": bus,
    }
    return Canary(order_id, run_id, entry)


def is_canary(order: dict[str, Any]) -> bool:
    """Whether a stored order (or an event's detail) is a smoke canary."""
    customer = order.get("customer")
    return (
        order.get("canary") is True
        and isinstance(customer, dict)
        and customer.get("customer_id") == CUSTOMER_ID
    )


def _github_run_url(environ: dict[str, str]) -> str | None:
    parts = [environ.get(name) for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")]
    if not all(parts):
        return None
    server, repository, run = parts
    return f"{server}/{repository}/actions/runs/{run}"
