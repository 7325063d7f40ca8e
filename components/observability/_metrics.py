"""Where each hop's CloudWatch metrics live: namespaces, metric names and dimension sets, written once.

`Dashboard` and `Alarms` both build their metrics from these helpers, so a graph and the alarm on the
same signal cannot point at different dimensions. Every helper takes plain strings or Pulumi inputs
alike (it only places them in a dict). Each namespace cites the AWS page that lists its metrics and
dimension sets; the handler's names and defaults come from `handler.contract`.
"""

from typing import Final, TypeVar

from handler import contract

T = TypeVar("T")

# AWS/Events: "Metrics that specify both the EventBusName and RuleName dimensions refer to a custom event
# bus." MatchedEvents counts events that matched *any* rule; the per-rule count is TriggeredRules.
# FailedInvocations and Invocations are sent "only ... if it isn't zero".
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
EVENTS: Final = "AWS/Events"
# AWS/SQS, dimension QueueName.
# https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
SQS: Final = "AWS/SQS"
# AWS/ApiGateway: the "ApiName, Stage" set filters "for the API stage resource with the specified API
# name and stage"; Count is read with SampleCount, 4XXError/5XXError with Sum.
# https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
API_GATEWAY: Final = "AWS/ApiGateway"
# AWS/ApplicationELB: LoadBalancer is "app/load-balancer-name/1234567890123456 (the final portion of the
# load balancer ARN)", TargetGroup "targetgroup/target-group-name/1234567890123456"; HealthyHostCount and
# UnHealthyHostCount are per target group (TargetGroup, LoadBalancer).
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
ALB: Final = "AWS/ApplicationELB"
# AWS/ECS: service CPUUtilization and MemoryUtilization are "filtered by ClusterName and ServiceName".
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html
ECS: Final = "AWS/ECS"
# ECS/ContainerInsights: RunningTaskCount and DesiredTaskCount, dimensions "ServiceName, ClusterName";
# published only when the cluster has Container Insights on (components/service.py turns it on).
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
CONTAINER_INSIGHTS: Final = "ECS/ContainerInsights"
# AWS/DocDB: CPUUtilization, DatabaseConnections, FreeableMemory and WriteLatency are instance metrics;
# "DBClusterIdentifier, Role" aggregates them "by instance role (WRITER/READER)". The handler reads and
# writes the primary only (readPreference=primary), so the writer is the instance that matters.
# https://docs.aws.amazon.com/documentdb/latest/developerguide/cloud_watch.html#cloud_watch-metrics_dimensions
DOCDB: Final = "AWS/DocDB"
DOCDB_WRITER: Final = "WRITER"
# AWS/DocDB, serverless instances only: ServerlessDatabaseCapacity (the instance's current capacity in DCUs)
# and DCUUtilization (that capacity over the cluster's maximum, in %; near 100 the instance "has scaled up
# as high as it can"). Both are instance-level, so the writer's are read by "DBClusterIdentifier, Role" as
# the others are. https://docs.aws.amazon.com/documentdb/latest/developerguide/docdb-serverless-monitoring.html
DOCDB_CAPACITY: Final = "ServerlessDatabaseCapacity"
DOCDB_DCU_UTILIZATION: Final = "DCUUtilization"

#: The handler's EMF namespace when `HANDLER_METRICS_NAMESPACE` is unset (the task does not set it).
HANDLER_NAMESPACE: Final = contract.DEFAULTS["metrics_namespace"]
#: The value of the handler's one EMF dimension, `Service`.
HANDLER_SERVICE: Final = contract.METRIC_SERVICE
#: The store deadline the handler uses when `HANDLER_STORE_DEADLINE_SECONDS` is unset.
STORE_DEADLINE_SECONDS: Final = contract.DEFAULTS["store_deadline_seconds"]

#: The handler's counters, in the order an event's outcomes read: stored, replayed, refused, failed, shed.
HANDLER_OUTCOMES: Final = (
    contract.METRIC_CREATED,
    contract.METRIC_REPLAYED,
    contract.METRIC_CONFLICTS,
    contract.METRIC_REJECTED,
)
HANDLER_TROUBLE: Final = (
    contract.METRIC_STORE_FAILURES,
    contract.METRIC_CREDENTIALS_REJECTED,
    contract.METRIC_OVERLOADED,
)
STORE_LATENCY: Final = contract.METRIC_STORE_LATENCY  # milliseconds


def rule(bus_name: T, rule_name: T) -> dict[str, T]:
    """A rule on a custom bus (AWS/Events)."""
    return {"EventBusName": bus_name, "RuleName": rule_name}


def queue(queue_name: T) -> dict[str, T]:
    """An SQS queue (AWS/SQS)."""
    return {"QueueName": queue_name}


def api_stage(api_name: T, stage: T) -> dict[str, T]:
    """A REST API stage (AWS/ApiGateway)."""
    return {"ApiName": api_name, "Stage": stage}


def load_balancer(alb_arn_suffix: T) -> dict[str, T]:
    """A load balancer (AWS/ApplicationELB), by its ARN suffix `app/<name>/<id>`."""
    return {"LoadBalancer": alb_arn_suffix}


def target_group(alb_arn_suffix: T, target_group_arn_suffix: T) -> dict[str, T]:
    """A target group behind a load balancer (AWS/ApplicationELB), by both ARN suffixes."""
    return {"LoadBalancer": alb_arn_suffix, "TargetGroup": target_group_arn_suffix}


def ecs_service(cluster_name: T, service_name: T) -> dict[str, T]:
    """An ECS service (AWS/ECS and ECS/ContainerInsights)."""
    return {"ClusterName": cluster_name, "ServiceName": service_name}


def docdb_writer(cluster_identifier: T) -> dict[str, T | str]:
    """The writer instance of a DocumentDB cluster (AWS/DocDB)."""
    return {"DBClusterIdentifier": cluster_identifier, "Role": DOCDB_WRITER}


def handler() -> dict[str, str]:
    """The handler's EMF dimension set."""
    return {"Service": HANDLER_SERVICE}
