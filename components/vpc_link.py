"""VpcLink: an API Gateway VPC Link V2 in private subnets, whose security group reaches one target only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components._security import allow_out


@dataclass(kw_only=True)
class VpcLinkArgs:
    """Inputs of :class:`VpcLink`."""

    vpc_id: pulumi.Input[str]
    """The VPC of the link's security group."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets for the link's network interfaces."""
    target_security_group_id: pulumi.Input[str]
    """The target's (ALB's) security group: the link's only egress."""
    target_port: int = 80
    """The target's listener port."""
    security_group_id: pulumi.Input[str] | None = None
    """A pre-made (empty) group for the link, so the target can admit it before the link exists."""


class VpcLink(pulumi.ComponentResource):
    """The link (V2, so REST APIs reach an ALB directly) and its egress rule."""

    id: pulumi.Output[str]
    security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: VpcLinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not 0 < args.target_port < 65536:
            raise ValueError(f"`target_port` must be a TCP port, got {args.target_port}")
        super().__init__("order-events:index:VpcLink", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        sg = args.security_group_id or aws.ec2.SecurityGroup(f"{name}-sg", vpc_id=args.vpc_id, opts=child).id
        allow_out(
            f"{name}-to-target",
            group=sg,
            target=args.target_security_group_id,
            port=args.target_port,
            opts=child,
        )
        link = aws.apigatewayv2.VpcLink(
            f"{name}-link", name=name, security_group_ids=[sg], subnet_ids=args.subnet_ids, opts=child
        )
        self.id = link.id
        self.security_group_id = pulumi.Output.from_input(sg)
        self.register_outputs({"id": self.id, "security_group_id": self.security_group_id})
