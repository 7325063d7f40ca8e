"""InternalAlb: an internal Application Load Balancer that admits only the given security groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components._security import allow_in, allow_out
from handler.contract import ALB_IDLE_TIMEOUT_SECONDS, CONTAINER_PORT, HEALTH_PATH, KEEP_ALIVE_SECONDS


@dataclass(kw_only=True)
class InternalAlbArgs:
    """Inputs of :class:`InternalAlb`."""

    vpc_id: pulumi.Input[str]
    """The VPC of the load balancer and its target group."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets in two AZs at least."""
    target_security_group_id: pulumi.Input[str]
    """The targets' security group: the only egress the ALB gets."""
    client_security_group_ids: Sequence[pulumi.Input[str]] = field(default_factory=list)
    """The only security groups admitted on the listener (the API's VPC link)."""
    listener_port: int = 80
    """The listener's port (HTTP inside the VPC; the API edge terminates TLS)."""
    target_port: int = CONTAINER_PORT
    """The port the targets listen on."""
    health_check_path: str = HEALTH_PATH
    """The targets' liveness path."""
    idle_timeout_seconds: int = ALB_IDLE_TIMEOUT_SECONDS
    """How long the ALB keeps an idle connection; must stay below the handler's keep-alive."""


class InternalAlb(pulumi.ComponentResource):
    """Security group, internal ALB, IP target group with a health check, and a forwarding listener."""

    arn: pulumi.Output[str]
    dns_name: pulumi.Output[str]
    listener_arn: pulumi.Output[str]
    target_group_arn: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: InternalAlbArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not args.health_check_path.startswith("/"):
            raise ValueError(f"`health_check_path` must start with '/', got {args.health_check_path!r}")
        # "Edit attributes for your Application Load Balancer" (ELB guide, "Connection idle timeout"): the
        # application's keep-alive must be longer than the ALB's idle timeout, or the ALB may send a request
        # on a connection the target is closing and answer 502. The handler keeps KEEP_ALIVE_SECONDS.
        if not 1 <= args.idle_timeout_seconds < KEEP_ALIVE_SECONDS:
            raise ValueError(
                f"`idle_timeout_seconds` must be 1..{KEEP_ALIVE_SECONDS - 1} (below the handler's"
                f" keep-alive), got {args.idle_timeout_seconds}"
            )
        super().__init__("order-events:index:InternalAlb", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        sg = aws.ec2.SecurityGroup(
            f"{name}-sg",
            vpc_id=args.vpc_id,
            description="Internal ALB: the VPC link in, the tasks out",
            opts=child,
        )
        for i, client in enumerate(args.client_security_group_ids):
            allow_in(
                f"{name}-from-client-{i}", group=sg.id, source=client, port=args.listener_port, opts=child
            )
        allow_out(
            f"{name}-to-targets",
            group=sg.id,
            target=args.target_security_group_id,
            port=args.target_port,
            opts=child,
        )
        lb = aws.lb.LoadBalancer(
            f"{name}-lb",
            internal=True,
            load_balancer_type="application",
            subnets=args.subnet_ids,
            security_groups=[sg.id],
            drop_invalid_header_fields=True,
            idle_timeout=args.idle_timeout_seconds,  # explicit, not AWS's default: the handler depends on it
            opts=child,
        )
        tg = aws.lb.TargetGroup(
            f"{name}-tg",
            vpc_id=args.vpc_id,
            target_type="ip",  # Fargate tasks register by ENI address
            port=args.target_port,
            protocol="HTTP",
            deregistration_delay=30,
            health_check=aws.lb.TargetGroupHealthCheckArgs(
                path=args.health_check_path,
                matcher="200",
                interval=15,
                healthy_threshold=2,
                unhealthy_threshold=3,
            ),
            opts=child,
        )
        listener = aws.lb.Listener(
            f"{name}-listener",
            load_balancer_arn=lb.arn,
            port=args.listener_port,
            protocol="HTTP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=tg.arn)],
            opts=child,
        )
        self.arn = lb.arn
        self.dns_name = lb.dns_name
        self.listener_arn = listener.arn
        self.target_group_arn = tg.arn
        self.security_group_id = sg.id
        self.register_outputs(
            {
                "arn": self.arn,
                "dns_name": self.dns_name,
                "listener_arn": self.listener_arn,
                "target_group_arn": self.target_group_arn,
                "security_group_id": self.security_group_id,
            }
        )
