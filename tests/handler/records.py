"""Builders for stored records and events, so tests state only what differs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from handler.contract import EVENT_SOURCE
from handler.store.base import EventMetadata, OrderRecord
from tests import samples


def record(order_id: str | None = None, fingerprint: str = "f1", **order_changes: Any) -> OrderRecord:
    order = samples.order() | order_changes
    order["order_id"] = order_id or str(uuid.uuid4())
    return OrderRecord(
        order_id=order["order_id"],
        fingerprint=fingerprint,
        detail=order,
        event=EventMetadata(
            id=str(uuid.uuid4()),
            source=EVENT_SOURCE,
            account="123456789012",
            region="us-east-1",
            time=datetime(2020, 6, 2, 13, 1, tzinfo=UTC),
            received_at=datetime(2026, 11, 27, 3, 0, 0, 123000, tzinfo=UTC),
        ),
    )


def event_for(detail: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """The sample's envelope around ``detail``, with a new (or the given) event id and a time."""
    envelope = samples.event() | {"id": event_id or str(uuid.uuid4()), "time": "2020-06-02T13:01:00Z"}
    return envelope | {"detail": detail}
