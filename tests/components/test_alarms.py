"""Alarms: the right signals, the right thresholds, a runbook link each, and one topic to notify or none."""

import json
import re
from typing import Any

import pytest
from pulumi.provider.experimental.analyzer import Analyzer

from components.observability import DEFAULT_RUNBOOK_URL, Alarms, AlarmsArgs
from components.observability._alarm_specs import MEANINGS
from components.observability._topic import key_policy
from handler import metrics as handler_metrics
from tests.components import fake_pipeline
from tests.components.harness import ACCOUNT, ROOT, run

TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:ops-pager"
EMAIL = "oncall@example.com"
RUNBOOK = (ROOT / "docs" / "runbook.md").read_text()
HANDLER_METRICS = {handler_metrics.STORE_FAILURES, handler_metrics.STORE_LATENCY}


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _sections(markdown: str, under: str | None = None) -> set[str]:
    """The anchors of the markdown's headings (outside code fences); only those below `## <under>`."""
    anchors, fenced, inside = set(), False, under is None
    for line in markdown.splitlines():
        fenced ^= line.startswith("```")
        if fenced or not (heading := re.match(r"(#{1,6})\s+(.+)", line)):
            continue
        if under is not None and len(heading[1]) == 2:
            inside = heading[2] == under
        elif inside:
            anchors.add(_slug(heading[2]))
    return anchors


def _program(**extra: Any):
    def program() -> dict[str, Any]:
        alarms = Alarms("ops", AlarmsArgs(**fake_pipeline.resources(), **extra))
        return {"topic": alarms.topic_arn, "arns": alarms.alarm_arns}

    return program


@pytest.fixture(scope="module")
def silent():
    return run(_program())


@pytest.fixture(scope="module")
def serverless():
    return run(_program(db_serverless=True))


@pytest.fixture(scope="module")
def by_email():
    return run(_program(alarm_email=EMAIL))


@pytest.fixture(scope="module")
def by_topic():
    return run(_program(alarm_topic_arn=TOPIC))


@pytest.fixture(scope="module")
def tuned():
    return run(
        _program(
            min_tasks=2,
            store_deadline_seconds=2.0,
            store_latency_share=0.5,
            db_cpu_percent=70,
            runbook_url="https://github.com/acme/order-events/blob/main/docs/runbook.md",
        )
    )


def _alarms(graph) -> dict[str, dict[str, Any]]:
    registered = graph.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    found = {alarm.inputs["metricName"]: alarm.inputs for alarm in registered}
    assert len(found) == len(registered), "one alarm per metric"
    return found


def test_the_pipeline_has_these_alarms(silent):
    assert set(_alarms(silent)) == {
        "5XXError", "ApproximateNumberOfMessagesVisible", "FailedInvocations", "UnHealthyHostCount",
        "RunningTaskCount", handler_metrics.STORE_FAILURES, handler_metrics.STORE_LATENCY, "CPUUtilization",
    }  # fmt: skip
    assert len(silent.values["arns"]) == 8


def test_a_serverless_database_adds_its_capacity_alarm_and_keeps_the_cpu_one(serverless):
    # Given db.serverless instances: CPU still matters, and the capacity in DCUs is what can run out
    alarms = _alarms(serverless)
    assert set(alarms) - set(_alarms(run(_program()))) == {"DCUUtilization"}
    capacity = alarms["DCUUtilization"]
    # Then it fires when the writer averages above 90 % of its maximum DCUs for fifteen minutes
    assert capacity["namespace"] == "AWS/DocDB"
    assert (capacity["statistic"], capacity["threshold"]) == ("Average", 90)
    assert capacity["period"] * capacity["evaluationPeriods"] == 15 * 60
    assert capacity["dimensions"] == alarms["CPUUtilization"]["dimensions"]
    assert capacity["dimensions"]["Role"] == "WRITER"
    assert "CPUCreditBalance" not in alarms  # serverless is no burstable class


def test_every_alarm_notifies_the_topic_it_created_for_the_address(by_email):
    topic = by_email.one("aws:sns/topic:Topic").outputs["arn"]
    for name, alarm in _alarms(by_email).items():
        assert alarm["alarmActions"] == [topic] and alarm["okActions"] == [topic], name
    assert by_email.values["topic"] == topic


def test_every_alarm_notifies_the_given_topic_and_nothing_is_created(by_topic):
    for name, alarm in _alarms(by_topic).items():
        assert alarm["alarmActions"] == [TOPIC] and alarm["okActions"] == [TOPIC], name
    assert by_topic.values["topic"] == TOPIC
    for type_ in ("aws:sns/topic:Topic", "aws:kms/key:Key", "aws:sns/topicSubscription:TopicSubscription"):
        assert not by_topic.of_type(type_)


def test_without_a_topic_no_alarm_has_an_action(silent):
    for name, alarm in _alarms(silent).items():
        assert not alarm.get("alarmActions") and not alarm.get("okActions"), name
    assert silent.values["topic"] is None
    assert not silent.of_type("aws:sns/topic:Topic")


def test_each_description_is_one_sentence_and_links_a_runbook_section_that_exists(serverless):
    # Given the runbook's headings, and every alarm (a serverless database's included)
    anchors = _sections(RUNBOOK)
    linked = set()
    for name, alarm in _alarms(serverless).items():
        # When the description is split at its link
        meaning, link = alarm["alarmDescription"].split(" Runbook: ")
        url, anchor = link.split("#")
        # Then it says one sentence and points at a heading of docs/runbook.md, by an absolute URL (the
        # description is read in an e-mail): the project repository's by default
        assert meaning.endswith(".") and ". " not in meaning, name
        assert url == DEFAULT_RUNBOOK_URL and anchor in anchors, name
        assert url.startswith("https://") and url.endswith("/docs/runbook.md"), name
        linked.add(anchor)
    # And every section under "Alarms" in the runbook belongs to an alarm
    assert linked == _sections(RUNBOOK, under="Alarms") == set(MEANINGS)


@pytest.mark.parametrize(
    "url", ["docs/runbook.md", "/docs/runbook.md", "github.com/acme/x", "https://x/r.md#a"]
)
def test_a_runbook_link_an_email_could_not_open_is_refused(url):
    names = dict.fromkeys(fake_pipeline.NAME_FIELDS, "x")
    with pytest.raises(ValueError, match=r"`runbook_url` must be an absolute http\(s\) URL"):
        Alarms("ops", AlarmsArgs(**names, runbook_url=url))


def test_the_runbook_url_is_configurable(tuned):
    for alarm in _alarms(tuned).values():
        assert (
            "Runbook: https://github.com/acme/order-events/blob/main/docs/runbook.md#"
            in (alarm["alarmDescription"])
        )


# metric -> comparison, threshold, statistic (percentiles are extended), period, periods, missing data
DEFAULTS = {
    "5XXError": ("GreaterThanThreshold", 0, "Sum", 300, 1, "notBreaching"),
    "ApproximateNumberOfMessagesVisible": ("GreaterThanThreshold", 0, "Maximum", 300, 1, "notBreaching"),
    "FailedInvocations": ("GreaterThanThreshold", 0, "Sum", 300, 1, "notBreaching"),
    "UnHealthyHostCount": ("GreaterThanThreshold", 0, "Maximum", 60, 3, "notBreaching"),
    "RunningTaskCount": ("LessThanThreshold", 1, "Average", 60, 5, "breaching"),
    handler_metrics.STORE_FAILURES: ("GreaterThanThreshold", 0, "Sum", 300, 1, "notBreaching"),
    handler_metrics.STORE_LATENCY: ("GreaterThanThreshold", 2400, "p99", 300, 2, "notBreaching"),
    "CPUUtilization": ("GreaterThanThreshold", 80, "Average", 300, 3, "missing"),
}


@pytest.mark.parametrize("metric", sorted(DEFAULTS))
def test_default_thresholds_and_missing_data(silent, metric):
    comparison, threshold, statistic, period, periods, missing = DEFAULTS[metric]
    alarm = _alarms(silent)[metric]
    assert alarm["comparisonOperator"] == comparison and alarm["threshold"] == threshold
    assert alarm.get("extendedStatistic" if statistic.startswith("p") else "statistic") == statistic
    assert alarm["period"] == period
    assert alarm["evaluationPeriods"] == alarm["datapointsToAlarm"] == periods
    assert alarm["treatMissingData"] == missing


def test_the_p99_alarm_evaluates_low_sample_counts(silent):
    latency = _alarms(silent)[handler_metrics.STORE_LATENCY]
    assert latency["evaluateLowSampleCountPercentiles"] == "evaluate" and "statistic" not in latency


def test_thresholds_follow_the_args(tuned):
    alarms = _alarms(tuned)
    assert alarms["RunningTaskCount"]["threshold"] == 2
    assert alarms[handler_metrics.STORE_LATENCY]["threshold"] == 1000  # 50 % of 2 s, in ms
    assert alarms["CPUUtilization"]["threshold"] == 70


def test_every_aws_alarm_points_at_its_resource_with_the_documented_dimensions(silent):
    expected = fake_pipeline.expected_dimensions(silent) | {"Role": "WRITER"}
    for name, alarm in _alarms(silent).items():
        if name in HANDLER_METRICS:
            continue
        dimensions = alarm["dimensions"]
        assert frozenset(dimensions) == fake_pipeline.DOCUMENTED[alarm["namespace"], name], name
        assert dimensions == {key: expected[key] for key in dimensions}, name


async def test_handler_alarms_watch_what_the_handler_emits(silent, capsys):
    line, _ = await fake_pipeline.handler_emf_line(capsys)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    (dimension_set,) = directive["Dimensions"]
    emitted = {metric["Name"] for metric in directive["Metrics"]}
    for name in HANDLER_METRICS:
        alarm = _alarms(silent)[name]
        assert name in emitted and alarm["namespace"] == directive["Namespace"]
        assert alarm["dimensions"] == {key: line[key] for key in dimension_set}


def test_the_created_topic_is_encrypted_with_a_key_cloudwatch_may_use(by_email):
    key = by_email.one("aws:kms/key:Key")
    topic = by_email.one("aws:sns/topic:Topic")
    # A customer managed key, rotated, not the AWS managed alias/aws/sns CloudWatch cannot be granted
    assert topic.inputs["kmsMasterKeyId"] == key.outputs["arn"] != "alias/aws/sns"
    assert key.inputs["enableKeyRotation"] is True
    # Its policy: the account administers it; CloudWatch may generate data keys and decrypt
    policy = by_email.one("aws:kms/keyPolicy:KeyPolicy")
    assert policy.inputs["keyId"] == key.outputs["id"]
    statements = {s["Sid"]: s for s in policy.json("policy")["Statement"]}
    assert statements["AccountAdministersTheKey"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    cloudwatch = statements["CloudWatchAlarmsPublishToTheTopic"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(cloudwatch["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    # And the address is subscribed to the topic
    subscription = by_email.one("aws:sns/topicSubscription:TopicSubscription").inputs
    assert (subscription["protocol"], subscription["endpoint"]) == ("email", EMAIL)
    assert subscription["topic"] == topic.outputs["arn"]


def test_key_policy_takes_partition_and_account_from_the_topic():
    policy = json.loads(key_policy("arn:aws-cn:sns:cn-north-1:210987654321:alerts"))
    (root,) = [s for s in policy["Statement"] if "AWS" in s["Principal"]]
    assert root["Principal"]["AWS"] == "arn:aws-cn:iam::210987654321:root"


def test_the_args_schema_is_inferred_from_the_typed_dict():
    (component,) = Analyzer("order-events").analyze([Alarms])["component_definitions"].values()
    optional = {name for name, prop in component.inputs.items() if prop.optional}
    assert optional == {"minTasks", "storeDeadlineSeconds", "storeLatencyShare", "dbCpuPercent", "alarmEmail",
                        "alarmTopicArn", "runbookUrl", "metricsNamespace", "dbServerless"}  # fmt: skip
    assert all(prop.description for prop in component.inputs.values())
    assert set(component.outputs) == {"topicArn", "alarmArns"} and component.outputs["topicArn"].optional


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"alarm_email": EMAIL, "alarm_topic_arn": TOPIC}, "alarm_topic_arn"),
        ({"min_tasks": 0}, "min_tasks"),
        ({"store_latency_share": 1.5}, "store_latency_share"),
        ({"store_deadline_seconds": 0}, "store_deadline_seconds"),
        ({"db_cpu_percent": 0}, "db_cpu_percent"),
        ({"alarm_email": "nobody"}, "alarm_email"),
        ({"alarm_topic_arn": "arn:aws:sqs:us-east-1:123456789012:queue"}, "alarm_topic_arn"),
    ],
)
def test_rejects_bad_args_naming_the_field(extra, field):
    names = dict.fromkeys(fake_pipeline.NAME_FIELDS, "x")
    with pytest.raises(ValueError, match=f"`{field}`"):
        Alarms("ops", AlarmsArgs(**names, **extra))


def test_rejects_a_missing_name_naming_the_field():
    names = dict.fromkeys(fake_pipeline.NAME_FIELDS, "x")
    del names["target_group_arn_suffix"]
    with pytest.raises(ValueError, match="`target_group_arn_suffix`"):
        Alarms("ops", AlarmsArgs(**names))
