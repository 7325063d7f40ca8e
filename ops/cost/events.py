"""What a million events add on top of the idle cost, from what the graph holds.

Each line is one event's path through a priced service: the bus, the API, the ALB, the task's CPU, the
handler's log line (through NAT or the CloudWatch Logs endpoint), the database's write I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ops.cost.idle import Line
from ops.cost.table import PriceTable

if TYPE_CHECKING:  # the graph module imports Pulumi: only `orders cost` loads it, when it runs
    from ops.cost.graph import Graph

MILLION = 1_000_000


def per_million(graph: Graph, t: PriceTable) -> list[Line]:
    """The cost of one million events, line by line (a line whose price was not found has `usd` None)."""
    f, has = t.facts, {r.type for r in graph.resources}
    lines: list[Line] = []

    def add(kind: str, item: str, key: str, units: float) -> None:
        if kind in has:
            usd = t.price(key).usd
            lines.append(Line(kind.rsplit(":", 1)[-1], item, None if usd is None else usd * units, key))

    add("aws:cloudwatch/eventBus:EventBus", "1 M events put", "eventbridge_event_million", 1)
    add("aws:apigateway/restApi:RestApi", "1 M requests", "rest_api_request_million", 1)
    add("aws:lb/loadBalancer:LoadBalancer", f"{f['alb_gb_per_million']:g} LCU-h (GB processed, estimate)",
        "alb_lcu_hour", f["alb_gb_per_million"])  # fmt: skip
    log_gb = f["log_line_bytes"] * MILLION / 1e9
    add(
        "aws:cloudwatch/logGroup:LogGroup",
        f"{log_gb:g} GB of handler log lines ingested",
        "logs_ingest_gb",
        log_gb,
    )
    via_endpoint = any(
        r.inputs.get("serviceName", "").endswith(".logs")
        for r in graph.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    )
    key = "interface_endpoint_gb" if via_endpoint else "nat_gateway_gb"
    add("awsx:ec2:Vpc", f"log lines through {'the Logs endpoint' if via_endpoint else 'NAT'}", key, log_gb)
    ios = f["docdb_ios_per_event"]
    add("aws:docdb/cluster:Cluster", f"{ios:g} write I/O per insert (estimate)", "docdb_io_million", ios)
    lines.extend(_task_cpu(graph, t))
    return lines


def _task_cpu(graph: Graph, t: PriceTable) -> list[Line]:
    """The task's CPU time per event, above what the idle tasks already pay for (measured on one core)."""
    tasks = graph.of_type("aws:ecs/taskDefinition:TaskDefinition")
    if not tasks:
        return []
    arch = tasks[0].inputs["runtimePlatform"]["cpuArchitecture"].lower()
    vcpu_hours = t.facts["cpu_us_per_event"] * MILLION / 1e6 / 3600
    usd = t.price(f"fargate_{arch}_vcpu_hour").usd
    item = f"{vcpu_hours:.4f} vCPU-h of task CPU ({t.facts['cpu_us_per_event']:g} us per event)"
    return [
        Line("TaskDefinition", item, None if usd is None else usd * vcpu_hours, f"fargate_{arch}_vcpu_hour")
    ]
