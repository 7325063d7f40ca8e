"""A mocked stand-in for the pipeline's resources, for the `Dashboard` and `Alarms` tests.

`resources()` registers one of each resource a dashboard or an alarm points at (the mocks answer with
the names, ARN suffixes and cluster identifier CloudWatch knows them by), `expected_dimensions()` says
which output each CloudWatch dimension must carry, and `metric_rows()` reads a dashboard body's metrics.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components.observability._dashboard_body import widget_title
from handler import metrics as handler_metrics
from handler.metrics import Metrics
from handler.settings import Settings
from tests.components.harness import Graph

#: The args `Dashboard` and `Alarms` both take: what CloudWatch knows each hop by.
NAME_FIELDS = (
    "bus_name", "rule_name", "dlq_name", "api_name", "api_stage", "alb_arn_suffix",
    "target_group_arn_suffix", "cluster_name", "service_name", "db_cluster_identifier",
)  # fmt: skip


def resources() -> dict[str, pulumi.Output[str]]:
    """Register one of each resource the pipeline has; return the names CloudWatch knows them by."""
    bus = aws.cloudwatch.EventBus("orders-bus", name="orders-bus")
    rule = aws.cloudwatch.EventRule("orders-rule", event_bus_name=bus.name, event_pattern="{}")
    dlq = aws.sqs.Queue("orders-dlq")
    api = aws.apigateway.RestApi("orders-rest", name="orders-rest")
    stage = aws.apigateway.Stage("orders-stage", rest_api=api.id, deployment="dep-1", stage_name="v1")
    lb = aws.lb.LoadBalancer("orders-lb", internal=True, load_balancer_type="application")
    tg = aws.lb.TargetGroup("orders-tg", port=8080, protocol="HTTP", target_type="ip", vpc_id="vpc-1")
    cluster = aws.ecs.Cluster("orders-cluster")
    service = aws.ecs.Service("orders-service", cluster=cluster.arn)
    db = aws.docdb.Cluster("orders-db", engine="docdb")
    return {
        "bus_name": bus.name,
        "rule_name": rule.name,
        "dlq_name": dlq.name,
        "api_name": api.name,
        "api_stage": stage.stage_name,
        "alb_arn_suffix": lb.arn_suffix,
        "target_group_arn_suffix": tg.arn_suffix,
        "cluster_name": cluster.name,
        "service_name": service.name,
        "db_cluster_identifier": db.cluster_identifier,
    }


def expected_dimensions(graph: Graph) -> dict[str, str]:
    """Each CloudWatch dimension name -> the output of the resource it must point at."""

    def out(type_: str, key: str) -> str:
        return graph.one(type_).outputs[key]

    return {
        "EventBusName": out("aws:cloudwatch/eventBus:EventBus", "name"),
        "RuleName": out("aws:cloudwatch/eventRule:EventRule", "name"),
        "QueueName": out("aws:sqs/queue:Queue", "name"),
        "ApiName": out("aws:apigateway/restApi:RestApi", "name"),
        "Stage": out("aws:apigateway/stage:Stage", "stageName"),
        "LoadBalancer": out("aws:lb/loadBalancer:LoadBalancer", "arnSuffix"),
        "TargetGroup": out("aws:lb/targetGroup:TargetGroup", "arnSuffix"),
        "ClusterName": out("aws:ecs/cluster:Cluster", "name"),
        "ServiceName": out("aws:ecs/service:Service", "name"),
        "DBClusterIdentifier": out("aws:docdb/cluster:Cluster", "clusterIdentifier"),
    }


#: What AWS documents for each metric the pipeline reads: namespace, metric -> its dimension set.
#: (Pages cited in components/observability/_metrics.py; DocumentDB's `Role` set narrows to the writer.)
DOCUMENTED: dict[tuple[str, str], frozenset[str]] = {
    **{("AWS/Events", name): frozenset({"EventBusName", "RuleName"})
       for name in ("TriggeredRules", "Invocations", "FailedInvocations", "InvocationsSentToDlq")},
    ("AWS/SQS", "ApproximateNumberOfMessagesVisible"): frozenset({"QueueName"}),
    **{("AWS/ApiGateway", name): frozenset({"ApiName", "Stage"})
       for name in ("Count", "4XXError", "5XXError", "Latency", "IntegrationLatency")},
    **{("AWS/ApplicationELB", name): frozenset({"LoadBalancer"})
       for name in ("RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime")},
    **{("AWS/ApplicationELB", name): frozenset({"LoadBalancer", "TargetGroup"})
       for name in ("HealthyHostCount", "UnHealthyHostCount")},
    **{("AWS/ECS", name): frozenset({"ClusterName", "ServiceName"})
       for name in ("CPUUtilization", "MemoryUtilization")},
    **{("ECS/ContainerInsights", name): frozenset({"ClusterName", "ServiceName"})
       for name in ("RunningTaskCount", "DesiredTaskCount")},
    **{("AWS/DocDB", name): frozenset({"DBClusterIdentifier", "Role"})
       for name in ("CPUUtilization", "DatabaseConnections", "FreeableMemory", "WriteLatency",
                    "ServerlessDatabaseCapacity", "DCUUtilization")},
}  # fmt: skip


def metric_rows(body: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, str], dict[str, Any]]]:
    """(widget title, namespace, metric, dimensions, rendering options) for every metric on a dashboard."""
    for widget in body["widgets"]:
        for row in widget["properties"].get("metrics", []):
            render = row[-1] if isinstance(row[-1], dict) else {}
            plain = row[:-1] if render else row
            namespace, name, pairs = plain[0], plain[1], plain[2:]
            dimensions = dict(zip(pairs[::2], pairs[1::2], strict=True))
            yield widget_title(widget), namespace, name, dimensions, render


async def handler_emf_line(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], set[str]]:
    """One EMF line from the real handler code, with every counter and a latency sample in it.

    Returns the line (its `_aws` directive says namespace, dimensions and metrics; the dimension values
    are top-level keys) and the names of every metric constant in `handler.metrics`.
    """
    emitter = Metrics(Settings().metrics_namespace, interval_seconds=60)
    constants = {v for k, v in vars(handler_metrics).items() if k.isupper() and isinstance(v, str)}
    names = constants - {handler_metrics.SERVICE}  # a dimension value, not a metric
    for name in names - {handler_metrics.STORE_LATENCY}:
        emitter.count(name)
    emitter.store_latency(12.0)
    await emitter.flush()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1]), names
