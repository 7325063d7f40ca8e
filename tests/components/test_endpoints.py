"""Endpoints: what a Fargate task needs from AWS, inside the VPC, admitting one client group on 443."""

import json

import pytest

from components.endpoints import Endpoints, EndpointsArgs
from tests.components.harness import REGION, run

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def _args(**overrides) -> EndpointsArgs:
    return EndpointsArgs(
        vpc_id="vpc-1",
        subnet_ids=["subnet-a", "subnet-b"],
        route_table_ids=["rtb-a", "rtb-b"],
        client_security_group_id="sg-tasks",
        **overrides,
    )


@pytest.fixture(scope="module")
def graph():
    # Given the endpoints for a VPC with two private subnets, for the tasks' group
    def program():
        endpoints = Endpoints("vpce", _args())
        return {"sg": endpoints.security_group_id, "s3": endpoints.s3_prefix_list_id}

    return run(program)


def _by_service(graph):
    return {e.inputs["serviceName"].rsplit(f"{REGION}.", 1)[1]: e.inputs for e in graph.of_type(ENDPOINT)}


def test_interface_endpoints_for_ecr_secrets_and_logs_with_private_dns_in_the_private_subnets(graph):
    endpoints = _by_service(graph)
    interface = {s: e for s, e in endpoints.items() if e["vpcEndpointType"] == "Interface"}
    # Then ECR (API and registry), Secrets Manager and CloudWatch Logs, named for the stack's region
    assert set(interface) == {"ecr.api", "ecr.dkr", "secretsmanager", "logs"}
    assert all(e["serviceName"].startswith(f"com.amazonaws.{REGION}.") for e in interface.values())
    for e in interface.values():
        # each answering under the service's own name, in the private subnets, behind the endpoints' group
        assert e["privateDnsEnabled"] is True
        assert (e["vpcId"], e["subnetIds"]) == ("vpc-1", ["subnet-a", "subnet-b"])
        assert e["securityGroupIds"] == [graph.values["sg"]]


def test_s3_gateway_endpoint_on_the_route_tables_reads_only_ecr_layers(graph):
    s3 = _by_service(graph)["s3"]
    assert s3["vpcEndpointType"] == "Gateway" and s3["routeTableIds"] == ["rtb-a", "rtb-b"]
    assert "subnetIds" not in s3 and "securityGroupIds" not in s3
    (statement,) = json.loads(s3["policy"])["Statement"]
    assert statement == {
        "Sid": "EcrImageLayers",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::prod-{REGION}-starport-layer-bucket/*",
    }
    # And its prefix list is the output the clients' egress points at
    gateway = next(e for e in graph.of_type(ENDPOINT) if e.inputs["vpcEndpointType"] == "Gateway")
    assert graph.values["s3"] == gateway.outputs["prefixListId"]


def test_the_endpoints_admit_only_the_client_on_443_and_open_nothing_outwards(graph):
    (rule,) = graph.of_type(INGRESS)
    assert rule.inputs == {
        "securityGroupId": graph.values["sg"],
        "referencedSecurityGroupId": "sg-tasks",
        "ipProtocol": "tcp",
        "fromPort": 443,
        "toPort": 443,
    }
    assert graph.of_type(EGRESS) == []
    (group,) = graph.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert "ingress" not in group.inputs and "egress" not in group.inputs


@pytest.mark.parametrize("field", ["vpc_id", "subnet_ids", "route_table_ids", "client_security_group_id"])
def test_used_alone_it_names_the_wiring_it_lacks(field):
    args = _args()
    del args[field]
    with pytest.raises(ValueError, match=f"`{field}` is required"):
        Endpoints("vpce", args)
