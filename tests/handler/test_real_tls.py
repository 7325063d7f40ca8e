"""TLS as DocumentDB needs it, on a real server: the session's server serves TLS only, with a certificate
from a CA made for the test, which the store trusts through a CA file (as the task trusts the RDS
bundle). Another CA, or no TLS at all, is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from handler.store.base import CredentialsRejected, PutOutcome, StoreError
from tests.handler.real_mongo import Target, make_tls_files, real_store
from tests.handler.records import record


@pytest.fixture
def ours(real_mongo: Target) -> Target:
    if real_mongo.server is None:
        pytest.skip("MONGODB_URI names another server: these cases need the suite's own, with its CA")
    return real_mongo


async def test_the_store_trusts_the_server_through_the_ca_file(ours: Target) -> None:
    # Given the production options: TLS against the CA file, retryWrites=false (in the URI and options)
    store = real_store(ours)
    try:
        # When an order is written and read back
        stored = record()
        outcome = await store.put(stored)
        read = await store.get(stored.order_id)
    finally:
        await store.close()

    # Then it was written over the verified connection, with retryable writes off as DocumentDB needs
    assert outcome is PutOutcome.CREATED and read == stored
    assert "tls=true" in ours.uri and "retryWrites=false" in ours.uri
    assert store._client.options.retry_writes is False


@pytest.mark.parametrize("client", ["another CA", "no TLS"])
async def test_a_server_the_client_cannot_verify_is_refused(
    ours: Target, tmp_path: Path, client: str
) -> None:
    # Given the store trusting another CA, or not using TLS at all
    if client == "another CA":
        store = real_store(ours, deadline_seconds=1.0, tlsCAFile=str(make_tls_files(tmp_path).ca))
    else:
        store = real_store(
            Target(ours.uri.replace("tls=true", "tls=false"), ours.username, ours.password), 1.0
        )
    try:
        # When it writes, Then it fails as an unreachable store does (503, retried), not as a refusal
        with pytest.raises(StoreError) as caught:
            await store.put(record())
    finally:
        await store.close()
    assert not isinstance(caught.value, CredentialsRejected)
    assert "ServerSelectionTimeoutError" in str(caught.value)
    if client == "another CA":  # (plain text meets a reset or silence, depending on timing)
        assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value.__cause__)
