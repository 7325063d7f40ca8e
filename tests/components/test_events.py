"""Events: bus + archive, a rule that matches only our events, an API target with retries and a DLQ."""

import json
from pathlib import Path

import pytest
from moto.events.models import EventPattern

from components.events import DLQ_RETENTION_SECONDS, Events, EventsArgs, event_pattern
from tests.components.harness import run

TARGET = "arn:aws:execute-api:us-east-1:123456789012:api-id/v1/PUT/orders"
SAMPLE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "create-order.json").read_text())


@pytest.fixture(scope="module")
def graph():
    def program():
        events = Events("ev", EventsArgs(target_arn=TARGET, archive_retention_days=30))
        return {
            "rule": events.rule_arn,
            "rule_name": events.rule_name,
            "dlq_name": events.dlq_name,
            "bus_name": events.bus_name,
        }

    return run(program)


def test_bus_archive_and_rule(graph):
    bus = graph.one("aws:cloudwatch/eventBus:EventBus")
    archive = graph.one("aws:cloudwatch/eventArchive:EventArchive").inputs
    assert archive["eventSourceArn"] == bus.outputs["arn"] and archive["retentionDays"] == 30
    rule = graph.one("aws:cloudwatch/eventRule:EventRule")
    assert rule.inputs["eventBusName"] == bus.outputs["name"]
    assert json.loads(rule.inputs["eventPattern"]) == event_pattern()


def test_target_calls_the_route_with_retries_and_a_dlq(graph):
    target = graph.one("aws:cloudwatch/eventTarget:EventTarget").inputs
    dlq = graph.one("aws:sqs/queue:Queue")
    role = graph.one("aws:iam/role:Role")
    assert target["arn"] == TARGET and target["roleArn"] == role.outputs["arn"]
    assert target["retryPolicy"] == {"maximumEventAgeInSeconds": 86_400, "maximumRetryAttempts": 185}
    assert target["deadLetterConfig"] == {"arn": dlq.outputs["arn"]}
    assert dlq.inputs["sqsManagedSseEnabled"] is True
    assert dlq.inputs["messageRetentionSeconds"] == DLQ_RETENTION_SECONDS == 14 * 86_400


def test_iam_and_queue_policies_are_exact(graph):
    role = graph.one("aws:iam/role:Role")
    (trust,) = role.json("assumeRolePolicy")["Statement"]
    assert trust["Principal"] == {"Service": "events.amazonaws.com"}
    assert trust["Condition"] == {"ArnEquals": {"aws:SourceArn": graph.values["rule"]}}
    (statement,) = graph.one("aws:iam/rolePolicy:RolePolicy").json("policy")["Statement"]
    assert statement == {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": TARGET}
    dlq = graph.one("aws:sqs/queue:Queue")
    queue_policy = graph.one("aws:sqs/queuePolicy:QueuePolicy")
    assert queue_policy.inputs["queueUrl"] == dlq.outputs["url"]
    (send,) = queue_policy.json("policy")["Statement"]
    assert send["Resource"] == dlq.outputs["arn"] and send["Action"] == "sqs:SendMessage"
    assert send["Condition"] == {"ArnEquals": {"aws:SourceArn": graph.values["rule"]}}


def test_no_alarm_of_its_own_but_the_names_alarms_watch_it_by(graph):
    # Given the events component alone, then it alarms on nothing itself
    assert not graph.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    # And it exposes the names `Alarms` watches its DLQ depth and failed invocations by
    assert graph.values["dlq_name"] == graph.one("aws:sqs/queue:Queue").outputs["name"]
    assert graph.values["rule_name"] == graph.one("aws:cloudwatch/eventRule:EventRule").outputs["name"]
    assert graph.values["bus_name"] == graph.one("aws:cloudwatch/eventBus:EventBus").outputs["name"]


@pytest.mark.parametrize(
    ("change", "matches"),
    [
        ({}, True),
        ({"source": "marketing"}, False),
        ({"detail-type": "CancelOrder"}, False),
        ({"source": "ecommerce.test"}, False),
    ],
)
def test_pattern_matches_the_sample_event_only(graph, change, matches):
    # Given the rule's pattern as registered, and the sample event (maybe altered)
    pattern = EventPattern.load(graph.one("aws:cloudwatch/eventRule:EventRule").inputs["eventPattern"])
    # Then moto's matcher accepts exactly our source and detail-type
    assert pattern.matches_event({**SAMPLE, **change}) is matches


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"max_retry_attempts": 186}, "max_retry_attempts"),
        ({"max_event_age_seconds": 59}, "max_event_age_seconds"),
        ({"archive_retention_days": -1}, "archive_retention_days"),
    ],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        Events("ev", EventsArgs(target_arn=TARGET, **args))


def test_used_alone_it_needs_a_target():
    with pytest.raises(ValueError, match="`target_arn` is required"):
        Events("ev", EventsArgs(archive_retention_days=1))
