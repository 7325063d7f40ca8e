"""InternalAlb: an internal Application Load Balancer that admits only the given security groups."""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _names
from components._component import register_annotated_outputs, require
from components.access_logs import AccessLogBucket, AccessLogBucketArgs
from components.security import allow_in, allow_out
from handler.contract import ALB_IDLE_TIMEOUT_SECONDS, CONTAINER_PORT, HEALTH_PATH

#: The listener's port (HTTP inside the VPC; the API edge terminates TLS); the VPC link reaches it here.
DEFAULT_LISTENER_PORT = 80
#: The idle timeouts an ALB takes: "Edit attributes for your Application Load Balancer", "Connection idle
#: timeout" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html):
#: "The range for the idle timeout is from 1 to 4,000 seconds".
IDLE_TIMEOUT_RANGE = (1, 4000)


class InternalAlbArgs(TypedDict):
    """Inputs of :class:`InternalAlb`. The VPC, subnets and targets' group are needed; `Service` wires them
    with the clients, so its `alb` holds only the load balancer's own settings.

    Ports, path and timeout are plain values, checked here.
    """

    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC of the load balancer and its target group. Needed."""
    subnet_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets in two AZs at least. Needed."""
    target_security_group_id: NotRequired[pulumi.Input[str]]
    """The targets' security group: the only egress the ALB gets. Needed."""
    client_security_group_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The only security groups admitted on the listener (the API's VPC link); none admits nobody."""
    access_logs: NotRequired[AccessLogBucketArgs]
    """How long its access logs are kept, and under which prefix, in the bucket of its own it writes them to
    (always: Security Hub ELB.5)."""
    listener_port: NotRequired[int]
    """The listener's port."""
    target_port: NotRequired[int]
    """The port the targets listen on (the handler's)."""
    health_check_path: NotRequired[str]
    """The targets' liveness path (the handler's)."""
    idle_timeout_seconds: NotRequired[int]
    """How long the ALB keeps an idle connection (1-4000 s); `Service` sets its task's keep-alive above."""


class InternalAlb(pulumi.ComponentResource):
    """Security group, internal ALB, IP target group with a health check, and a forwarding listener."""

    arn: pulumi.Output[str]
    """The load balancer: a REST API private integration's `integration_target`."""
    arn_suffix: pulumi.Output[str]
    """`app/<name>/<id>`, as CloudWatch's `LoadBalancer` knows it."""
    dns_name: pulumi.Output[str]
    """The host of the integration URIs."""
    target_group_arn: pulumi.Output[str]
    """Where the ECS service registers its tasks. (No listener ARN: it forwards everything there.)"""
    target_group_arn_suffix: pulumi.Output[str]
    """`targetgroup/<name>/<id>`, as CloudWatch's `TargetGroup` knows it."""
    security_group_id: pulumi.Output[str]
    """The ALB's group, which the targets admit and the clients reach."""
    access_log_bucket: pulumi.Output[str]
    """The bucket its access logs go to (under `<prefix>/AWSLogs/`), for whoever reads them."""
    idle_timeout_seconds: pulumi.Output[int]
    """The idle timeout the load balancer was given: its targets' keep-alive must be longer."""

    def __init__(self, name: str, args: InternalAlbArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:InternalAlb", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        listener_port = args.get("listener_port", DEFAULT_LISTENER_PORT)
        target_port = args.get("target_port", CONTAINER_PORT)

        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args["vpc_id"],
            description="Internal ALB: the VPC link in, the tasks out",
            opts=child,
        )
        for i, client in enumerate(args.get("client_security_group_ids", [])):
            allow_in(f"{name}-from-client-{i}", group=sg.id, source=client, port=listener_port, opts=child)
        allow_out(
            f"{name}-to-targets",
            group=sg.id,
            target=args["target_security_group_id"],
            port=target_port,
            opts=child,
        )
        logs = AccessLogBucket(f"{name}-logs", args.get("access_logs", AccessLogBucketArgs()), opts=child)
        lb = _load_balancer(self, name, args, sg, logs)
        tg = _target_group(name, args, target_port, child)
        aws.lb.Listener(
            f"{name}-listener",
            load_balancer_arn=lb.arn,
            port=listener_port,
            protocol="HTTP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=tg.arn)],
            opts=child,
        )
        self.arn = lb.arn
        self.arn_suffix = lb.arn_suffix
        self.dns_name = lb.dns_name
        self.target_group_arn = tg.arn
        self.target_group_arn_suffix = tg.arn_suffix
        self.security_group_id = sg.id
        self.access_log_bucket = logs.bucket
        self.idle_timeout_seconds = lb.idle_timeout
        register_annotated_outputs(self)


def check_settings(args: InternalAlbArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    path = args.get("health_check_path", HEALTH_PATH)
    if not path.startswith("/"):
        raise ValueError(f"`health_check_path` must start with '/', got {path!r}")
    # Any idle timeout the ALB takes will do: the task's keep-alive follows it (`Service` wires it).
    idle, (low, high) = args.get("idle_timeout_seconds", ALB_IDLE_TIMEOUT_SECONDS), IDLE_TIMEOUT_RANGE
    if not low <= idle <= high:
        raise ValueError(f"`idle_timeout_seconds` must be {low}-{high} (the ALB's range), got {idle}")


def _check(args: InternalAlbArgs) -> None:
    require(args, "vpc_id", "subnet_ids", "target_security_group_id")
    check_settings(args)


def _load_balancer(
    parent: InternalAlb, name: str, args: InternalAlbArgs, sg: aws.ec2.SecurityGroup, logs: AccessLogBucket
) -> aws.lb.LoadBalancer:
    return aws.lb.LoadBalancer(
        f"{name}-lb",
        name=_names.autoname_or_fit(f"{name}-lb", _names.ALB),
        internal=True,
        load_balancer_type="application",
        subnets=args["subnet_ids"],
        security_groups=[sg.id],
        drop_invalid_header_fields=True,
        # Explicit, not AWS's default: the handler's keep-alive depends on it.
        idle_timeout=args.get("idle_timeout_seconds", ALB_IDLE_TIMEOUT_SECONDS),
        access_logs=aws.lb.LoadBalancerAccessLogsArgs(bucket=logs.bucket, prefix=logs.prefix, enabled=True),
        # Enabling the logs, ELB "validates the S3 bucket and creates a test file" and refuses with "Access
        # Denied" without the policy ("Enable access logs for your Application Load Balancer", step 4 and
        # Troubleshooting): the policy comes first. Depending on a component waits for all its children
        # (pulumi/pulumi#7732); the bucket's name is read from the policy as well.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[logs]),
    )


def _target_group(
    name: str, args: InternalAlbArgs, port: int, opts: pulumi.ResourceOptions
) -> aws.lb.TargetGroup:
    return aws.lb.TargetGroup(
        f"{name}-tg",
        name=_names.autoname_or_fit(f"{name}-tg", _names.TARGET_GROUP),
        vpc_id=args["vpc_id"],
        target_type="ip",  # Fargate tasks register by ENI address
        port=port,
        protocol="HTTP",
        deregistration_delay=30,
        health_check=aws.lb.TargetGroupHealthCheckArgs(
            path=args.get("health_check_path", HEALTH_PATH),
            matcher="200",
            interval=15,
            healthy_threshold=2,
            unhealthy_threshold=3,
        ),
        opts=opts,
    )
