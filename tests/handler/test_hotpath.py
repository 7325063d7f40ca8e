"""PUT /orders is served ahead of Litestar's router (handler/hotpath.py); what it raises is answered as
the app's exception handlers answer it, and every other request still goes through Litestar."""

from __future__ import annotations

import pytest

from handler.app import create_app
from handler.hotpath import OrdersApp
from handler.settings import Settings
from handler.store.base import OrderRecord, PutOutcome
from tests.handler.client import put
from tests.handler.conftest import documented_client

SETTINGS = Settings(metrics_interval_seconds=3600)


class _BrokenStore:
    """A store with a bug: every write raises something that is not a StoreError."""

    async def put(self, record: OrderRecord) -> PutOutcome:
        raise RuntimeError("a bug, not an outage")

    async def get(self, order_id: str) -> OrderRecord | None:
        return None

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


async def test_an_unexpected_error_on_the_hot_path_is_the_documented_500_and_logged(
    sample_event: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given the app on a store whose writes fail with a bug
    async with documented_client(create_app(SETTINGS, store=_BrokenStore())) as client:
        # When an event arrives
        response = await put(client, sample_event)

    # Then it is the documented 500 (the client checks the body against the OpenAPI document), framed,
    # with the bug logged and not shown
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "message": "Internal error; it has been logged"}
    assert response.headers["content-length"] == str(len(response.content))
    out = capsys.readouterr().out
    assert '"unhandled_error"' in out and "a bug, not an outage" in out


async def test_a_refusal_on_the_hot_path_has_the_headers_litestar_gives_a_refusal(sample_event: dict) -> None:
    # Given the app, When a PUT is refused on the hot path and a GET is refused by Litestar's route
    async with documented_client(create_app(SETTINGS, store=_BrokenStore())) as client:
        refused_put = await client.put("/orders", content=b"{}")
        refused_get = await client.get("/orders/not-a-uuid")

    # Then both are 400s with the same header names (content type and length)
    assert (refused_put.status_code, refused_get.status_code) == (400, 400)
    assert set(refused_put.headers) == set(refused_get.headers)


def test_the_app_serves_put_on_the_root_and_staged_orders_paths_only() -> None:
    app = create_app(Settings(api_stage="prod", metrics_interval_seconds=3600))

    assert isinstance(app, OrdersApp)
    assert app.orders_paths == {"/orders", "/prod/orders"}
