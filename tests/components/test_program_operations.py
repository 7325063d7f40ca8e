"""The whole program's dashboard and alarms: they watch this stack's own resources, and notify as configured.

The component tests (`test_dashboard`, `test_alarms`) build them from a fake pipeline; these run
`__main__.py` with each stack's config and check the same things against the real graph.
"""

import pulumi
import pytest

from handler import contract
from handler.metrics import SERVICE
from handler.settings import Settings
from tests.components import fake_pipeline
from tests.components.harness import ACCOUNT, PAGER_TOPIC, run_main

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
AWS_NAMESPACES = {namespace for namespace, _ in fake_pipeline.DOCUMENTED}
EMAIL = "oncall@example.com"
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:ops-pager"


def _env(graph) -> dict[str, str]:
    (container,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    return {e["name"]: e["value"] for e in container["environment"]}


def test_the_dashboard_graphs_this_stacks_resources_and_handler(stack):
    # Given the stack's graph and its one dashboard
    graph = run_main(stack)
    dashboard = graph.one("aws:cloudwatch/dashboard:Dashboard")
    assert dashboard.inputs["dashboardName"] == graph.values["dashboard_name"] == f"order-events-{stack}"
    rows = list(fake_pipeline.metric_rows(dashboard.json("dashboardBody")))
    # Then every AWS metric has the dimensions AWS documents, valued by this stack's resources
    expected = fake_pipeline.expected_dimensions(graph) | {"Role": "WRITER"}
    aws_rows = [row for row in rows if row[1] in AWS_NAMESPACES]
    for title, namespace, name, dimensions, _ in aws_rows:
        assert frozenset(dimensions) == fake_pipeline.DOCUMENTED[namespace, name], (title, name)
        assert dimensions == {key: expected[key] for key in dimensions}, (title, name)
    assert {key for *_, dimensions, _ in aws_rows for key in dimensions} == set(expected)
    # And every other metric is the handler's: its namespace, its one dimension
    handler_rows = [row for row in rows if row[1] not in AWS_NAMESPACES]
    assert handler_rows and {row[1] for row in handler_rows} == {Settings().metrics_namespace}
    assert all(dimensions == {"Service": SERVICE} for *_, dimensions, _ in handler_rows)


def test_the_dashboard_and_alarms_use_the_deadline_and_floor_the_service_runs_with(stack):
    # Given the task's store deadline (as the handler is told it) and the service's autoscaling floor
    graph = run_main(stack)
    deadline_ms = float(_env(graph)[contract.ENV_STORE_DEADLINE_SECONDS]) * 1000
    floor = graph.one("aws:appautoscaling/target:Target").inputs["minCapacity"]
    # Then the latency graph draws that deadline, and the alarms measure against both
    body = graph.one("aws:cloudwatch/dashboard:Dashboard").json("dashboardBody")
    (latency,) = [w for w in body["widgets"] if w["properties"].get("title") == "Handler: store latency (ms)"]
    assert latency["properties"]["annotations"]["horizontal"][0]["value"] == deadline_ms
    alarms = {a.inputs["metricName"]: a.inputs for a in graph.of_type(ALARM)}
    assert alarms["RunningTaskCount"]["threshold"] == floor
    assert 0 < alarms["StoreLatency"]["threshold"] < deadline_ms


def test_every_alarm_watches_this_stacks_resources(stack):
    graph = run_main(stack)
    expected = fake_pipeline.expected_dimensions(graph) | {"Role": "WRITER", "Service": SERVICE}
    for alarm in graph.of_type(ALARM):
        dimensions, name = alarm.inputs["dimensions"], alarm.inputs["metricName"]
        if alarm.inputs["namespace"] in AWS_NAMESPACES:
            assert frozenset(dimensions) == fake_pipeline.DOCUMENTED[alarm.inputs["namespace"], name], name
        assert dimensions == {key: expected[key] for key in dimensions}, name


@pytest.mark.parametrize(
    ("config", "made"), [({"alarmEmail": EMAIL}, True), ({"alarmTopicArn": TOPIC}, False)]
)
def test_every_alarm_notifies_the_configured_topic(stack, config, made):
    # Given an address (a topic is made for it) or an existing topic in the stack's config
    graph = run_main(stack, **config)
    topic = graph.one("aws:sns/topic:Topic").outputs["arn"] if made else TOPIC
    # Then every alarm notifies that topic, on alarm and on recovery, and the stack exports it
    alarms = graph.of_type(ALARM)
    assert len(alarms) == {"dev": 9, "prod": 8}[stack]  # dev's serverless database adds its capacity alarm
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [topic], alarm.name
    assert graph.values["alarm_topic_arn"] == topic
    # And only an address gets a topic of its own, with the address subscribed
    if made:
        subscription = graph.one("aws:sns/topicSubscription:TopicSubscription").inputs
        assert (subscription["endpoint"], subscription["topic"]) == (EMAIL, topic)
    else:
        assert not graph.of_type("aws:sns/topic:Topic")


def test_without_a_topic_or_address_dev_alarms_notify_nobody():
    # Given dev's committed config: no destination, and none required
    graph = run_main("dev")
    # Then its alarms exist and notify nobody
    assert all(not alarm.inputs.get("alarmActions") for alarm in graph.of_type(ALARM))
    assert graph.values["alarm_topic_arn"] is None


@pytest.mark.parametrize(("stack_name", "required"), [("prod", None), ("dev", "true")])
def test_a_stack_that_requires_on_call_refuses_alarms_that_notify_nobody(stack_name, required):
    # Given prod's committed config (it requires a destination), or dev told to require one, and neither
    # an address nor a topic ("" is unset, as `pulumi config set alarmTopicArn ""` would leave it)
    extra = {"alarmDestinationRequired": required} if required else {}
    # When the program runs, then it refuses before anything is made, naming both settings
    with pytest.raises(pulumi.RunError, match=r"`alarmEmail`.*`alarmTopicArn`") as refused:
        run_main(stack_name, alarmTopicArn="", **extra)
    assert "`alarmDestinationRequired`" in str(refused.value)


def test_prod_as_deployed_with_its_pager_topic_notifies_it():
    # Given prod with the topic its deployer sets, then every alarm notifies that topic
    graph = run_main("prod")
    assert {a for alarm in graph.of_type(ALARM) for a in alarm.inputs["alarmActions"]} == {PAGER_TOPIC}
    assert graph.values["alarm_topic_arn"] == PAGER_TOPIC


def test_an_address_and_a_topic_together_are_refused(stack):
    with pytest.raises(Exception, match="`alarm_email` and `alarm_topic_arn` are exclusive"):
        run_main(stack, alarmEmail=EMAIL, alarmTopicArn=TOPIC)


def test_the_runbooks_outputs_name_this_stacks_resources(stack):
    # Given the commands docs/runbook.md runs with the exported names
    graph = run_main(stack)
    # Then each names the resource it is for
    assert graph.values["cluster_name"] == graph.one("aws:ecs/cluster:Cluster").outputs["name"]
    assert graph.values["service_name"] == graph.one("aws:ecs/service:Service").outputs["name"]
    cluster = graph.one("aws:docdb/cluster:Cluster").outputs["clusterIdentifier"]
    assert graph.values["db_cluster_identifier"] == cluster
    assert graph.values["alb_log_bucket"] == graph.one("aws:s3/bucket:Bucket").outputs["bucket"]
