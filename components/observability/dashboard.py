"""Dashboard: one CloudWatch dashboard per stack that follows an event from the bus to the database."""

import json
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components.observability import _metrics
from components.observability._dashboard_body import PipelineNames, dashboard_body


class DashboardArgs(TypedDict):
    """Inputs of :class:`Dashboard`: the names each hop's metrics are dimensioned by."""

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
    metrics_namespace: NotRequired[pulumi.Input[str]]
    """The handler's EMF namespace; defaults to the handler's own default."""
    store_deadline_seconds: NotRequired[pulumi.Input[float]]
    """The handler's store deadline, drawn on the latency graph; defaults to the handler's default."""
    dashboard_name: NotRequired[pulumi.Input[str]]
    """The dashboard's name, unique in the account (not per region); default `<project>-<stack>`."""
    db_serverless: NotRequired[bool]
    """The DocumentDB instances are `db.serverless`: graph the writer's capacity (DCUs) and its share used."""


_NAME_FIELDS = tuple(PipelineNames.__dataclass_fields__)


class Dashboard(pulumi.ComponentResource):
    """A CloudWatch dashboard: EventBridge, API Gateway, ALB, ECS, the handler's EMF metrics, DocumentDB."""

    dashboard_name: pulumi.Output[str]
    """The dashboard's name, for the console URL `.../cloudwatch/home#dashboards/dashboard/<name>`."""
    dashboard_arn: pulumi.Output[str]
    """The dashboard's ARN."""

    def __init__(self, name: str, args: DashboardArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        missing = [field for field in _NAME_FIELDS if args.get(field) is None]
        if missing:
            raise ValueError(f"`{missing[0]}` is required: the dashboard's metrics are dimensioned by it")
        deadline = args.get("store_deadline_seconds", _metrics.STORE_DEADLINE_SECONDS)
        if isinstance(deadline, int | float) and deadline <= 0:
            raise ValueError(f"`store_deadline_seconds` must be positive, got {deadline}")
        super().__init__("order-events:index:Dashboard", name, None, opts)

        serverless = args.get("db_serverless", False)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        body = pulumi.Output.all(
            region,
            args.get("metrics_namespace", _metrics.HANDLER_NAMESPACE),
            deadline,
            *(args[field] for field in _NAME_FIELDS),
        ).apply(
            lambda v: json.dumps(
                dashboard_body(
                    PipelineNames(**dict(zip(_NAME_FIELDS, v[3:], strict=True))),
                    region=v[0],
                    namespace=v[1],
                    store_deadline_seconds=v[2],
                    serverless=serverless,
                )
            )
        )
        # "All dashboards in your account are global, not region-specific" (CloudFormation's
        # AWS::CloudWatch::Dashboard page): the default name carries the stack, so stacks in other
        # regions of the same account do not collide.
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=args.get("dashboard_name", f"{pulumi.get_project()}-{pulumi.get_stack()}"),
            dashboard_body=body,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.dashboard_name = dashboard.dashboard_name
        self.dashboard_arn = dashboard.dashboard_arn
        self.register_outputs({"dashboard_name": self.dashboard_name, "dashboard_arn": self.dashboard_arn})
