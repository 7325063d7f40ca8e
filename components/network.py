"""Network: a VPC with public and private subnets over several AZs."""

from enum import StrEnum
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

from components._component import register_annotated_outputs
from components._zones import vpc_link_zones


class NatStrategy(StrEnum):
    """How many NAT gateways carry the private subnets' traffic out (awsx's `NatGatewayStrategy`)."""

    SINGLE = "Single"
    """One, in the first AZ: cheap, for dev; if that AZ fails, no private subnet reaches out."""
    ONE_PER_AZ = "OnePerAz"
    """One in each AZ: no cross-AZ failure, for prod."""


NAT_STRATEGIES = tuple(strategy.value for strategy in NatStrategy)
DEFAULT_NAT_STRATEGY = NatStrategy.SINGLE.value
DEFAULT_AVAILABILITY_ZONES = 2
DEFAULT_CIDR_BLOCK = "10.0.0.0/16"


class NetworkArgs(TypedDict):
    """Inputs of :class:`Network`; all optional (the defaults are a small dev VPC).

    The strategy and the AZ count are plain values: they decide how many subnets and gateways exist.
    """

    nat_strategy: NotRequired[NatStrategy]
    """`Single` (one NAT gateway, cheap, for dev; the default) or `OnePerAz` (no cross-AZ failure)."""
    availability_zones: NotRequired[int]
    """How many AZs get a public and a private subnet; at least 2 (the ALB and DocumentDB need two). They are
    the first zones, by name, whose zone IDs carry API Gateway's VPC links V2; too few is refused."""
    cidr_block: NotRequired[pulumi.Input[str]]
    """The VPC's IPv4 range."""


class Network(pulumi.ComponentResource):
    """A VPC whose private subnets reach the internet only through NAT; nothing of ours goes public."""

    vpc_id: pulumi.Output[str]
    """The VPC: every security group of the pipeline belongs to it."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Where everything runs. (No public subnet ids: only the NAT gateways live there.)"""
    private_route_table_ids: pulumi.Output[list[str]]
    """The private subnets' route tables: where a gateway endpoint (S3) adds its route."""

    def __init__(self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        check_settings(args)
        nat_strategy = args.get("nat_strategy", DEFAULT_NAT_STRATEGY)
        zones = _choose_zones(args.get("availability_zones", DEFAULT_AVAILABILITY_ZONES), opts)
        super().__init__("order-events:index:Network", name, None, opts)

        vpc = awsx.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=args.get("cidr_block", DEFAULT_CIDR_BLOCK),
            # By name, chosen by zone ID: awsx's own default is the first N names, whatever their IDs
            # (pulumi-awsx `awsx/ec2/vpc.ts`, `getDefaultAzs`; it refuses names and a count together).
            availability_zone_names=zones,
            enable_dns_hostnames=True,  # DocumentDB and the VPC link resolve private DNS names
            enable_dns_support=True,
            nat_gateways=awsx.ec2.NatGatewayConfigurationArgs(
                strategy=awsx.ec2.NatGatewayStrategy(nat_strategy)
            ),
            subnet_specs=[
                awsx.ec2.SubnetSpecArgs(type=awsx.ec2.SubnetType.PUBLIC, cidr_mask=24),
                awsx.ec2.SubnetSpecArgs(type=awsx.ec2.SubnetType.PRIVATE, cidr_mask=20),
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.vpc_id = vpc.vpc_id
        self.private_subnet_ids = vpc.private_subnet_ids
        self.private_route_table_ids = _private_route_tables(vpc)
        register_annotated_outputs(self)


def _choose_zones(count: int, opts: pulumi.ResourceOptions | None) -> list[str]:
    """The zone names to use, read from the account (its names map to zone IDs its own way) before anything
    is made, so that too few usable zones is refused first."""
    invoke = pulumi.InvokeOptions(provider=opts.provider if opts else None)
    region = aws.get_region(opts=invoke).region
    found = aws.get_availability_zones(state="available", opts=invoke)
    return vpc_link_zones(region, found.names, found.zone_ids, count)


def _private_route_tables(vpc: awsx.ec2.Vpc) -> pulumi.Output[list[str]]:
    """The route tables associated with the private subnets, in the subnets' order, each once.

    awsx exposes its route tables and their associations as resources, not ids by subnet type
    (`Vpc.route_table_associations`, pulumi-awsx `awsx/ec2/vpc.ts`: one route table per subnet); the
    associations say which table serves which subnet.
    """

    def pairs(associations: list[aws.ec2.RouteTableAssociation]) -> pulumi.Output[list[list[str]]]:
        return pulumi.Output.all(*[pulumi.Output.all(a.subnet_id, a.route_table_id) for a in associations])

    def private(found: list[list[str]], subnets: list[str]) -> list[str]:
        tables = dict(found)
        return list(dict.fromkeys(tables[s] for s in subnets if s in tables))

    return pulumi.Output.all(vpc.route_table_associations.apply(pairs), vpc.private_subnet_ids).apply(
        lambda a: private(*a)
    )


def check_settings(args: NetworkArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    nat_strategy = args.get("nat_strategy", DEFAULT_NAT_STRATEGY)
    if nat_strategy not in NAT_STRATEGIES:
        raise ValueError(f"`nat_strategy` must be one of {NAT_STRATEGIES}, got {nat_strategy!r}")
    availability_zones = args.get("availability_zones", DEFAULT_AVAILABILITY_ZONES)
    if availability_zones < 2:
        raise ValueError(f"`availability_zones` must be at least 2, got {availability_zones}")
