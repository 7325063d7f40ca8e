"""VpcLink: an API Gateway VPC Link V2 in private subnets, whose security group reaches one target only."""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components._component import register_annotated_outputs
from components.alb import DEFAULT_LISTENER_PORT
from components.security import allow_out


class VpcLinkArgs(TypedDict):
    """Inputs of :class:`VpcLink`. The port is a plain value, checked here."""

    vpc_id: pulumi.Input[str]
    """The VPC of the link's security group."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets for the link's network interfaces."""
    target_security_group_id: pulumi.Input[str]
    """The target's (ALB's) security group: the link's only egress."""
    target_port: NotRequired[int]
    """The target's listener port (the internal ALB's unless given)."""
    security_group_id: NotRequired[pulumi.Input[str]]
    """A pre-made (empty) group for the link, so the target can admit it before the link exists."""


class VpcLink(pulumi.ComponentResource):
    """The link (V2, so REST APIs reach an ALB directly) and its egress rule."""

    id: pulumi.Output[str]
    """The link, for a private integration's `connection_id`."""
    security_group_id: pulumi.Output[str]
    """The link's group (given, or made here): the target must admit it, and only this says which it is."""

    def __init__(self, name: str, args: VpcLinkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        port = args.get("target_port", DEFAULT_LISTENER_PORT)
        if not 0 < port < 65536:
            raise ValueError(f"`target_port` must be a TCP port, got {port}")
        super().__init__("order-events:index:VpcLink", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        sg = (
            args.get("security_group_id")
            or aws.ec2.SecurityGroup(f"{name}-sg", vpc_id=args["vpc_id"], opts=child).id
        )
        allow_out(
            f"{name}-to-target", group=sg, target=args["target_security_group_id"], port=port, opts=child
        )
        link = aws.apigatewayv2.VpcLink(
            f"{name}-link", name=name, security_group_ids=[sg], subnet_ids=args["subnet_ids"], opts=child
        )
        self.id = link.id
        self.security_group_id = pulumi.Output.from_input(sg)
        register_annotated_outputs(self)
