"""The whole program, each stack's config: who reaches whom, how tasks reach AWS, where the ALB logs go."""

import runpy

import pytest

from handler import contract
from tests.components.harness import ROOT, deployed_config, run, run_main

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def _groups(graph):
    """Each hop's one group, found from the resource that uses it: link, ALB, tasks, DB."""
    found = (
        graph.one("aws:apigatewayv2/vpcLink:VpcLink").inputs["securityGroupIds"],
        graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["securityGroups"],
        graph.one("aws:ecs/service:Service").inputs["networkConfiguration"]["securityGroups"],
        graph.one("aws:docdb/cluster:Cluster").inputs["vpcSecurityGroupIds"],
    )
    assert all(len(g) == 1 for g in found)
    return tuple(g[0] for g in found)


def _rules(graph, type_):
    # One port each; a range would show here as missing
    return {(group, peer, low) for group, peer, low, high in graph.security_rules(type_) if low == high}


def _aws_apis(graph, stack, tasks):
    """How the tasks reach ECR, Secrets Manager, Logs and S3: (the tasks' egress, the endpoints' ingress)."""
    if stack == "dev":  # through NAT
        return {(tasks, "0.0.0.0/0", 443)}, set()
    endpoints = graph.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    # One group for every interface endpoint, and the gateway's prefix list
    (vpce,) = {g for e in endpoints for g in e.inputs.get("securityGroupIds", [])}
    (s3,) = [e.outputs["prefixListId"] for e in endpoints if e.inputs["vpcEndpointType"] == "Gateway"]
    return {(tasks, vpce, 443), (tasks, s3, 443)}, {(vpce, tasks, 443)}


def test_security_groups_chain_api_alb_tasks_db_and_nothing_wider(graph, stack):
    link, alb, tasks, db = _groups(graph)
    to_aws, endpoints_admit = _aws_apis(graph, stack, tasks)
    # Then ingress is exactly link -> ALB:80 -> tasks:8080 -> DB:27017 (and tasks -> endpoints:443 where
    # there are endpoints), never from a CIDR
    assert (
        _rules(graph, INGRESS)
        == {
            (alb, link, 80),
            (tasks, alb, contract.CONTAINER_PORT),
            (db, tasks, 27017),
        }
        | endpoints_admit
    )
    assert not any(r.inputs.get("cidrIpv4") for r in graph.of_type(INGRESS))
    assert not any("ingress" in g.inputs for g in graph.of_type("aws:ec2/securityGroup:SecurityGroup"))
    # And egress follows the same chain, plus the tasks' HTTPS to AWS's APIs: anywhere through NAT in dev,
    # only the endpoints' group and S3's prefix list in prod
    assert (
        _rules(graph, EGRESS)
        == {
            (link, alb, 80),
            (alb, tasks, contract.CONTAINER_PORT),
            (tasks, db, 27017),
        }
        | to_aws
    )
    assert len(_rules(graph, EGRESS)) == len(graph.of_type(EGRESS))


def test_the_tasks_reach_aws_through_endpoints_in_prod_and_through_nat_in_dev(graph, stack):
    endpoints = graph.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    if stack == "dev":
        # Given `privateEndpoints: false` (the default), then no endpoint, and HTTPS out through NAT
        assert endpoints == [] and graph.of_type("order-events:index:Endpoints") == []
        return
    # Given `privateEndpoints: true`, then ECR (API, registry), Secrets Manager and Logs answer inside the
    # private subnets under their own names, and S3's gateway is on the private subnets' route tables
    vpc = graph.one("awsx:ec2:Vpc").outputs
    services = {e.inputs["serviceName"].split("us-east-1.")[1]: e.inputs for e in endpoints}
    assert set(services) == {"ecr.api", "ecr.dkr", "secretsmanager", "logs", "s3"}
    for service in ("ecr.api", "ecr.dkr", "secretsmanager", "logs"):
        assert services[service]["privateDnsEnabled"] is True
        assert services[service]["subnetIds"] == vpc["privateSubnetIds"]
    assert services["s3"]["routeTableIds"] == [s.replace("subnet-", "rtb-") for s in vpc["privateSubnetIds"]]
    # And no rule anywhere opens 0.0.0.0/0
    rules = graph.of_type(EGRESS) + graph.of_type(INGRESS)
    assert not any(r.inputs.get("cidrIpv4") or r.inputs.get("cidrIpv6") for r in rules)


def test_the_endpoints_follow_the_key_not_the_stack():
    # Given prod with `privateEndpoints` set false, then its tasks go through NAT as dev's do
    graph = run_main("prod", privateEndpoints="false")
    assert graph.of_type("aws:ec2/vpcEndpoint:VpcEndpoint") == []
    tasks = _groups(graph)[2]
    assert (tasks, "0.0.0.0/0", 443) in _rules(graph, EGRESS)


ALB_LOG_DAYS = {"dev": 7, "prod": 365}


def test_the_alb_logs_to_its_bucket_kept_as_configured(graph, stack):
    # Given the stack's `albLogRetentionDays`, then its one bucket expires logs after that many days
    bucket = graph.one("aws:s3/bucket:Bucket").outputs["bucket"]
    (rule,) = graph.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["expiration"] == {"days": ALB_LOG_DAYS[stack]}
    # And the load balancer logs there, once the bucket's policy lets ELB write, and the stack says where
    lb = graph.one("aws:lb/loadBalancer:LoadBalancer")
    assert lb.inputs["accessLogs"] == {"bucket": bucket, "prefix": "alb", "enabled": True}
    assert graph.depends_on(lb.name) == {f"orders-{stack}-svc-alb-logs"}
    policy = graph.one("aws:s3/bucketPolicy:BucketPolicy")
    logs = graph.options[policy.name].parent  # the component the load balancer depends on holds the policy
    assert (logs._name, logs._type) == (f"orders-{stack}-svc-alb-logs", "order-events:index:AccessLogBucket")
    assert graph.values["alb_log_bucket"] == bucket == policy.inputs["bucket"]
    # And the policy lets us-east-1's ELB account write under the prefix, and refuses plain HTTP: nothing else
    arn = f"arn:aws:s3:::{bucket}"
    assert [
        (s["Effect"], s["Principal"], s["Action"], s["Resource"]) for s in policy.json("policy")["Statement"]
    ] == [
        (
            "Allow",
            {"AWS": "arn:aws:iam::127311923021:root"},
            "s3:PutObject",
            f"{arn}/alb/AWSLogs/123456789012/*",
        ),
        ("Deny", "*", "s3:*", [arn, f"{arn}/*"]),
    ]
    assert policy.json("policy")["Statement"][1]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize(("stack_name", "overrides", "forced"), [
    ("dev", {}, True),  # Pulumi.dev.yaml: `forceDestroy: true`
    ("prod", {}, False),  # the default
    ("prod", {"forceDestroy": "true"}, True),  # the runbook's teardown sets it for prod's last `up`
])  # fmt: skip
def test_destroy_may_delete_the_repository_and_log_bucket_as_the_one_key_says(stack_name, overrides, forced):
    # Given a stack's `forceDestroy`
    graph = run_main(stack_name, **overrides)
    # Then ECR deletes the repository with its images, and the provider empties the ALB's log bucket before
    # deleting it, exactly when it is on (else `pulumi destroy` stops at either while it holds anything)
    assert graph.one("aws:ecr/repository:Repository").inputs["forceDelete"] is forced
    assert graph.one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is forced


def test_the_service_starts_its_tasks_only_after_every_vpc_endpoint_exists():
    # Given prod, whose tasks' HTTPS may go only to the VPC endpoints (`privateEndpoints: true`)
    graph = run_main("prod")
    endpoints = {e.name for e in graph.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert len(endpoints) == 5
    # Then the engine is told the ECS service depends on each endpoint itself, not only on their group,
    # so no task starts before ECR, Secrets Manager, Logs and S3 answer inside the VPC
    service = graph.one("aws:ecs/service:Service").name
    assert endpoints <= graph.dependencies[service]
    # And still after the load balancer's listener, as before
    assert f"{service.removesuffix('-service')}-alb-listener" in graph.dependencies[service]


def test_prod_in_an_account_whose_first_zone_lacks_vpc_links_builds_on_three_that_have_them():
    # Given prod (3 zones) in an account whose us-east-1a is use1-az3, where VPC links V2 do not exist
    zones = {
        "us-east-1a": "use1-az3",
        "us-east-1b": "use1-az6",
        "us-east-1c": "use1-az1",
        "us-east-1d": "use1-az2",
    }
    graph = run(
        lambda: runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__") and None,
        stack="prod",
        config=deployed_config("prod"),
        zones=zones,
    )
    # Then the VPC spans the next three names, and the VPC link sits in exactly its private subnets
    vpc = graph.one("awsx:ec2:Vpc")
    assert vpc.inputs["availabilityZoneNames"] == ["us-east-1b", "us-east-1c", "us-east-1d"]
    link = graph.one("aws:apigatewayv2/vpcLink:VpcLink").inputs
    assert link["subnetIds"] == vpc.outputs["privateSubnetIds"] and len(link["subnetIds"]) == 3
