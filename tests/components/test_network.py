"""Network: subnets over several AZs, NAT strategy from args."""

import pytest

from components.network import Network, NetworkArgs
from tests.components.harness import run


def test_vpc_spans_azs_with_private_subnets_and_configured_nat():
    # Given a prod-like network: three AZs, a NAT gateway per AZ
    def program():
        net = Network("net", NetworkArgs(nat_strategy="OnePerAz", availability_zones=3))
        return {"private": net.private_subnet_ids, "vpc": net.vpc_id}

    # When it is registered
    graph = run(program)

    # Then the awsx VPC gets the strategy, the AZ count and both subnet tiers, and exposes its outputs
    vpc = graph.one("awsx:ec2:Vpc").inputs
    assert vpc["natGateways"] == {"strategy": "OnePerAz"}
    assert vpc["numberOfAvailabilityZones"] == 3
    assert {s["type"] for s in vpc["subnetSpecs"]} == {"Public", "Private"}
    assert vpc["enableDnsHostnames"] is True
    assert len(graph.values["private"]) == 3
    assert graph.values["vpc"] == "vpc-1"


@pytest.mark.parametrize(
    ("args", "field"),
    [({"nat_strategy": "None"}, "nat_strategy"), ({"availability_zones": 1}, "availability_zones")],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        Network("net", NetworkArgs(**args))


def test_exposes_the_private_subnets_route_tables_only():
    # Given a network over three AZs (awsx makes a route table per subnet, public and private)
    def program():
        net = Network("net", NetworkArgs(availability_zones=3))
        return {"tables": net.private_route_table_ids, "private": net.private_subnet_ids}

    # When it is registered
    graph = run(program)

    # Then the route tables are those of the private subnets, in their order, none of a public subnet
    # (the mocks associate `subnet-<kind>-<i>` with `rtb-<kind>-<i>`, as awsx makes one table per subnet)
    assert graph.values["private"] == ["subnet-private-0", "subnet-private-1", "subnet-private-2"]
    assert graph.values["tables"] == ["rtb-private-0", "rtb-private-1", "rtb-private-2"]
