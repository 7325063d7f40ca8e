"""The Litestar application factory and its lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable

import msgspec
from litestar import Litestar, Request, Response
from litestar.exceptions import HTTPException

from handler import contract, logs, openapi
from handler.answers import ErrorBody
from handler.errors import OrdersError, Unexpected
from handler.gate import Gate
from handler.hotpath import OrdersApp, orders_paths
from handler.logs import get_logger
from handler.metrics import Metrics
from handler.orders import Orders
from handler.routes import route_handlers
from handler.settings import Settings
from handler.store import open_store
from handler.store.base import OrderStore

_json = msgspec.json.Encoder()


def _orders_error(request: Request, exc: OrdersError) -> Response[bytes]:
    return Response(_json.encode(exc.body()), status_code=exc.status_code, headers=exc.headers)


def _http_error(request: Request, exc: HTTPException) -> Response[bytes]:
    # Litestar's own rejections (404, 405) in the same shape as ours, and logged.
    get_logger().info("http_error", status=exc.status_code, method=request.method, path=request.url.path)
    body = ErrorBody(error="http_error", message=exc.detail)
    return Response(_json.encode(body), status_code=exc.status_code, headers=exc.headers)


def _unexpected(request: Request, exc: Exception) -> Response[bytes]:
    get_logger().exception("unhandled_error", method=request.method, path=request.url.path)
    return _orders_error(request, Unexpected("Internal error; it has been logged"))


def exit_requested(app: object) -> int | None:
    """The status the app has asked its process to exit with, after draining; None while it serves.

    ``python -m handler`` polls this (see rotation.py). Duck-typed, since bench/ serves other apps.
    """
    gate = getattr(getattr(app, "state", None), "gate", None)
    return getattr(gate, "exit_code", None)


#: Opens a store: called by the app's lifespan, on the event loop that serves the app.
StoreOpener = Callable[[], Awaitable[OrderStore]]


def create_app(
    settings: Settings | None = None, store: OrderStore | None = None, *, opener: StoreOpener | None = None
) -> Litestar:
    """Build the app. Its lifespan opens the store (``opener``, by default the one ``settings`` name) at
    start-up and closes it at shutdown, both on the loop that serves the app: a driver bound to an event
    loop (AsyncMongoClient) is then never used, nor closed, from another. A ``store`` passed in instead
    is used as is and left open: its owner must serve the app on the loop the store runs on."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        owned = store is None
        active = await (opener or (lambda: open_store(settings)))() if owned else store
        metrics = Metrics(
            settings.metrics_namespace,
            settings.metrics_interval_seconds,
            environment=settings.emf_environment,
        )
        gate = Gate(settings=settings, metrics=metrics)
        app.state.store, app.state.gate = active, gate
        app.state.orders = Orders(active, gate, metrics)
        flusher = asyncio.create_task(metrics.run(), name="metrics-flush")
        # Start-up objects live for the whole process: collect start-up garbage once, then keep what
        # is left out of every later GC pass (p99 measured ~19 -> ~8 ms). `python -m handler` turns
        # collection off while importing; it is back on from here.
        gc.collect()
        gc.freeze()
        gc.enable()
        try:
            yield
        finally:
            flusher.cancel()
            await metrics.flush()
            logs.flush()
            if owned:
                await active.close()

    return OrdersApp(
        orders_paths=orders_paths(settings.api_stage),
        route_handlers=route_handlers(settings.api_stage),
        lifespan=[lifespan],
        on_startup=[openapi.install],
        request_max_body_size=contract.MAX_EVENT_BYTES,
        exception_handlers={
            OrdersError: _orders_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
        openapi_config=openapi.CONFIG,
        logging_config=None,
    )
