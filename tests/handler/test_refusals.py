"""A refused password is recognised wherever PyMongo reports it (handler/store/refusals.py): raised from
the operation, or only recorded on the topology, as a streaming monitor leaves it. The real-server side
of this is in test_real_rotation.py."""

from __future__ import annotations

import pytest
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError
from pymongo.server_description import ServerDescription
from pymongo.topology_description import TOPOLOGY_TYPE, TopologyDescription

from handler.store import refusals
from handler.store.base import CredentialsRejected, StoreError
from handler.store.mongo import MongoOrderStore
from tests.handler.fakes import FailingClient, authentication_failed
from tests.handler.records import record

ADDRESS = ("db.local", 27017)


def _unknown_after(error: Exception) -> TopologyDescription:
    """The topology as the driver leaves it after ``error`` on a connection: its one server Unknown."""
    servers = {ADDRESS: ServerDescription(ADDRESS, error=error)}
    return TopologyDescription(TOPOLOGY_TYPE.Single, servers, None, None, None, None)


class _Described(FailingClient):
    """A client that fails every call with ``error`` and describes its topology as ``described``."""

    def __init__(self, error: Exception, described: TopologyDescription) -> None:
        super().__init__(error)
        self.topology_description = described
        self.calls = 0

    async def insert_one(self, document: dict) -> None:
        self.calls += 1
        await super().insert_one(document)


async def test_a_selection_timeout_carrying_a_refusal_is_credentials_rejected() -> None:
    # Given server selection that timed out while the one server was Unknown after a refused password
    timeout = ServerSelectionTimeoutError(
        "authentication failed, Timeout: 3s", _unknown_after(authentication_failed())
    )
    store = MongoOrderStore(FailingClient(timeout))

    # When the store writes, Then the refusal is recognised, not reported as a plain outage
    with pytest.raises(CredentialsRejected):
        await store.put(record())


@pytest.mark.parametrize("details", [_unknown_after(AutoReconnect("connection refused")), None])
async def test_a_selection_timeout_without_a_refusal_stays_a_plain_store_error(
    details: TopologyDescription | None,
) -> None:
    store = MongoOrderStore(FailingClient(ServerSelectionTimeoutError("timed out", details)))

    with pytest.raises(StoreError) as caught:
        await store.put(record())

    assert not isinstance(caught.value, CredentialsRejected)


async def test_a_refusal_the_driver_already_recorded_fails_at_once_without_calling_it() -> None:
    # Given a client whose every server was last marked Unknown with a refused password
    client = _Described(
        AutoReconnect("would wait out server selection"), _unknown_after(authentication_failed())
    )
    store = MongoOrderStore(client)

    # When the store writes, reads and pings, Then each says the credentials were rejected, and the
    # driver was not asked (it would have waited out server selection)
    for call in (store.put(record()), store.get("x"), store.ping()):
        with pytest.raises(CredentialsRejected):
            await call
    assert client.calls == 0
    assert refusals.known_refusal(client) is client.topology_description.server_descriptions()[ADDRESS].error


def test_an_outage_or_a_fake_client_is_no_known_refusal() -> None:
    assert (
        refusals.known_refusal(_Described(AutoReconnect("x"), _unknown_after(AutoReconnect("down")))) is None
    )
    assert refusals.known_refusal(object()) is None
