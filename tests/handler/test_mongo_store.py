"""What the Mongo store adds beyond the shared contract: the document layout and DocumentDB's options."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from decimal import Decimal

import pytest
from bson.decimal128 import Decimal128
from pymongo.errors import AutoReconnect, OperationFailure

from handler.store.base import CredentialsRejected, StoreError
from handler.store.mongo import MongoOrderStore, client_options
from tests.handler.fakes import AsyncMongomockClient, FailingClient
from tests.handler.records import record
from tests.handler.wire import refusing_server


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


async def test_a_refused_password_is_credentials_rejected_for_every_operation() -> None:
    # Given an order stored, then the database's password rotated away from the one the client holds
    client = AsyncMongomockClient()
    store = MongoOrderStore(client)
    stored = record()
    await store.put(stored)
    client.rotate_password()

    # When the store writes, reads and pings, Then each says the credentials were rejected
    for call in (store.put(record()), store.get(stored.order_id), store.ping()):
        with pytest.raises(CredentialsRejected, match="rejected the credentials"):
            await call
    # And the order written before is still there
    assert client.raw_collection("orders", "orders").find_one({"_id": stored.order_id}) is not None


async def test_a_refusal_in_another_server_s_words_is_recognised_too() -> None:
    # Atlas (and possibly other MongoDB-compatible servers) refuse a password with another code.
    reply = {"ok": 0, "errmsg": "bad auth : Authentication failed.", "code": 8000, "codeName": "AtlasError"}
    store = MongoOrderStore(FailingClient(OperationFailure(reply["errmsg"], reply["code"], reply)))

    with pytest.raises(CredentialsRejected):
        await store.ping()


@pytest.mark.parametrize(
    "error",
    [
        OperationFailure("not authorized on orders to execute command", 13, {"code": 13}),
        OperationFailure("interrupted at shutdown", 11600, {"code": 11600}),
        AutoReconnect("connection closed"),
    ],
)
async def test_other_failures_stay_plain_store_errors(error: Exception) -> None:
    store = MongoOrderStore(FailingClient(error))

    with pytest.raises(StoreError) as caught:
        await store.put(record())

    assert not isinstance(caught.value, CredentialsRejected)


async def test_the_real_driver_surfaces_a_refused_password_as_credentials_rejected() -> None:
    # Given the real AsyncMongoClient, with a password, against a server that refuses it
    async with refusing_server() as uri:
        options = client_options(deadline_seconds=2.0, username="orders", password="rotated-away")
        store = MongoOrderStore.connect(uri, **options)
        try:
            # When the store writes, reads and pings (each opens a new connection, as after a rotation)
            # Then each is recognised as rejected credentials, not a generic failure, and fast
            for call in (store.put(record()), store.get("x"), store.ping()):
                with pytest.raises(CredentialsRejected) as caught:
                    await call
                assert isinstance(caught.value.__cause__, OperationFailure)
                assert caught.value.__cause__.code == 18
                assert "rotated-away" not in str(caught.value)
        finally:
            await store.close()


class _SlowToEndSessions(FailingClient):
    """A client whose first close waits, as ending sessions waits on server selection when no server
    can be selected; a second close returns at once, as PyMongo's does once its sessions are popped."""

    def __init__(self) -> None:
        super().__init__(AutoReconnect("down"))
        self.closes = 0

    async def close(self) -> None:
        self.closes += 1
        if self.closes == 1:
            await asyncio.sleep(30)


async def test_closing_does_not_wait_out_server_selection_to_end_sessions() -> None:
    # Given a client that cannot end its sessions (the server is down, or refuses the password)
    client = _SlowToEndSessions()
    store = MongoOrderStore(client)
    # When the store closes (at shutdown, as a task whose password was rotated away exits)
    started = time.monotonic()
    await store.close()
    # Then it gives up on ending sessions soon, and still closes the client
    assert time.monotonic() - started < 2.0
    assert client.closes == 2
