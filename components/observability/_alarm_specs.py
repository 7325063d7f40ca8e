"""What each of the pipeline's alarms watches, when it fires, and how it reads missing data.

Every alarm means one thing, said in one sentence in `MEANINGS` and at length in `docs/runbook.md` under
the heading whose anchor is the key. Missing-data choices (CloudWatch's `treat_missing_data`) follow how
each metric is published; the comment above each spec says why.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from components.observability import _metrics as m
from components.service import DEFAULT_MIN_TASKS
from handler.contract import METRIC_STORE_FAILURES, METRIC_STORE_LATENCY

DEFAULT_LATENCY_SHARE = 0.8
DEFAULT_DB_CPU_PERCENT = 80.0
DEFAULT_DB_DCU_PERCENT = 90.0

#: One sentence per alarm, keyed by its runbook section's anchor.
MEANINGS = {
    "api-5xx-errors": "The REST API answered EventBridge with a 5xx in the last five minutes; "
    "deliveries are being retried.",
    "dlq-not-empty": "Events are waiting in the dead-letter queue: EventBridge gave up on them and they "
    "need a redrive.",
    "failed-invocations": "EventBridge gave up delivering at least one event to the API in the last "
    "five minutes.",
    "unhealthy-targets": "The load balancer has had a handler task failing its health check for three "
    "minutes.",
    "running-tasks-below-minimum": "Fewer handler tasks than the autoscaling minimum have been running "
    "for five minutes.",
    "store-unavailable": "The handler answered 503 in the last five minutes: DocumentDB failed or missed "
    "the store deadline.",
    "store-latency-near-the-deadline": "The handler's p99 store latency has been near the store deadline "
    "for ten minutes, one step from 503s.",
    "documentdb-cpu-high": "The DocumentDB writer's CPU has averaged above its threshold for fifteen "
    "minutes.",
    "documentdb-serverless-at-maximum-capacity": "The serverless DocumentDB writer has run near its maximum "
    "capacity (DCUs) for fifteen minutes and cannot scale further.",
}


@dataclass(frozen=True, kw_only=True)
class Spec:
    """One alarm: `statistic` is a CloudWatch statistic or a percentile (`p99`)."""

    role: str
    anchor: str
    namespace: pulumi.Input[str]
    metric: str
    dimensions: Mapping[str, pulumi.Input[str]]
    threshold: pulumi.Input[float]
    missing: str
    statistic: str = "Sum"
    comparison: str = "GreaterThanThreshold"
    period: int = 300
    evaluation_periods: int = 1

    @property
    def meaning(self) -> str:
        return MEANINGS[self.anchor]


def specs(a: Mapping[str, Any]) -> list[Spec]:
    """The alarms, in the order an event meets what they watch."""
    namespace, emf = a.get("metrics_namespace", m.HANDLER_NAMESPACE), m.handler()
    deadline = a.get("store_deadline_seconds", m.STORE_DEADLINE_SECONDS)
    share = a.get("store_latency_share", DEFAULT_LATENCY_SHARE)
    # Rounded to the microsecond, so 80 % of 3 s reads 2400, not 2400.0000000000005.
    latency_ms = pulumi.Output.all(deadline, share).apply(
        lambda v: round(float(v[0]) * float(v[1]) * 1000, 3)
    )
    api, writer = m.api_stage(a["api_name"], a["api_stage"]), m.docdb_writer(a["db_cluster_identifier"])
    targets = m.target_group(a["alb_arn_suffix"], a["target_group_arn_suffix"])
    return [
        # API Gateway sends metrics for the requests it handles: no traffic is no data, and no error.
        Spec(role="api-5xx", anchor="api-5xx-errors", missing="notBreaching",
             namespace=m.API_GATEWAY, metric="5XXError", dimensions=api,
             threshold=0),
        # SQS reports a queue's metrics while it is active, and a queue holding a message is active.
        Spec(role="dlq-depth", anchor="dlq-not-empty", missing="notBreaching", statistic="Maximum",
             namespace=m.SQS, metric="ApproximateNumberOfMessagesVisible", dimensions=m.queue(a["dlq_name"]),
             threshold=0),
        # EventBridge "only sends this metric to CloudWatch if it isn't zero".
        Spec(role="failed-invocations", anchor="failed-invocations", missing="notBreaching",
             namespace=m.EVENTS, metric="FailedInvocations", dimensions=m.rule(a["bus_name"], a["rule_name"]),
             threshold=0),
        # ELB reports only while requests flow: silence is no unhealthy target (an empty service is the
        # running-tasks alarm's). Three minutes rides out a deployment's new tasks warming up.
        Spec(role="unhealthy-targets", anchor="unhealthy-targets", missing="notBreaching",
             namespace=m.ALB, metric="UnHealthyHostCount", dimensions=targets, statistic="Maximum",
             threshold=0, period=60, evaluation_periods=3),
        # Container Insights reports the service every minute; silence means no tasks or no Container
        # Insights, and either needs a person: missing data breaches.
        Spec(role="tasks-below-minimum", anchor="running-tasks-below-minimum", missing="breaching",
             namespace=m.CONTAINER_INSIGHTS, metric="RunningTaskCount", statistic="Average",
             dimensions=m.ecs_service(a["cluster_name"], a["service_name"]),
             threshold=a.get("min_tasks", DEFAULT_MIN_TASKS), comparison="LessThanThreshold",
             period=60, evaluation_periods=5),
        # The handler writes a counter only when it counted something: missing is zero.
        Spec(role="store-unavailable", anchor="store-unavailable", missing="notBreaching",
             namespace=namespace, metric=METRIC_STORE_FAILURES, dimensions=emf, threshold=0),
        # No requests, no samples, nothing slow. Ten minutes: the acute case is store-unavailable's.
        Spec(role="store-latency", anchor="store-latency-near-the-deadline", missing="notBreaching",
             namespace=namespace, metric=METRIC_STORE_LATENCY, dimensions=emf, statistic="p99",
             threshold=latency_ms, evaluation_periods=2),
        # DocumentDB reports CPU every minute; a gap (a failover, late metrics) should neither page nor
        # clear, and an unreachable writer pages through store-unavailable from the handler's side.
        Spec(role="db-cpu", anchor="documentdb-cpu-high", missing="missing", statistic="Average",
             namespace=m.DOCDB, metric="CPUUtilization", dimensions=writer,
             threshold=a.get("db_cpu_percent", DEFAULT_DB_CPU_PERCENT), evaluation_periods=3),
        *_serverless(a, writer),
    ]  # fmt: skip


def _serverless(a: Mapping[str, Any], writer: Mapping[str, pulumi.Input[str]]) -> list[Spec]:
    """A serverless writer grows by itself until its maximum; the alarm is for when it can grow no more.

    CPU credits do not apply (serverless is no burstable class); the capacity does. Reported like CPU, so a
    gap neither pages nor clears.
    """
    if not a.get("db_serverless", False):
        return []
    return [
        Spec(role="db-capacity", anchor="documentdb-serverless-at-maximum-capacity", missing="missing",
             statistic="Average", namespace=m.DOCDB, metric=m.DOCDB_DCU_UTILIZATION, dimensions=writer,
             threshold=DEFAULT_DB_DCU_PERCENT, evaluation_periods=3),
    ]  # fmt: skip
