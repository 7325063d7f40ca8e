"""What the Mongo store adds beyond the shared contract: the document layout and DocumentDB's options."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bson.decimal128 import Decimal128

from handler.store.mongo import MongoOrderStore, client_options
from tests.handler.fakes import AsyncMongomockClient
from tests.handler.records import record


async def test_document_layout_keys_money_and_dates() -> None:
    # Given an order stored through the Mongo store
    client = AsyncMongomockClient()
    store = MongoOrderStore(client, database="orders")
    stored = record(fingerprint="abc", extra_field={"kept": True})
    await store.put(stored)

    # When the raw document is inspected
    document = client.raw_collection("orders", "orders").find_one({"_id": stored.order_id})

    # Then _id is the order id, money is Decimal128, dates are dates, metadata and unknown fields are there
    assert document["_id"] == stored.order_id
    price = document["order"]["items"][0]["price"]
    assert isinstance(price, Decimal128) and price.to_decimal() == Decimal("9.99")
    assert isinstance(document["order"]["create_date"], datetime)
    assert document["order"]["extra_field"] == {"kept": True}
    assert document["fingerprint"] == "abc"
    assert set(document["event"]) == {"id", "source", "account", "region", "time", "received_at"}


def test_client_options_fit_documentdb() -> None:
    options = client_options(
        deadline_seconds=2.5, username="orders", password="pw", tls_ca_file="/opt/rds/global-bundle.pem"
    )

    assert options["retryWrites"] is False
    assert options["readPreference"] == "primary"
    assert options["tls"] is True
    assert options["tlsCAFile"] == "/opt/rds/global-bundle.pem"
    assert options["timeoutMS"] == options["serverSelectionTimeoutMS"] == 2500
    assert (options["username"], options["password"]) == ("orders", "pw")


def test_client_options_without_credentials_or_ca() -> None:
    options = client_options(deadline_seconds=1.0)

    assert "username" not in options and "password" not in options
    assert "tlsCAFile" not in options


async def test_connect_builds_an_async_client_without_io() -> None:
    # The client connects lazily: building it must not need a server (start-up never blocks on the DB).
    store = MongoOrderStore.connect("mongodb://127.0.0.1:1/", **client_options(deadline_seconds=0.2))
    try:
        assert type(store._client).__name__ == "AsyncMongoClient"
    finally:
        await store.close()
