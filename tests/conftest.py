"""Fixtures every part of the suite shares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from components.image import _rds_ca
from tests import samples


@pytest.fixture
def sample_event() -> dict[str, Any]:
    """The AWS sample's CreateOrder event, as EventBridge delivers it (a fresh copy per test)."""
    return samples.event()


#: What AWS's RDS CA bundle URL "serves" in tests: the suite never reaches the network.
OFFLINE_RDS_CA_SHA256 = "0123456789abcdef" * 4


@pytest.fixture(autouse=True, scope="session")
def offline_rds_ca_bundle() -> Iterator[None]:
    """A Pulumi program with no `rdsCaBundleSha256` pin fetches AWS's bundle to checksum it (see
    components/image/_rds_ca.py); offline, AWS's URL answers OFFLINE_RDS_CA_SHA256 instead. Any other URL is
    fetched for real, so tests can serve one on loopback."""
    real = _rds_ca.fetch_sha256

    def offline(url: str = _rds_ca.RDS_CA_BUNDLE_URL, **kwargs: Any) -> str:
        return OFFLINE_RDS_CA_SHA256 if url == _rds_ca.RDS_CA_BUNDLE_URL else real(url, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_rds_ca, "fetch_sha256", offline)
        yield
