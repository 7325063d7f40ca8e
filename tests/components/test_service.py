"""Service: private Fargate service with rollback and autoscaling, behind an internal ALB."""

import pytest

from components.access_logs import AccessLogBucketArgs
from components.alb import InternalAlb, InternalAlbArgs
from components.service import Service, ServiceArgs
from handler import contract
from tests.components.harness import run
from tests.components.samples import IMAGE, task_args

INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"


def _args(**overrides) -> ServiceArgs:
    return ServiceArgs(
        vpc_id="vpc-1",
        subnet_ids=["subnet-a", "subnet-b"],
        task=task_args(),
        database_security_group_id="sg-db",
        alb_client_security_group_ids=["sg-link"],
        **overrides,
    )


def _egress(graph):
    return {(group, peer, low) for group, peer, low, _ in graph.security_rules(EGRESS)}


@pytest.fixture(scope="module")
def graph():
    # Given a service that scales between 2 and 6 tasks
    return run(lambda: {"name": Service("svc", _args(min_tasks=2, max_tasks=6)).service_name})


def test_service_is_private_with_rollback_and_autoscaling(graph):
    service = graph.one("aws:ecs/service:Service").inputs
    net = service["networkConfiguration"]
    assert net["assignPublicIp"] is False and net["subnets"] == ["subnet-a", "subnet-b"]
    assert net["securityGroups"] == [graph.named("svc-tasks").outputs["id"]]
    assert service["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert service["launchType"] == "FARGATE"
    assert service["taskDefinition"] == graph.one("aws:ecs/taskDefinition:TaskDefinition").outputs["arn"]
    (c,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    assert c["image"] == IMAGE
    (lb,) = service["loadBalancers"]
    assert lb["targetGroupArn"] == graph.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    assert (lb["containerName"], lb["containerPort"]) == (c["name"], contract.CONTAINER_PORT)
    cluster = graph.one("aws:ecs/cluster:Cluster")
    assert service["cluster"] == cluster.outputs["arn"]
    assert {"name": "containerInsights", "value": "enabled"} in cluster.inputs["settings"]
    target = graph.one("aws:appautoscaling/target:Target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 6)
    assert target["resourceId"] == f"service/{cluster.outputs['name']}/{graph.values['name']}"
    policy = graph.one("aws:appautoscaling/policy:Policy").inputs
    assert policy["policyType"] == "TargetTrackingScaling"
    assert policy["targetTrackingScalingPolicyConfiguration"]["targetValue"] == 60


def test_alb_is_internal_checks_healthz_and_security_groups_chain(graph):
    alb = graph.one("aws:lb/loadBalancer:LoadBalancer").inputs
    assert alb["internal"] is True and alb["subnets"] == ["subnet-a", "subnet-b"]
    tg = graph.one("aws:lb/targetGroup:TargetGroup").inputs
    assert tg["healthCheck"]["path"] == contract.HEALTH_PATH and tg["port"] == contract.CONTAINER_PORT
    assert tg["targetType"] == "ip"
    listener = graph.one("aws:lb/listener:Listener").inputs
    assert (
        listener["defaultActions"][0]["targetGroupArn"]
        == graph.one("aws:lb/targetGroup:TargetGroup").outputs["arn"]
    )
    alb_sg, task_sg = graph.named("svc-alb-sg").outputs["id"], graph.named("svc-tasks").outputs["id"]
    assert alb["securityGroups"] == [alb_sg]
    ingress = {
        (r.inputs["securityGroupId"], r.inputs.get("referencedSecurityGroupId"), r.inputs["fromPort"])
        for r in graph.of_type(INGRESS)
    }
    assert ingress == {(alb_sg, "sg-link", 80), (task_sg, alb_sg, contract.CONTAINER_PORT)}
    assert _egress(graph) == {
        (alb_sg, task_sg, contract.CONTAINER_PORT),
        (task_sg, "sg-db", 27017),
        (task_sg, "0.0.0.0/0", 443),
    }


def test_rejects_min_above_max():
    with pytest.raises(ValueError, match="`min_tasks`"):
        Service("svc", _args(min_tasks=3, max_tasks=2))


def test_internal_alb_alone_admits_nobody_until_told():
    # Given an ALB used on its own, with no client groups
    graph = run(
        lambda: {
            "dns": InternalAlb(
                "alb",
                InternalAlbArgs(vpc_id="vpc-1", subnet_ids=["subnet-a"], target_security_group_id="sg-t"),
            ).dns_name
        }
    )
    # Then it is internal, has no ingress at all, and may reach only its targets
    assert graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is True
    assert not graph.of_type(INGRESS)
    (egress,) = graph.of_type(EGRESS)
    assert egress.inputs["referencedSecurityGroupId"] == "sg-t"
    assert graph.values["dns"].startswith("internal-")


def test_used_alone_it_needs_a_task():
    args = _args()
    del args["task"]
    with pytest.raises(ValueError, match="`task` is required"):
        Service("svc", args)


def test_a_deploy_returns_only_once_the_new_tasks_serve(graph):
    # Given the service, then `pulumi up` waits for it to be stable (the deployment done, the tasks
    # running), so what runs after it (the post-deploy smoke check) meets the new tasks
    assert graph.one("aws:ecs/service:Service").inputs["waitForSteadyState"] is True


def test_with_vpc_endpoints_the_tasks_https_goes_to_them_and_to_s3_only():
    # Given a service whose tasks reach AWS through VPC endpoints
    graph = run(
        lambda: {
            "name": Service(
                "svc", _args(endpoint_security_group_id="sg-vpce", s3_prefix_list_id="pl-s3")
            ).service_name
        }
    )
    # Then the tasks' HTTPS goes to the endpoints' group and S3's prefix list, and nowhere else
    task_sg = graph.named("svc-tasks").outputs["id"]
    assert {e for e in _egress(graph) if e[0] == task_sg} == {
        (task_sg, "sg-db", 27017),
        (task_sg, "sg-vpce", 443),
        (task_sg, "pl-s3", 443),
    }
    assert not any(r.inputs.get("cidrIpv4") for r in graph.of_type(EGRESS))


@pytest.mark.parametrize("given", ["endpoint_security_group_id", "s3_prefix_list_id"])
def test_the_endpoints_group_and_the_s3_prefix_list_go_together(given):
    with pytest.raises(ValueError, match="`endpoint_security_group_id` and `s3_prefix_list_id`"):
        Service("svc", _args(**{given: "x"}))


def test_the_albs_own_settings_reach_it_and_its_logs_go_to_their_bucket():
    # Given a service whose load balancer keeps its access logs 5 days under `edge`
    logs = AccessLogBucketArgs(retention_days=5, prefix="edge")
    graph = run(
        lambda: {"bucket": Service("svc", _args(alb=InternalAlbArgs(access_logs=logs))).alb_log_bucket}
    )
    # Then the bucket expires them after 5 days, and the load balancer logs there under that prefix
    (rule,) = graph.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["expiration"] == {"days": 5}
    access_logs = graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["accessLogs"]
    assert access_logs == {"bucket": graph.values["bucket"], "prefix": "edge", "enabled": True}


def test_refuses_alb_settings_it_wires_itself():
    with pytest.raises(ValueError, match=r"`alb\.subnet_ids` is wired by `Service`"):
        Service("svc", _args(alb=InternalAlbArgs(subnet_ids=["subnet-elsewhere"])))
