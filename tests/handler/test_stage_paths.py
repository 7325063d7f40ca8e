"""API Gateway's private integration sends the stage in the path (``/v1/orders``): the handler serves
its orders routes both there and at the root, and keeps health and ``Location`` at the root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from handler import contract
from handler.app import StoreOpener, create_app
from handler.settings import Settings
from tests.handler.conftest import documented_client
from tests.samples import ORDER_ID

STAGED = f"/{contract.API_STAGE}{contract.ORDERS_PATH}"


async def _put(client: AsyncTestClient, path: str, event: dict) -> object:
    return await client.put(path, content=json.dumps(event).encode())


@pytest.mark.parametrize("orders", [contract.ORDERS_PATH, STAGED])
async def test_put_and_get_answer_at_the_root_and_under_the_stage(
    client: AsyncTestClient, sample_event: dict, orders: str
) -> None:
    # Given the default settings (the stage is contract.API_STAGE)
    # When an event is PUT, redelivered, and the order read back, all on the same path shape
    created = await _put(client, orders, sample_event)
    again = await _put(client, orders, sample_event)
    stored = await client.get(f"{orders}/{ORDER_ID}")

    # Then it is 201, 200, and the order reads back; Location names the root path either way
    assert (created.status_code, again.status_code, stored.status_code) == (201, 200, 200)
    assert created.headers["location"] == again.headers["location"] == f"/orders/{ORDER_ID}"
    assert stored.json()["order_id"] == ORDER_ID


async def test_an_order_put_under_the_stage_reads_back_at_the_root(
    client: AsyncTestClient, sample_event: dict
) -> None:
    assert (await _put(client, STAGED, sample_event)).status_code == 201
    assert (await _put(client, contract.ORDERS_PATH, sample_event)).status_code == 200
    assert (await client.get(f"/orders/{ORDER_ID}")).status_code == 200


async def test_the_stage_comes_from_the_settings(
    tmp_path: Path, store_opener: StoreOpener, sample_event: dict
) -> None:
    # Given a stage other than the default
    settings = Settings(api_stage="prod", sqlite_path=str(tmp_path / "x"), metrics_interval_seconds=3600)
    async with documented_client(create_app(settings, opener=store_opener), "prod") as client:
        # When events arrive under that stage and under the default one
        prod = await _put(client, "/prod/orders", sample_event)
        read = await client.get(f"/prod/orders/{ORDER_ID}")
        default = await _put(client, STAGED, sample_event)

    # Then the configured stage is served, and only that one
    assert (prod.status_code, read.status_code) == (201, 200)
    assert default.status_code == 404


async def test_health_stays_at_the_root_and_the_schema_lists_root_paths(client: AsyncTestClient) -> None:
    # The ALB health-checks /healthz directly, without the stage.
    assert (await client.get(contract.HEALTH_PATH)).status_code == 200
    assert (await client.get(contract.READY_PATH)).status_code == 200
    assert (await client.get(f"/{contract.API_STAGE}{contract.HEALTH_PATH}")).status_code == 404
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert "/orders/{order_id}" in paths
    assert not [path for path in paths if path.startswith(f"/{contract.API_STAGE}/")]


async def test_other_methods_under_the_stage_are_405(client: AsyncTestClient) -> None:
    response = await client.post(STAGED, content=b"{}")

    assert response.status_code == 405
    assert response.headers["allow"] == contract.ORDERS_METHOD
