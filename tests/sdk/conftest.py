"""The generated SDKs, made once per test session (see build.py for what is cached and where)."""

from pathlib import Path

import pytest

from tests.sdk import build


@pytest.fixture(scope="session")
def generated() -> Path:
    """`.tools/sdk/generated`, with nodejs/, go/ and python/ from provider/schema.json."""
    return build.generate()
