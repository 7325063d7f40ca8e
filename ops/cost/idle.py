"""What each billable resource in a stack's graph costs a month while no event arrives.

One rule per billable type. A type with no rule that the table does not list as free is an error naming
the type: a resource the table does not know must not cost $0 by accident.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ops.cost.table import PriceTable
from ops.errors import OpsError

if TYPE_CHECKING:  # the graph module imports Pulumi: only `orders cost` loads it, when it runs
    from ops.cost.graph import Graph, Res


@dataclass(frozen=True)
class Line:
    """One priced item: `usd` is None when its price was not found (`price` names the table entry)."""

    resource: str
    item: str
    usd: float | None
    price: str


Rule = Callable[["Res", "Graph", PriceTable], list["Line"]]


def _hourly(res: Res, t: PriceTable, key: str, count: float, item: str) -> Line:
    usd = t.price(key).usd
    return Line(res.name, item, None if usd is None else usd * count * t.hours, key)


def _monthly(res: Res, t: PriceTable, key: str, count: float, item: str) -> Line:
    usd = t.price(key).usd
    return Line(res.name, item, None if usd is None else usd * count, key)


def _per_use(item: str) -> Rule:
    """A resource billed only by use (requests, GB stored): $0 while idle, listed so it is seen."""
    return lambda res, g, t: [Line(res.name, f"{item} (per use; $0 idle)", 0.0, "-")]


def _vpc(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    # awsx's Vpc is opaque under mocks: its NAT gateways are read from its args (strategy, and the zones:
    # named by the Network, or counted).
    strategy = (res.inputs.get("natGateways") or {}).get("strategy", "OnePerAz")
    azs = len(res.inputs.get("availabilityZoneNames") or []) or int(
        res.inputs.get("numberOfAvailabilityZones", 2)
    )
    nats = {"None": 0, "Single": 1, "OnePerAz": azs}[strategy]
    return [
        _hourly(res, t, "nat_gateway_hour", nats, f"{nats} NAT gateway(s) ({strategy})"),
        _hourly(res, t, "public_ipv4_hour", nats, f"{nats} public IPv4 address(es), one per NAT gateway"),
    ]


def _endpoint(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    if res.inputs.get("vpcEndpointType") == "Gateway":
        return [_hourly(res, t, "gateway_endpoint", 1, "S3 gateway endpoint")]
    azs = len(res.inputs.get("subnetIds", []))
    return [_hourly(res, t, "interface_endpoint_az_hour", azs, f"{res.inputs['serviceName']} in {azs} AZs")]


def _instance(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    cls = res.inputs["instanceClass"]
    if f"docdb_instance_hour.{cls}" not in t.prices:
        raise OpsError(f"the price table has no DocumentDB instance class `{cls}` (on {res.name})")
    if cls == "db.serverless":  # idle at the cluster's minimum capacity
        scaling = g.by_id(res.inputs["clusterIdentifier"]).inputs["serverlessV2ScalingConfiguration"]
        dcus = float(scaling["minCapacity"])
        return [_hourly(res, t, f"docdb_instance_hour.{cls}", dcus, f"db.serverless idle at {dcus:g} DCU")]
    return [_hourly(res, t, f"docdb_instance_hour.{cls}", 1, cls)]


def _cluster(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    lines = [Line(res.name, "storage and I/O (per use; $0 idle)", 0.0, "-")]
    if res.inputs.get("manageMasterUserPassword"):
        lines.append(_monthly(res, t, "secret_month", 1, "managed master password (Secrets Manager)"))
    return lines


def _service(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    task = g.one("aws:ecs/taskDefinition:TaskDefinition")  # the pipeline runs one service of one task
    targets = g.of_type("aws:appautoscaling/target:Target")
    tasks = int(targets[0].inputs["minCapacity"]) if targets else int(res.inputs.get("desiredCount", 1))
    arch = task.inputs["runtimePlatform"]["cpuArchitecture"].lower()
    vcpu, gb = int(task.inputs["cpu"]) / 1024, int(task.inputs["memory"]) / 1024
    return [
        _hourly(res, t, f"fargate_{arch}_vcpu_hour", tasks * vcpu, f"{tasks} task(s) x {vcpu:g} vCPU {arch}"),
        _hourly(res, t, f"fargate_{arch}_gb_hour", tasks * gb, f"{tasks} task(s) x {gb:g} GB"),
    ]


def _images(res: Res, g: Graph, t: PriceTable) -> list[Line]:
    kept = max(rule["selection"].get("countNumber", 1) for rule in json.loads(res.inputs["policy"])["rules"])
    gb = kept * t.facts["image_gb"]
    return [_monthly(res, t, "ecr_storage_gb_month", gb, f"{kept} image(s) kept, {gb:g} GB")]


RULES: dict[str, Rule] = {
    "awsx:ec2:Vpc": _vpc,
    "aws:ec2/vpcEndpoint:VpcEndpoint": _endpoint,
    "aws:lb/loadBalancer:LoadBalancer": lambda r, g, t: [_hourly(r, t, "alb_hour", 1, "ALB (idle: no LCUs)")],
    "aws:docdb/clusterInstance:ClusterInstance": _instance,
    "aws:docdb/cluster:Cluster": _cluster,
    "aws:ecs/service:Service": _service,
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": _images,
    "aws:cloudwatch/dashboard:Dashboard": lambda r, g, t: [_monthly(r, t, "dashboard_month", 1, "dashboard")],
    "aws:cloudwatch/metricAlarm:MetricAlarm": lambda r, g, t: [_monthly(r, t, "alarm_month", 1, "alarm")],
    "aws:kms/key:Key": lambda r, g, t: [_monthly(r, t, "kms_key_month", 1, "KMS key")],
    "aws:apigatewayv2/vpcLink:VpcLink": lambda r, g, t: [_hourly(r, t, "vpc_link_hour", 1, "VPC link V2")],
    "aws:cloudwatch/logGroup:LogGroup": _per_use("log ingestion and storage"),
    "aws:cloudwatch/eventBus:EventBus": _per_use("events"),
    "aws:cloudwatch/eventArchive:EventArchive": _per_use("archived events"),
    "aws:apigateway/restApi:RestApi": _per_use("requests"),
    "aws:s3/bucket:Bucket": _per_use("access-log storage"),
    "aws:sqs/queue:Queue": _per_use("dead-letter messages"),
    "aws:sns/topic:Topic": _per_use("notifications"),
}


def idle_lines(graph: Graph, table: PriceTable) -> list[Line]:
    """Every billable resource's idle lines, by resource name.

    Raises:
        OpsError: a resource type that is neither priced nor listed as free, naming the type.
    """
    lines: list[Line] = []
    for res in sorted(graph.resources, key=lambda r: r.name):
        if res.type in table.free:
            continue
        rule = RULES.get(res.type)
        if rule is None:
            raise OpsError(f"the price table does not know resource type `{res.type}` ({res.name})")
        lines.extend(rule(res, graph, table))
    return lines
