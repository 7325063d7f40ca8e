"""Network: a VPC with public and private subnets over several AZs."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_awsx as awsx

NAT_STRATEGIES = ("Single", "OnePerAz")


@dataclass(kw_only=True)
class NetworkArgs:
    """Inputs of :class:`Network`."""

    nat_strategy: str = "Single"
    """`Single` (one NAT gateway, cheap, for dev) or `OnePerAz` (no cross-AZ failure, for prod)."""
    availability_zones: int = 2
    """How many AZs get a public and a private subnet; at least 2 (the ALB and DocumentDB need two)."""
    cidr_block: str = "10.0.0.0/16"
    """The VPC's IPv4 range."""


class Network(pulumi.ComponentResource):
    """A VPC whose private subnets reach the internet only through NAT; nothing of ours goes public."""

    vpc_id: pulumi.Output[str]
    private_subnet_ids: pulumi.Output[list[str]]
    public_subnet_ids: pulumi.Output[list[str]]

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.nat_strategy not in NAT_STRATEGIES:
            raise ValueError(f"`nat_strategy` must be one of {NAT_STRATEGIES}, got {args.nat_strategy!r}")
        if args.availability_zones < 2:
            raise ValueError(f"`availability_zones` must be at least 2, got {args.availability_zones}")
        super().__init__("order-events:index:Network", name, None, opts)

        vpc = awsx.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.cidr_block,
            number_of_availability_zones=args.availability_zones,
            enable_dns_hostnames=True,  # DocumentDB and the VPC link resolve private DNS names
            enable_dns_support=True,
            nat_gateways=awsx.ec2.NatGatewayConfigurationArgs(
                strategy=awsx.ec2.NatGatewayStrategy(args.nat_strategy)
            ),
            subnet_specs=[
                awsx.ec2.SubnetSpecArgs(type=awsx.ec2.SubnetType.PUBLIC, cidr_mask=24),
                awsx.ec2.SubnetSpecArgs(type=awsx.ec2.SubnetType.PRIVATE, cidr_mask=20),
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.vpc_id = vpc.vpc_id
        self.private_subnet_ids = vpc.private_subnet_ids
        self.public_subnet_ids = vpc.public_subnet_ids
        self.register_outputs(
            {
                "vpc_id": self.vpc_id,
                "private_subnet_ids": self.private_subnet_ids,
                "public_subnet_ids": self.public_subnet_ids,
            }
        )
