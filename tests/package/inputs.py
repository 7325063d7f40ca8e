"""Inputs as a consumer's program sends them to the package: the watched components' names, and `wire`."""

from typing import Any

from pulumi.provider.experimental.util import camel_case

#: What CloudWatch knows each hop of a pipeline by, as a consumer would pass them (Python spelling).
NAMES = {
    "bus_name": "orders-bus",
    "rule_name": "orders-rule",
    "dlq_name": "orders-dlq",
    "api_name": "orders-api",
    "api_stage": "v1",
    "alb_arn_suffix": "app/orders-alb/1",
    "target_group_arn_suffix": "targetgroup/orders-tg/2",
    "cluster_name": "orders-cluster",
    "service_name": "orders-svc",
    "db_cluster_identifier": "orders-db",
}
ALARMS = NAMES | {"min_tasks": 2, "alarm_email": "ops@example.com", "store_latency_share": 0.5}
DASHBOARD = NAMES | {"store_deadline_seconds": 2.5, "dashboard_name": "orders"}


def wire(args: dict[str, Any]) -> dict[str, Any]:
    """`args` as a consumer's SDK sends them: camelCase names."""
    return {camel_case(key): value for key, value in args.items()}
