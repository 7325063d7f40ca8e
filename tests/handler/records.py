"""Builders for stored records and events, so tests state only what differs."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

from handler.store.base import EventMetadata, OrderRecord

ORDER: dict[str, Any] = {
    "order_id": "ce4fe8b7-9911-4377-a795-29ecca9d7a3d",
    "create_date": "2020-06-02T13:01:00Z",
    "items": [
        {
            "product_id": "b8575571-5e91-4521-8a29-4af4a8aaa6f6",
            "quantity": 1,
            "price": "9.99",
            "currency": "CAD",
        }
    ],
    "customer": {"customer_id": "5d22899e-3ff5-4ce0-a2a3-480cfce39a56"},
    "payment": {"payment_id": "fb563473-bef4-4965-ad78-e37c6c9c0c2a"},
    "delivery_address": {
        "street": "510 W Georgia St",
        "city": "Vancouver",
        "state": "BC",
        "country": "Canada",
        "zip_code": "V6B0M7",
    },
}


def record(order_id: str | None = None, fingerprint: str = "f1", **order_changes: Any) -> OrderRecord:
    order = copy.deepcopy(ORDER) | order_changes
    order["order_id"] = order_id or str(uuid.uuid4())
    return OrderRecord(
        order_id=order["order_id"],
        fingerprint=fingerprint,
        order=order,
        event=EventMetadata(
            id=str(uuid.uuid4()),
            source="ecommerce",
            account="123456789012",
            region="us-east-1",
            time=datetime(2020, 6, 2, 13, 1, tzinfo=UTC),
            received_at=datetime(2026, 11, 27, 3, 0, 0, 123000, tzinfo=UTC),
        ),
    )


def event_for(detail: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": "CreateOrder",
        "source": "ecommerce",
        "account": "123456789012",
        "region": "us-east-1",
        "time": "2020-06-02T13:01:00Z",
        "resources": [],
        "detail": detail,
    }
