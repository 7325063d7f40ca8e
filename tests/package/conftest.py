"""The package's plugin process, started once for the module that asks for it."""

from collections.abc import Iterator

import pytest

from tests.package.plugin import Plugin


@pytest.fixture(scope="module")
def plugin() -> Iterator[Plugin]:
    running = Plugin()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def schema_outputs():
    """The output names the served schema promises for a component."""
    from provider.schema import served

    resources = served()["resources"]
    return lambda component: set(resources[f"order-events:index:{component}"]["properties"])
