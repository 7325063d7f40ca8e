"""Fixtures the whole-program tests share: each stack's graph, as `pulumi up` would build it under mocks."""

import pytest

from tests.components.harness import Graph, run_main


@pytest.fixture(params=["dev", "prod"])
def stack(request: pytest.FixtureRequest) -> str:
    """Each committed stack in turn."""
    return request.param


@pytest.fixture
def graph(stack: str) -> Graph:
    """`__main__.py` run for `stack` (cached: tests only read it); a module's own `graph` takes precedence."""
    return run_main(stack)
