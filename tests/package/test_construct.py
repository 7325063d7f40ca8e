"""Construct through the plugin, as `pulumi up` does for a consumer's component: the same graph as Python.

The plugin runs as a subprocess (`python provider/ <engine>`) and gets a real gRPC `Construct`, with the
inputs a consumer's program sends (camelCase names, plain values, numbers as doubles) and the address
of a resource monitor in this process that answers with the component tests' mocks. What it registers
is compared with what the same component registers when Python code builds it directly.
"""

from typing import Any

import pytest

from components.observability import Alarms, AlarmsArgs, Dashboard, DashboardArgs
from tests.components import harness
from tests.package.inputs import ALARMS, DASHBOARD, wire
from tests.package.plugin import Constructed


def graph(resources: list[harness.Res]) -> list[tuple[str, str, dict[str, Any]]]:
    return sorted((r.type, r.name, r.inputs) for r in resources)


@pytest.mark.parametrize(
    ("component", "args_type", "args"),
    [(Alarms, AlarmsArgs, ALARMS), (Dashboard, DashboardArgs, DASHBOARD)],
    ids=["Alarms", "Dashboard"],
)
def test_the_plugin_builds_what_python_builds(plugin, component, args_type, args):
    # Given a component's args, as a consumer in another language writes them
    token = f"order-events:index:{component.__name__}"
    # When the plugin constructs it
    built = plugin.construct(token, "ops", wire(args))
    # Then it registers the component under the type asked for, parented to the consumer's stack
    assert isinstance(built, Constructed), built
    assert built.urn.endswith(f"pulumi:pulumi:Stack${token}::ops")
    # And the same resources, with the same inputs, as Python code building it directly
    direct = harness.run(lambda: component("ops", args_type(**args)) and None)
    assert graph(built.resources) == graph(direct.resources)


def test_the_consumer_gets_every_output_the_schema_promises(plugin, outputs_promised):
    built = plugin.construct("order-events:index:Alarms", "ops", wire(ALARMS))
    always, every = outputs_promised("Alarms")
    assert always <= set(built.state) <= every
    assert len(built.state["alarmArns"]) == 8 and built.state["topicArn"].startswith("arn:aws:sns:")


def test_whole_numbers_reach_the_component_as_integers(plugin):
    # Given minTasks 2, which reaches the plugin as the double 2.0 (protobuf has no integers)
    built = plugin.construct("order-events:index:Alarms", "ops", wire(ALARMS))
    # Then the component took it as the integer 2: its task-count alarm fires below 2 tasks
    (alarm,) = [r for r in built.resources if r.name == "ops-tasks-below-minimum"]
    assert alarm.inputs["threshold"] == 2
