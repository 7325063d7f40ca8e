"""Bad args reach a consumer as an error on the field they wrote, in their spelling, not as a traceback.

Each case goes through the plugin process as a consumer's `pulumi up` would send it. A refused
`Construct` comes back as INVALID_ARGUMENT with a property error (path, reason), which the engine prints
under the resource as "property <path> with value '<value>' has a problem: <reason>".
"""

from typing import Any

import grpc
import pytest

from tests.package.inputs import ALARMS, DASHBOARD, wire
from tests.package.plugin import Refused

ALARMS_TOKEN, DASHBOARD_TOKEN = "order-events:index:Alarms", "order-events:index:Dashboard"

CASES = {  # id -> (component, the consumer's inputs, property path, what the reason says)
    "a required string left out": (
        ALARMS_TOKEN,
        {k: v for k, v in wire(ALARMS).items() if k != "busName"},
        "busName",
        "Missing required input 'busName' on 'Alarms'",
    ),
    "a negative integer": (
        ALARMS_TOKEN,
        wire(ALARMS) | {"minTasks": -1},
        "minTasks",
        "`minTasks` is out of range",
    ),
    "an integer with a fraction": (
        ALARMS_TOKEN,
        wire(ALARMS) | {"minTasks": 1.5},
        "minTasks",
        "must be a whole number, got 1.5",
    ),
    "a number out of its range": (
        ALARMS_TOKEN,
        wire(ALARMS) | {"storeLatencyShare": 1.5},
        "storeLatencyShare",
        "`storeLatencyShare` is out of range: 1.5",
    ),
    "a number that must be positive": (
        DASHBOARD_TOKEN,
        wire(DASHBOARD) | {"storeDeadlineSeconds": 0},
        "storeDeadlineSeconds",
        "`storeDeadlineSeconds` must be positive",
    ),
    "a malformed string": (
        ALARMS_TOKEN,
        wire(ALARMS) | {"alarmEmail": "ops"},
        "alarmEmail",
        "`alarmEmail` is out of range: 'ops'",
    ),
    "two strings that exclude each other": (
        ALARMS_TOKEN,
        wire(ALARMS) | {"alarmTopicArn": "arn:aws:sns:us-east-1:123456789012:ops"},
        "alarmEmail",
        "`alarmEmail` and `alarmTopicArn` are exclusive",
    ),
}


@pytest.mark.parametrize(("token", "inputs", "path", "reason"), CASES.values(), ids=CASES.keys())
def test_a_bad_arg_is_refused_on_the_field_the_consumer_wrote(plugin, token, inputs, path, reason):
    # When the plugin is asked to construct the component with one bad arg
    refused = plugin.construct(token, "ops", inputs)
    # Then it refuses it as the consumer's mistake, on that field, saying what is wrong
    assert isinstance(refused, Refused), "the component was built despite a bad arg"
    assert refused.code == grpc.StatusCode.INVALID_ARGUMENT
    ((got_path, got_reason),) = refused.property_errors
    assert got_path == path and reason in got_reason
    # And nothing was registered: the args are checked before any resource
    assert plugin.settled(refused.registered) == []
    # And the engine's message names the field and the value the consumer gave
    value = _shown(inputs.get(path))
    assert f"property {path}{value} has a problem: " in refused.engine_message(inputs)


def _shown(value: Any) -> str:
    return "" if value is None else f" with value '{value}'"
