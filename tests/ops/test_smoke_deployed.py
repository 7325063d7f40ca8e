"""`orders smoke` checks the deploy took before it publishes: the ECS service, and every task it runs, on
the task definition this deploy made. A circuit-breaker rollback ends "steady", so `pulumi up` succeeds
while the old revision runs (hashicorp/terraform-provider-aws#20858); moto plays ECS here.

moto (5.2) cannot start a task of an `awsvpc` task definition (its network interface has no
`private_dns_name`), so these task definitions are EC2-compatible ones in bridge mode; the check reads
only their ARNs and the tasks' group.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from handler.contract import API_STAGE, ORDERS_PATH
from tests.ops.conftest import Bus
from tests.ops.standin import delivering

CLUSTER, SERVICE, FAMILY = "orders-dev-cluster", "orders-dev-svc-service", "orders-dev-svc-task"


@dataclass
class Ecs:
    """A cluster with the service, and two revisions of its task definition: the old one and this deploy's."""

    client: Any
    old: str
    new: str

    def serve(self, service_on: str, tasks_on: list[str]) -> None:
        """The service on one revision, and one running task per entry of `tasks_on`."""
        subnet, group = _network()
        self.client.create_service(
            cluster=CLUSTER, serviceName=SERVICE, taskDefinition=service_on, desiredCount=len(tasks_on),
            launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}},
        )  # fmt: skip
        for arn in tasks_on:  # as ECS starts a service's tasks: in the group `service:<name>`
            self.client.run_task(
                cluster=CLUSTER, taskDefinition=arn, launchType="FARGATE", group=f"service:{SERVICE}"
            )
        # And a one-off task of the same family in the same cluster (a migration, say): not the service's
        self.client.run_task(
            cluster=CLUSTER, taskDefinition=self.old, launchType="FARGATE", group=f"family:{FAMILY}"
        )


def _network() -> tuple[str, str]:
    ec2 = boto3.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    return subnet, ec2.create_security_group(GroupName="tasks", Description="tasks", VpcId=vpc)["GroupId"]


@pytest.fixture
def ecs(moto: None) -> Ecs:
    client = boto3.client("ecs")
    client.create_cluster(clusterName=CLUSTER)
    container = [{"name": "handler", "image": "handler", "essential": True, "cpu": 256, "memory": 512}]
    old, new = (
        client.register_task_definition(
            family=FAMILY, containerDefinitions=container, requiresCompatibilities=["EC2"]
        )["taskDefinition"]["taskDefinitionArn"]
        for _ in range(2)
    )
    return Ecs(client, old, new)


def _outputs(tmp_path: Path, bus: Bus, api_url: str, dlq_url: str, task_definition: str | None) -> Path:
    """`pulumi stack output --json` of the deploy that made `task_definition`."""
    values = {"api_invoke_url": api_url, "event_bus_name": bus.name, "dlq_url": dlq_url}
    values |= {"cluster_name": CLUSTER, "service_name": SERVICE}
    if task_definition:
        values["task_definition_arn"] = task_definition
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps(values))
    return path


@pytest.mark.parametrize(
    ("service_on", "tasks_on"),
    [("old", ["old", "old"]), ("new", ["new", "old"])],
    ids=["rolled back", "old tasks still running"],
)
def test_a_service_not_on_this_deploys_revision_fails_naming_both(
    run, bus, dlq, ecs, tmp_path, service_on, tasks_on
):
    # Given `pulumi up` made revision 2, but the service (or one of its tasks) runs revision 1, as after a
    # circuit-breaker rollback
    ecs.serve(getattr(ecs, service_on), [getattr(ecs, which) for which in tasks_on])
    _, dlq_url = dlq
    outputs = _outputs(tmp_path, bus, f"http://127.0.0.1:9/{API_STAGE}", dlq_url, ecs.new)
    # When the smoke check runs on the stack's outputs
    result = run("smoke", "--outputs", outputs, "--timeout", "1")
    # Then it fails (exit 1) naming both revisions and where to read why, before publishing anything
    assert result.exit_code == 1, result.output
    assert f"ECS service {SERVICE} runs {FAMILY}:1, not {FAMILY}:2, the task definition this deploy made" in (
        result.stderr
    )
    assert f"aws ecs describe-services --cluster {CLUSTER} --services {SERVICE}" in result.stderr
    assert "Traceback" not in result.output
    assert bus.delivered() == []


def test_a_deploy_that_took_is_said_and_the_canary_goes_on(run, bus, dlq, ecs, staged_handler, tmp_path):
    # Given the service and both its tasks on the revision this deploy made (a one-off task on the old one)
    ecs.serve(ecs.new, [ecs.new, ecs.new])
    _, dlq_url = dlq
    api = f"{staged_handler}/{API_STAGE}"
    rule = boto3.client("events").describe_rule(Name="orders", EventBusName=bus.name)["Arn"]
    with delivering(bus.delivered_url, f"{api}{ORDERS_PATH}", dlq_url, rule_arn=rule):
        # When the smoke check runs
        result = run("smoke", "--outputs", _outputs(tmp_path, bus, api, dlq_url, ecs.new), "--timeout", "20")
    # Then it says which revision runs in how many tasks, and goes on to pass with the canary
    assert (
        f"deploy check: ECS service {SERVICE} runs {FAMILY}:2, this deploy's, in 2 task(s)" in result.stderr
    )
    assert result.exit_code == 0, result.output
    assert "smoke passed" in result.stdout


def test_outputs_without_the_task_definition_say_the_check_was_skipped(run, bus, dlq, tmp_path):
    # Given outputs from a stack that exports no task definition (nothing in ECS either)
    _, dlq_url = dlq
    outputs = _outputs(tmp_path, bus, f"http://127.0.0.1:9/{API_STAGE}", dlq_url, None)
    # When the smoke check runs
    result = run("smoke", "--outputs", outputs, "--timeout", "1")
    # Then it says it skipped the deploy check, and why, instead of passing over it in silence
    assert "deploy check skipped: needs cluster_name, service_name and task_definition_arn" in result.stderr


def test_a_service_that_is_not_there_is_a_one_line_error(run, bus, dlq, ecs, tmp_path):
    _, dlq_url = dlq
    result = run("smoke", "--outputs", _outputs(tmp_path, bus, "http://127.0.0.1:9/v1", dlq_url, ecs.new))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"orders: error: ECS service {SERVICE} not found in cluster {CLUSTER}: check the stack outputs"
    )
