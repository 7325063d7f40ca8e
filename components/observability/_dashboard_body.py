"""The pipeline dashboard's body, built from plain strings: no Pulumi, so tests and docs can call it.

The grid reads the way an event travels. Each hop is a column (8 of CloudWatch's 24 grid columns) with a
text header on top and its graphs below; three hops make a lane, and the second lane continues the first
the way a second line of text does: EventBridge, API Gateway, ALB, then ECS, the handler, DocumentDB.
Body format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
(24-column grid, `x` 0-23; a metric widget needs `region`; each metric is
`[Namespace, MetricName, DimensionName, DimensionValue, ..., {rendering properties}]`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from components.observability import _metrics as m
from handler.contract import EVENTBRIDGE_TARGET_TIMEOUT_SECONDS

COLUMNS = 3
COLUMN_WIDTH = 24 // COLUMNS
HEADER_HEIGHT = 2
GRAPHS_HEIGHT = 18  # divides evenly among 2 or 3 graphs
PERIOD = 60


@dataclass(frozen=True, kw_only=True)
class PipelineNames:
    """The identifiers CloudWatch knows each hop by (the values of the metrics' dimensions)."""

    bus_name: str
    rule_name: str
    dlq_name: str
    api_name: str
    api_stage: str
    alb_arn_suffix: str
    target_group_arn_suffix: str
    cluster_name: str
    service_name: str
    db_cluster_identifier: str


@dataclass(frozen=True)
class _Hop:
    title: str
    detail: str
    graphs: list[dict[str, Any]]


def _metric(namespace: str, name: str, dimensions: Mapping[str, str], **render: Any) -> list[Any]:
    row: list[Any] = [namespace, name]
    for key, value in dimensions.items():
        row += [key, value]
    return [*row, render] if render else row


def _graph(title: str, metrics: list[list[Any]], *, stat: str = "Sum", **extra: Any) -> dict[str, Any]:
    return {"title": title, "view": "timeSeries", "stacked": False, "stat": stat, "period": PERIOD,
            "metrics": metrics, **extra}  # fmt: skip


def _line(value: float, label: str) -> dict[str, Any]:
    return {"horizontal": [{"value": value, "label": label}]}


def _hops(n: PipelineNames, namespace: str, deadline_ms: float, serverless: bool) -> list[_Hop]:
    hops = _arriving(n) + _handled(n, namespace, deadline_ms)
    if serverless:  # the database hop gains its capacity graph
        hops[-1].graphs.insert(1, _capacity(m.docdb_writer(n.db_cluster_identifier)))
    return hops


def _capacity(db: Mapping[str, str]) -> dict[str, Any]:
    """A serverless writer's capacity in DCUs, and the share of the cluster's maximum it uses."""
    return _graph("DocumentDB: writer capacity (DCUs) and DCU utilization (%)", [
        _metric(m.DOCDB, m.DOCDB_CAPACITY, db, label="DCUs"),
        _metric(m.DOCDB, m.DOCDB_DCU_UTILIZATION, db, label="% of maximum", yAxis="right"),
    ], stat="Average")  # fmt: skip


def _arriving(n: PipelineNames) -> list[_Hop]:
    """The first lane: how an event arrives (EventBridge, API Gateway, the load balancer)."""
    rule, dlq = m.rule(n.bus_name, n.rule_name), m.queue(n.dlq_name)
    api = m.api_stage(n.api_name, n.api_stage)
    lb, tg = m.load_balancer(n.alb_arn_suffix), m.target_group(n.alb_arn_suffix, n.target_group_arn_suffix)
    timeout_ms = EVENTBRIDGE_TARGET_TIMEOUT_SECONDS * 1000
    return [
        _Hop("1 · EventBridge", f"bus `{n.bus_name}`, rule `{n.rule_name}`", [
            _graph("Rule: matched, invoked, failed", [
                _metric(m.EVENTS, "TriggeredRules", rule, label="matched"),
                _metric(m.EVENTS, "Invocations", rule, label="invoked"),
                _metric(m.EVENTS, "FailedInvocations", rule, label="failed for good"),
                _metric(m.EVENTS, "InvocationsSentToDlq", rule, label="sent to the DLQ"),
            ]),
            _graph("Dead-letter queue: messages waiting", [
                _metric(m.SQS, "ApproximateNumberOfMessagesVisible", dlq, label="visible"),
            ], stat="Maximum"),
        ]),
        _Hop("2 · API Gateway", f"API `{n.api_name}`, stage `{n.api_stage}`", [
            _graph("API: requests and errors", [
                _metric(m.API_GATEWAY, "Count", api, stat="SampleCount", label="requests"),
                _metric(m.API_GATEWAY, "4XXError", api, label="4xx"),
                _metric(m.API_GATEWAY, "5XXError", api, label="5xx"),
            ]),
            _graph("API: latency (ms)", [
                _metric(m.API_GATEWAY, "Latency", api, stat="p50", label="latency p50"),
                _metric(m.API_GATEWAY, "Latency", api, stat="p99", label="latency p99"),
                _metric(m.API_GATEWAY, "IntegrationLatency", api, stat="p99", label="integration p99"),
            ], annotations=_line(timeout_ms, "EventBridge stops waiting")),
        ]),
        _Hop("3 · Load balancer", f"`{n.alb_arn_suffix}`", [
            _graph("ALB: requests and target 5xx", [
                _metric(m.ALB, "RequestCount", lb, label="requests"),
                _metric(m.ALB, "HTTPCode_Target_5XX_Count", lb, label="target 5xx"),
            ]),
            _graph("ALB: target response time (s)", [
                _metric(m.ALB, "TargetResponseTime", lb, stat="p50", label="p50"),
                _metric(m.ALB, "TargetResponseTime", lb, stat="p99", label="p99"),
            ]),
            _graph("ALB: healthy and unhealthy targets", [
                _metric(m.ALB, "HealthyHostCount", tg, stat="Minimum", label="healthy"),
                _metric(m.ALB, "UnHealthyHostCount", tg, stat="Maximum", label="unhealthy"),
            ]),
        ]),
    ]  # fmt: skip


def _handled(n: PipelineNames, namespace: str, deadline_ms: float) -> list[_Hop]:
    """The second lane: where it is handled (the ECS service, the handler, DocumentDB)."""
    svc, db = m.ecs_service(n.cluster_name, n.service_name), m.docdb_writer(n.db_cluster_identifier)
    emf = m.handler()
    return [
        _Hop("4 · ECS service", f"cluster `{n.cluster_name}`, service `{n.service_name}`", [
            _graph("Tasks: CPU and memory (%)", [
                _metric(m.ECS, "CPUUtilization", svc, label="CPU"),
                _metric(m.ECS, "MemoryUtilization", svc, label="memory"),
            ], stat="Average", yAxis={"left": {"min": 0, "max": 100}}),
            _graph("Tasks: running and desired", [
                _metric(m.CONTAINER_INSIGHTS, "RunningTaskCount", svc, label="running"),
                _metric(m.CONTAINER_INSIGHTS, "DesiredTaskCount", svc, label="desired"),
            ], stat="Average"),
        ]),
        _Hop("5 · Handler", f"namespace `{namespace}`, service `{m.HANDLER_SERVICE}`", [
            _graph("Handler: orders by outcome",
                   [_metric(namespace, name, emf) for name in m.HANDLER_OUTCOMES]),
            _graph("Handler: store unavailable and requests shed",
                   [_metric(namespace, name, emf) for name in m.HANDLER_TROUBLE]),
            _graph("Handler: store latency (ms)", [
                _metric(namespace, m.STORE_LATENCY, emf, stat="p50", label="p50"),
                _metric(namespace, m.STORE_LATENCY, emf, stat="p99", label="p99"),
            ], annotations=_line(deadline_ms, "store deadline (503 beyond)")),
        ]),
        _Hop("6 · DocumentDB", f"cluster `{n.db_cluster_identifier}`, writer", [
            _graph("DocumentDB: writer CPU (%) and connections", [
                _metric(m.DOCDB, "CPUUtilization", db, label="CPU %"),
                _metric(m.DOCDB, "DatabaseConnections", db, label="connections", yAxis="right"),
            ], stat="Average"),
            _graph("DocumentDB: writer freeable memory (bytes)", [
                _metric(m.DOCDB, "FreeableMemory", db, label="freeable"),
            ], stat="Minimum"),
            _graph("DocumentDB: writer write latency (ms)", [
                _metric(m.DOCDB, "WriteLatency", db, label="write latency"),
            ], stat="Average"),
        ]),
    ]  # fmt: skip


def dashboard_body(
    names: PipelineNames,
    *,
    region: str,
    namespace: str = m.HANDLER_NAMESPACE,
    store_deadline_seconds: float = m.STORE_DEADLINE_SECONDS,
    serverless: bool = False,
) -> dict[str, Any]:
    """The dashboard as CloudWatch's `DashboardBody` object (serialise it with `json.dumps`).

    Args:
        names: what each hop's metrics are dimensioned by.
        region: where the metrics are (every metric widget must name it).
        namespace: the handler's EMF namespace.
        store_deadline_seconds: the handler's store deadline, drawn on the store latency graph.
        serverless: the DocumentDB instances are `db.serverless` (their capacity is graphed too).
    """
    widgets: list[dict[str, Any]] = []
    lane_height = HEADER_HEIGHT + GRAPHS_HEIGHT
    for index, hop in enumerate(_hops(names, namespace, store_deadline_seconds * 1000, serverless)):
        x, y = (index % COLUMNS) * COLUMN_WIDTH, (index // COLUMNS) * lane_height
        header = {"markdown": f"## {hop.title}\n{hop.detail}"}
        widgets.append(_widget("text", x, y, HEADER_HEIGHT, header))
        y += HEADER_HEIGHT
        heights = _split(GRAPHS_HEIGHT, len(hop.graphs))
        for graph, height in zip(hop.graphs, heights, strict=True):
            widgets.append(_widget("metric", x, y, height, {**graph, "region": region}))
            y += height
    return {"start": "-PT3H", "periodOverride": "inherit", "widgets": widgets}


def widget_title(widget: Mapping[str, Any]) -> str:
    """A metric widget's title, or a text widget's heading without its `#`s."""
    properties = widget["properties"]
    if widget["type"] == "text":
        return properties["markdown"].splitlines()[0].lstrip("#").strip()
    return properties["title"]


def _widget(type_: str, x: int, y: int, height: int, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": type_, "x": x, "y": y, "width": COLUMN_WIDTH, "height": height, "properties": properties}


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
