"""`python provider/ <engine>`, with the one call to the network a component makes answered offline.

A pipeline with no `rdsCaBundleSha256` pin fetches AWS's RDS CA bundle to checksum it while it is
constructed (components/image/_rds_ca.py). The rest of the suite answers that call offline in-process
(tests/conftest.py, `offline_rds_ca_bundle`); the plugin is another process, so this runs its entry
point with the same stand-in: AWS's URL answers OFFLINE_RDS_CA_SHA256, any other URL is fetched.
"""

import runpy
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from components.image import _rds_ca  # noqa: E402
from tests.conftest import OFFLINE_RDS_CA_SHA256  # noqa: E402

_fetch = _rds_ca.fetch_sha256


def _offline(url: str = _rds_ca.RDS_CA_BUNDLE_URL, **kwargs: Any) -> str:
    return OFFLINE_RDS_CA_SHA256 if url == _rds_ca.RDS_CA_BUNDLE_URL else _fetch(url, **kwargs)


_rds_ca.fetch_sha256 = _offline
runpy.run_path(str(ROOT / "provider"), run_name="__main__")
