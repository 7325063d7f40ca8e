"""Run a Pulumi program under mocks and record the graph it registers: the tests' view of `ops/cost/graph.py`.

The machinery lives in `ops/cost/graph.py` so that `orders cost` can run a stack the way these tests do;
this module re-exports it and adds the cache the tests rely on.
"""

import functools

from ops.cost.graph import (
    ACCOUNT,
    ELB_ARN_PREFIX,
    PAGER_TOPIC,
    PROJECT,
    REGION,
    ROOT,
    Graph,
    RecordingMocks,
    Res,
    deployed_config,
    project_config,
    run,
    run_stack,
    stack_config,
)

__all__ = [
    "ACCOUNT",
    "ELB_ARN_PREFIX",
    "PAGER_TOPIC",
    "PROJECT",
    "REGION",
    "ROOT",
    "Graph",
    "RecordingMocks",
    "Res",
    "deployed_config",
    "project_config",
    "run",
    "run_main",
    "stack_config",
]


@functools.cache
def run_main(stack: str, **overrides: str) -> Graph:
    """Run `__main__.py` as `pulumi up` would for `stack`, under mocks; cached, tests only read it.

    `overrides` sets project config keys on top of the stack's, as `pulumi config set` would; a stack that
    requires an alarm destination gets `PAGER_TOPIC` unless `overrides` names one.
    """
    return run_stack(stack, **overrides)
