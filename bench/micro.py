"""In-process micro-benchmarks: per-event decode (msgspec against Pydantic), and one PUT through the app.

``uv run python -m bench.micro`` prints both as JSON; ``python -m bench`` records the decode figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
import timeit
import uuid
from collections.abc import Callable
from typing import Any

from bench.server import SAMPLE

BODY = json.dumps(SAMPLE).encode()


def _per_call_us(func: Callable[[], object], repeats: int = 5, budget_s: float = 0.2) -> float:
    timer = timeit.Timer(func)
    number, _ = timer.autorange()
    number = max(1, int(number * budget_s / 0.2))
    return statistics.median(t / number * 1e6 for t in timer.repeat(repeats, number))


def decode() -> dict[str, float]:
    """Microseconds per event: validation alone, and the whole decode step each app runs."""
    from bench import twin_fastapi as twin
    from handler.events import EVENT_DECODER, decode_event

    results = {
        "msgspec_validate_us": _per_call_us(lambda: EVENT_DECODER.decode(BODY)),
        "pydantic_validate_us": _per_call_us(lambda: twin.OrderEvent.model_validate_json(BODY)),
        "msgspec_handler_decode_event_us": _per_call_us(lambda: decode_event(BODY)),
        "pydantic_twin_decode_step_us": _per_call_us(lambda: twin.decode(BODY)),
    }
    return {k: round(v, 2) for k, v in results.items()}


def put_path(requests: int = 20_000, repeats: int = 5) -> dict[str, float]:
    """Microseconds per PUT through the product app's ASGI callable on the in-memory store: the route,
    the orders logic, the store and the log line, with no server or socket. New orders, then replays."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # the per-request log lines
        new, replayed = asyncio.run(_put_path(requests, repeats))
    return {"put_new_order_us": round(new, 2), "put_replayed_us": round(replayed, 2)}


async def _put_path(requests: int, repeats: int) -> tuple[float, float]:
    from bench.memstore import MemoryStore
    from handler.app import create_app
    from handler.settings import Settings

    app = create_app(Settings(metrics_interval_seconds=3600), store=MemoryStore())
    async with _lifespan(app):
        new = [_body(str(uuid.uuid4())) for _ in range(requests * repeats)]
        runs = [await _time_puts(app, new[i * requests : (i + 1) * requests]) for i in range(repeats)]
        again = [_body(str(uuid.uuid4()))] * requests
        replays = [await _time_puts(app, again) for _ in range(repeats)]
    return statistics.median(runs), statistics.median(replays)


def _body(order_id: str) -> bytes:
    return json.dumps({**SAMPLE, "detail": {**SAMPLE["detail"], "order_id": order_id}}).encode()


async def _time_puts(app: Any, bodies: list[bytes]) -> float:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "PUT"}
    scope |= {"scheme": "http", "path": "/orders", "raw_path": b"/orders", "query_string": b""}
    scope |= {"root_path": "", "headers": [(b"content-type", b"application/json")]}
    scope |= {"client": ("127.0.0.1", 1), "server": ("127.0.0.1", 8080)}

    async def sent(message: dict) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 300:
            raise RuntimeError(f"bench.micro: PUT answered {message['status']}")

    started = time.perf_counter()
    for body in bodies:
        request = {"type": "http.request", "body": body, "more_body": False}
        await app({**scope, "state": {}}, _once(request), sent)
    return (time.perf_counter() - started) / len(bodies) * 1e6


def _once(message: dict) -> Callable[[], Any]:
    async def receive() -> dict:
        return message

    return receive


@contextlib.asynccontextmanager
async def _lifespan(app: Any) -> Any:
    inbox: asyncio.Queue[dict] = asyncio.Queue()
    outbox: asyncio.Queue[dict] = asyncio.Queue()
    task = asyncio.create_task(app({"type": "lifespan", "state": {}}, inbox.get, outbox.put))
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await task


if __name__ == "__main__":
    json.dump({**decode(), **put_path()}, sys.stdout, indent=2)
    print()
