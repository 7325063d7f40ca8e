"""Network: subnets over several AZs, NAT strategy from args, and the private subnets' route tables."""

import pytest

from components.network import DEFAULT_CIDR_BLOCK, Network, NetworkArgs
from tests.components.harness import run


def test_vpc_spans_azs_with_private_subnets_and_configured_nat():
    # Given a prod-like network: three AZs, a NAT gateway per AZ
    def program():
        net = Network("net", NetworkArgs(nat_strategy="OnePerAz", availability_zones=3))
        return {"private": net.private_subnet_ids, "vpc": net.vpc_id}

    # When it is registered
    graph = run(program)

    # Then the awsx VPC gets the strategy, the AZ count and both subnet tiers, on the default range
    vpc = graph.one("awsx:ec2:Vpc")
    assert vpc.inputs["natGateways"] == {"strategy": "OnePerAz"}
    assert vpc.inputs["numberOfAvailabilityZones"] == 3
    assert vpc.inputs["cidrBlock"] == DEFAULT_CIDR_BLOCK
    assert vpc.inputs["enableDnsHostnames"] is True
    # And the private tier (where every task and the database run) gets the larger ranges
    masks = {s["type"]: s["cidrMask"] for s in vpc.inputs["subnetSpecs"]}
    assert masks.keys() == {"Public", "Private"} and masks["Private"] < masks["Public"]
    # And what the network exposes is the VPC's own: its id and its private subnets, not the public ones
    assert graph.values["vpc"] == vpc.outputs["vpcId"]
    assert graph.values["private"] == vpc.outputs["privateSubnetIds"]


@pytest.mark.parametrize(
    ("args", "field"),
    [({"nat_strategy": "None"}, "nat_strategy"), ({"availability_zones": 1}, "availability_zones")],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        Network("net", NetworkArgs(**args))


def test_exposes_the_private_subnets_route_tables_in_their_order_each_once():
    # Given awsx's route table associations in no useful order: public ones among them, the private
    # subnets out of order, and two private subnets sharing one table
    associations = [
        ("subnet-public-0", "rtb-a"),
        ("subnet-private-2", "rtb-z"),
        ("subnet-public-1", "rtb-b"),
        ("subnet-private-0", "rtb-x"),
        ("subnet-private-1", "rtb-x"),
        ("subnet-public-2", "rtb-c"),
    ]

    def program():
        net = Network("net", NetworkArgs(availability_zones=3))
        return {"tables": net.private_route_table_ids, "private": net.private_subnet_ids}

    # When the network is registered
    graph = run(program, associations=associations)

    # Then its route tables are the private subnets', in those subnets' order, each once, none public
    assert graph.values["private"] == ["subnet-private-0", "subnet-private-1", "subnet-private-2"]
    assert graph.values["tables"] == ["rtb-x", "rtb-z"]
