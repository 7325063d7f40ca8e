"""The EventBridge event envelope: built from an entry (`send`) and taken apart again (`redrive`)."""

from __future__ import annotations

import contextlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # EventBridge writes whole seconds, UTC, with a Z


def build(entry: dict[str, Any], *, account: str, region: str, now: datetime | None = None) -> dict[str, Any]:
    """Wrap a checked PutEvents entry the way EventBridge does before it calls a target.

    Args:
        entry: An entry from `ops.entries.load` (its `Detail` is known to be a JSON object).
        account: The account id EventBridge would write.
        region: The region EventBridge would write.
        now: The event time when the entry has no `Time`; defaults to the current time.
    """
    when = entry.get("Time") or now or datetime.now(UTC)
    if when.tzinfo is None:  # EventBridge reads a naive Time as UTC
        when = when.replace(tzinfo=UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": entry["DetailType"],
        "source": entry["Source"],
        "account": account,
        "time": when.astimezone(UTC).strftime(_TIME_FORMAT),
        "region": region,
        "resources": list(entry.get("Resources", [])),
        "detail": json.loads(entry["Detail"]),
    }


def to_entry(event: object, *, bus: str) -> dict[str, Any]:
    """Turn a delivered event back into a PutEvents entry for `bus`, keeping source and detail-type.

    Raises:
        ValueError: `event` is not an EventBridge event.
    """
    if not isinstance(event, dict) or not all(
        isinstance(event.get(key), str) for key in ("source", "detail-type")
    ):
        raise ValueError("not an EventBridge event (no source/detail-type)")
    if not isinstance(event.get("detail"), dict):
        raise ValueError("not an EventBridge event (detail is not an object)")
    entry: dict[str, Any] = {
        "Source": event["source"],
        "DetailType": event["detail-type"],
        "Detail": json.dumps(event["detail"], separators=(",", ":")),
        "Resources": list(event.get("resources") or []),
        "EventBusName": bus,
    }
    if isinstance(event.get("time"), str):
        # An unreadable time is dropped: EventBridge then stamps the redrive's time.
        with contextlib.suppress(ValueError):
            entry["Time"] = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    return entry
