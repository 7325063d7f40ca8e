"""Alarms: all the pipeline's alarms in one place, each linking its runbook section, notifying one topic."""

from collections.abc import Mapping, Sequence
from typing import Any, NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.observability import _topic
from components.observability._alarm_specs import Spec, specs
from components.observability._dashboard_body import PipelineNames

#: The project's repository, whose `docs/runbook.md` the alarms link by default. No repository URL is
#: recorded anywhere else (pyproject, README): this is the placeholder a fork replaces, in `Pulumi.yaml`'s
#: `runbookUrl` or per stack; CI sets `runbookUrl` from the repository it runs in.
DEFAULT_REPOSITORY_URL = "https://github.com/your-org/order-events"
#: Absolute: an alarm's description is read in an e-mail or a pager, where a relative path goes nowhere.
DEFAULT_RUNBOOK_URL = f"{DEFAULT_REPOSITORY_URL}/blob/main/docs/runbook.md"


class AlarmsArgs(TypedDict):
    """Inputs of :class:`Alarms`: what each alarm watches, its thresholds, and where it notifies."""

    bus_name: pulumi.Input[str]
    """The custom event bus (`EventBusName`)."""
    rule_name: pulumi.Input[str]
    """The rule that targets the API (`RuleName`)."""
    dlq_name: pulumi.Input[str]
    """The rule target's dead-letter queue (`QueueName`, the name, not the URL)."""
    api_name: pulumi.Input[str]
    """The REST API's name (`ApiName`), not its id."""
    api_stage: pulumi.Input[str]
    """The API stage's name (`Stage`)."""
    alb_arn_suffix: pulumi.Input[str]
    """The load balancer's ARN suffix `app/<name>/<id>` (`LoadBalancer`)."""
    target_group_arn_suffix: pulumi.Input[str]
    """The target group's ARN suffix `targetgroup/<name>/<id>` (`TargetGroup`)."""
    cluster_name: pulumi.Input[str]
    """The ECS cluster's name (`ClusterName`)."""
    service_name: pulumi.Input[str]
    """The ECS service's name (`ServiceName`)."""
    db_cluster_identifier: pulumi.Input[str]
    """The DocumentDB cluster identifier (`DBClusterIdentifier`)."""
    min_tasks: NotRequired[pulumi.Input[int]]
    """The service's autoscaling minimum: fewer running tasks than this is an alarm. Default: `Service`'s."""
    store_deadline_seconds: NotRequired[pulumi.Input[float]]
    """The handler's store deadline; defaults to the handler's default."""
    store_latency_share: NotRequired[pulumi.Input[float]]
    """Alarm when the p99 store latency passes this share of the deadline (0-1]. Default 0.8."""
    db_cpu_percent: NotRequired[pulumi.Input[float]]
    """Alarm when the DocumentDB writer's CPU averages above this. Default 80."""
    db_serverless: NotRequired[bool]
    """The DocumentDB instances are `db.serverless`: alarm too when the writer stays near its maximum DCUs."""
    alarm_email: NotRequired[pulumi.Input[str]]
    """Create an encrypted topic and subscribe this address (it must confirm); not with `alarm_topic_arn`."""
    alarm_topic_arn: NotRequired[pulumi.Input[str]]
    """Notify this existing topic instead; not with `alarm_email`. Neither: alarms without actions."""
    runbook_url: NotRequired[pulumi.Input[str]]
    """The absolute `http(s)://` URL of `docs/runbook.md`; each description links `<runbook_url>#<section>`.
    Default: the project repository's."""
    metrics_namespace: NotRequired[pulumi.Input[str]]
    """The handler's EMF namespace; defaults to the handler's own default."""


#: The args every alarm set needs: the names its metrics are dimensioned by.
_NAME_FIELDS = tuple(PipelineNames.__dataclass_fields__)


def check_notification(args: Mapping[str, Any]) -> None:
    """Refuse an address and a topic together, or either malformed. `Pipeline` calls it too, before it
    makes anything, since its args carry the same two fields."""
    email, topic = args.get("alarm_email"), args.get("alarm_topic_arn")
    if email is not None and topic is not None:
        raise ValueError("`alarm_email` and `alarm_topic_arn` are exclusive: give one topic to notify")
    # Outputs are checked by AWS instead.
    if isinstance(email, str) and "@" not in email:
        raise ValueError(f"`alarm_email` is out of range: {email!r}")
    if isinstance(topic, str) and not (topic.startswith("arn:") and ":sns:" in topic):
        raise ValueError(f"`alarm_topic_arn` is out of range: {topic!r}")


def check_runbook_url(args: Mapping[str, Any]) -> None:
    """Refuse a runbook link a reader of the alarm's e-mail could not open: a relative path, a fragment.
    `Pipeline` calls it too, before it makes anything."""
    url = args.get("runbook_url")
    if isinstance(url, str) and not (url.startswith(("https://", "http://")) and "#" not in url):
        raise ValueError(
            f"`runbook_url` must be an absolute http(s) URL without a #fragment (it is read in an alarm's "
            f"e-mail), got {url!r}"
        )


def _check(args: AlarmsArgs) -> None:
    for field in _NAME_FIELDS:
        if args.get(field) is None:
            raise ValueError(f"`{field}` is required: an alarm's metric is dimensioned by it")
    check_notification(args)
    check_runbook_url(args)
    limits: dict[str, Any] = {
        "min_tasks": lambda v: isinstance(v, int) and v >= 1,
        "store_deadline_seconds": lambda v: v > 0,
        "store_latency_share": lambda v: 0 < v <= 1,
        "db_cpu_percent": lambda v: 0 < v <= 100,
    }
    for field, ok in limits.items():
        value = args.get(field)
        if isinstance(value, int | float | str) and not ok(value):  # Outputs are checked by AWS instead
            raise ValueError(f"`{field}` is out of range: {value!r}")


class Alarms(pulumi.ComponentResource):
    """The pipeline's CloudWatch alarms, and the encrypted SNS topic they notify when given an address."""

    topic_arn: pulumi.Output[str] | None
    """The topic the alarms notify (created or given); None when neither was given."""
    alarm_arns: pulumi.Output[list[str]]
    """Every alarm's ARN (for an alarm-status widget, say)."""

    def __init__(self, name: str, args: AlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:Alarms", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        topic_arn, wait_for = args.get("alarm_topic_arn"), []
        if args.get("alarm_email") is not None:
            topic, key_policy = _topic.email_topic(f"{name}-alerts", args["alarm_email"], child)
            topic_arn, wait_for = topic.arn, [key_policy]
        actions = [] if topic_arn is None else [topic_arn]
        runbook = args.get("runbook_url", DEFAULT_RUNBOOK_URL)
        alarm_opts = pulumi.ResourceOptions(parent=self, depends_on=wait_for)
        alarms = [_alarm(f"{name}-{spec.role}", spec, actions, runbook, alarm_opts) for spec in specs(args)]

        self.topic_arn = None if topic_arn is None else pulumi.Output.from_input(topic_arn)
        self.alarm_arns = pulumi.Output.all(*(alarm.arn for alarm in alarms))
        self.register_outputs({"topic_arn": self.topic_arn, "alarm_arns": self.alarm_arns})


def _alarm(
    name: str,
    spec: Spec,
    actions: Sequence[pulumi.Input[str]],
    runbook: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> aws.cloudwatch.MetricAlarm:
    percentile = spec.statistic.startswith("p")
    return aws.cloudwatch.MetricAlarm(
        name,
        alarm_description=pulumi.Output.concat(spec.meaning, " Runbook: ", runbook, f"#{spec.anchor}"),
        namespace=spec.namespace,
        metric_name=spec.metric,
        dimensions=dict(spec.dimensions),
        statistic=None if percentile else spec.statistic,
        extended_statistic=spec.statistic if percentile else None,
        # The handler sends at most 100 latency samples per task a minute, below the 1000 a p99 needs
        # before CloudWatch evaluates it on its own; evaluate anyway.
        evaluate_low_sample_count_percentiles="evaluate" if percentile else None,
        period=spec.period,
        evaluation_periods=spec.evaluation_periods,
        datapoints_to_alarm=spec.evaluation_periods,
        threshold=spec.threshold,
        comparison_operator=spec.comparison,
        treat_missing_data=spec.missing,
        alarm_actions=list(actions),
        ok_actions=list(actions),
        opts=opts,
    )
