"""Ids have one form: whatever form of a UUID arrives (any case, with or without dashes), the order is
keyed, fingerprinted, stored and answered under the canonical one (lower case, with dashes)."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

from tests.handler.client import put
from tests.samples import ORDER_ID

PRODUCT_ID = "b8575571-5e91-4521-8a29-4af4a8aaa6f6"


def _forms(canonical: str) -> dict[str, str]:
    return {
        "upper case": canonical.upper(),
        "without dashes": canonical.replace("-", ""),
        "upper case without dashes": canonical.replace("-", "").upper(),
    }


@pytest.mark.parametrize("form", list(_forms(ORDER_ID)))
async def test_a_stored_order_resent_with_its_id_in_another_form_is_a_replay(
    client: AsyncTestClient, sample_event: dict, form: str
) -> None:
    # Given the order is stored under its canonical id
    assert (await put(client, sample_event)).status_code == 201
    # When the identical order arrives with its order_id (and its product_id) in another form
    sample_event["detail"]["order_id"] = _forms(ORDER_ID)[form]
    sample_event["detail"]["items"][0]["product_id"] = _forms(PRODUCT_ID)[form]
    again = await put(client, sample_event)
    # And the order is read back by that form
    read = await client.get(f"/orders/{_forms(ORDER_ID)[form]}")

    # Then it is the same order (200, not a 409 for the DLQ), answered under the canonical id
    assert again.status_code == 200, again.text
    assert again.json() == {"order_id": ORDER_ID, "status": "duplicate"}
    assert again.headers["location"] == f"/orders/{ORDER_ID}"
    assert read.status_code == 200
    assert read.json()["order_id"] == read.json()["order"]["order_id"] == ORDER_ID


async def test_an_order_first_sent_in_another_form_is_stored_in_the_canonical_one(
    client: AsyncTestClient, sample_event: dict
) -> None:
    # Given an order whose ids arrive in upper case without dashes
    sample_event["detail"]["order_id"] = ORDER_ID.replace("-", "").upper()
    sample_event["detail"]["items"][0]["product_id"] = PRODUCT_ID.upper()

    # When it is stored and read back
    created = await put(client, sample_event)
    read = await client.get(f"/orders/{ORDER_ID}")

    # Then every answer, and the stored order itself, uses the canonical form
    assert created.status_code == 201
    assert created.json()["order_id"] == ORDER_ID
    assert created.headers["location"] == f"/orders/{ORDER_ID}"
    assert read.json()["order"]["order_id"] == ORDER_ID
    assert read.json()["order"]["items"][0]["product_id"] == PRODUCT_ID


@pytest.mark.parametrize(
    "order_id",
    [
        "order-1",
        f"{{{ORDER_ID}}}",
        f"urn:uuid:{ORDER_ID}",
        ORDER_ID[:8] + ORDER_ID[9:],  # some dashes only
        ORDER_ID + "0",
    ],
    ids=["not a uuid", "braces", "urn", "some dashes", "too long"],
)
async def test_a_malformed_id_on_get_is_400_like_on_put(
    client: AsyncTestClient, sample_event: dict, order_id: str
) -> None:
    # Given an id in a form the event decoder refuses
    sample_event["detail"]["order_id"] = order_id

    # When it is used on GET and on PUT
    read = await client.get(f"/orders/{order_id}")
    stored = await put(client, sample_event)

    # Then both refuse it with 400 and the service's error body
    assert (read.status_code, stored.status_code) == (400, 400)
    assert read.json()["error"] == "invalid_order_id"
    assert order_id in read.json()["message"]


async def test_an_unknown_id_in_any_form_is_404(client: AsyncTestClient) -> None:
    response = await client.get(f"/orders/{str(uuid.uuid4()).upper()}")

    assert response.status_code == 404
    assert response.json()["error"] == "order_not_found"
