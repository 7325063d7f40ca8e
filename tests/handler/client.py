"""Calling the app as EventBridge does, through litestar's test client."""

from __future__ import annotations

import json
from typing import Any

from litestar.testing import AsyncTestClient


async def put(client: AsyncTestClient, event: Any) -> Any:
    """PUT ``event`` (a dict, or bytes sent as they are) to /orders as JSON."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return await client.put("/orders", content=body, headers={"content-type": "application/json"})
