"""The sample order every suite uses, read from ``examples/create-order.json``: its one copy.

The examples are what the README walks through (``examples/create-order.entries.json`` is the same order
as a PutEvents entry), so the tests send exactly what a reader sends by hand.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: The AWS sample's CreateOrder event, as EventBridge delivers it to the handler.
EVENT_FILE = EXAMPLES / "create-order.json"
#: The same order as an EventBridge PutEvents entry (what `orders send` and `orders publish` read).
ENTRIES_FILE = EXAMPLES / "create-order.entries.json"

#: The sample event's bytes, exactly as committed.
EVENT_BYTES = EVENT_FILE.read_bytes()
_EVENT: dict[str, Any] = json.loads(EVENT_BYTES)
#: The sample order's id (both examples carry it).
ORDER_ID: str = _EVENT["detail"]["order_id"]


def event() -> dict[str, Any]:
    """The sample event, a fresh copy each call (tests change it freely)."""
    return copy.deepcopy(_EVENT)


def order() -> dict[str, Any]:
    """The sample event's detail (the order), a fresh copy each call."""
    return copy.deepcopy(_EVENT["detail"])
