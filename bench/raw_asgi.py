"""Variant 4: the near-limit. A bare ASGI callable that decodes the event with the handler's msgspec
Struct and answers 201, with no store, no logging and no framework."""

from __future__ import annotations

import gc
from typing import Any

import msgspec

from handler.events import EVENT_DECODER

_encoder = msgspec.json.Encoder()
_JSON = [(b"content-type", b"application/json")]


async def _read_body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            gc.collect()
            gc.freeze()
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = await _read_body(receive)
    try:
        event = EVENT_DECODER.decode(body)
        status, payload = 201, {"order_id": str(event.detail.order_id), "status": "created"}
    except msgspec.DecodeError as exc:
        status, payload = 400, {"error": "invalid_event", "message": str(exc)}
    await send({"type": "http.response.start", "status": status, "headers": _JSON})
    await send({"type": "http.response.body", "body": _encoder.encode(payload)})


def create_app(settings: object = None) -> Any:
    """Factory with the handler's signature, so ``bench.serve`` can hand it to ``python -m handler``."""
    return app
