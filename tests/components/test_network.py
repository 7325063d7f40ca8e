"""Network: subnets over several AZs, NAT strategy from args, and the private subnets' route tables."""

import pytest

from components._zones import vpc_link_zones
from components.network import DEFAULT_CIDR_BLOCK, Network, NetworkArgs
from tests.components.harness import REGION, run


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
    assert vpc.inputs["availabilityZoneNames"] == ["us-east-1a", "us-east-1b", "us-east-1c"]
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


#: An account whose us-east-1a is use1-az3, where API Gateway has no VPC links V2 (see components/_zones.py).
FIRST_IS_AZ3 = {
    "us-east-1a": "use1-az3", "us-east-1b": "use1-az1", "us-east-1c": "use1-az2", "us-east-1d": "use1-az4",
}  # fmt: skip


def test_the_vpc_skips_a_zone_whose_id_has_no_vpc_links():
    # Given an account whose first zone name maps to use1-az3, and a network over three zones
    def program():
        net = Network("net", NetworkArgs(availability_zones=3))
        return {"private": net.private_subnet_ids}

    # When it is registered
    graph = run(program, zones=FIRST_IS_AZ3)

    # Then the VPC's zones are the first three names whose IDs carry VPC links V2, named explicitly
    vpc = graph.one("awsx:ec2:Vpc").inputs
    assert vpc["availabilityZoneNames"] == ["us-east-1b", "us-east-1c", "us-east-1d"]
    assert "numberOfAvailabilityZones" not in vpc  # awsx refuses both
    assert len(graph.values["private"]) == 3


def test_too_few_vpc_link_zones_is_refused_naming_the_region_and_zones():
    # Given an account with three zones, one of them use1-az3, and a network that wants three
    zones = dict(list(FIRST_IS_AZ3.items())[:3])

    # When it is registered, then it is refused before the VPC is made, naming the region and each zone
    with pytest.raises(ValueError, match="`availability_zones`") as refused:
        run(lambda: Network("net", NetworkArgs(availability_zones=3)) and None, zones=zones)
    for name, zone_id in zones.items():
        assert f"{name} ({zone_id})" in str(refused.value)
    assert REGION in str(refused.value)


def test_a_region_the_vpc_link_page_does_not_list_is_refused_by_name():
    # Given a region missing from API Gateway's "Availability by Region" table, then it is refused by name
    with pytest.raises(ValueError, match="'af-south-1'"):
        vpc_link_zones("af-south-1", ["af-south-1a", "af-south-1b"], ["afs1-az1", "afs1-az2"], 2)
