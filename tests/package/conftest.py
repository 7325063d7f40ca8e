"""The package's plugin process, started once for the module that asks for it."""

from collections.abc import Iterator

import pytest

from provider.schema import served
from tests.package.plugin import Plugin


@pytest.fixture(scope="module")
def plugin() -> Iterator[Plugin]:
    running = Plugin()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def outputs_promised():
    """A component's outputs in the served schema: (those always given, all of them)."""
    resources = served()["resources"]

    def promised(component: str) -> tuple[set[str], set[str]]:
        entry = resources[f"order-events:index:{component}"]
        return set(entry["required"]), set(entry["properties"])

    return promised
