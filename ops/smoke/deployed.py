"""Did the deploy take? The ECS service, and every task it runs, on the task definition this deploy made.

A deployment the circuit breaker rolls back ends "steady" too, so `pulumi up` succeeds while the old
task definition runs (hashicorp/terraform-provider-aws#20858; Amazon ECS API reference,
DeploymentCircuitBreaker, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentCircuitBreaker.html:
"when a service deployment fails, the service is rolled back to the last deployment that completed
successfully"). The canary would then pass on the old code; this check reads which revision runs first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ops.errors import OpsError

#: DescribeTasks takes at most 100 tasks per call (Amazon ECS API reference, DescribeTasks).
_DESCRIBE_LIMIT = 100


@dataclass(frozen=True)
class Running:
    """What an ECS service runs: its own task definition and each running task's."""

    service: str
    tasks: tuple[str, ...]


def revision(arn: str) -> str:
    """`family:N` from a task definition ARN (`arn:aws:ecs:<region>:<account>:task-definition/family:N`)."""
    return arn.rsplit("/", 1)[-1]


def running(ecs: Any, cluster: str, service: str) -> Running:
    """The service's task definition, and those of the tasks it runs (desired status RUNNING).

    Raises:
        OpsError: No such service in that cluster.
    """
    found = ecs.describe_services(cluster=cluster, services=[service])["services"]
    if not found or found[0].get("status") == "INACTIVE":
        raise OpsError(f"ECS service {service} not found in cluster {cluster}: check the stack outputs")
    arns: list[str] = []
    for page in ecs.get_paginator("list_tasks").paginate(
        cluster=cluster, serviceName=service, desiredStatus="RUNNING"
    ):
        arns += page["taskArns"]
    tasks = []
    for start in range(0, len(arns), _DESCRIBE_LIMIT):
        tasks += ecs.describe_tasks(cluster=cluster, tasks=arns[start : start + _DESCRIBE_LIMIT])["tasks"]
    # ListTasks filters by service already; where a stand-in (moto) does not, the task group tells: "Tasks
    # launched as part of a service use the service name as the task group name" ("Group related Amazon
    # ECS tasks", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-groups.html), shown as
    # `service:<name>` (standalone tasks: `family:<name>`).
    groups = {f"service:{service}", service}
    ours = [task["taskDefinitionArn"] for task in tasks if task.get("group") in groups]
    return Running(service=found[0]["taskDefinition"], tasks=tuple(ours))


def check(ecs: Any, *, cluster: str, service: str, expected: str) -> tuple[list[str], str]:
    """Compare what the service runs with `expected`, the task definition this deploy made.

    Returns:
        The failure's lines (empty when the deploy took), and one line saying what runs.
    """
    now = running(ecs, cluster, service)
    want = revision(expected)
    others = sorted({revision(arn) for arn in (now.service, *now.tasks) if arn != expected})
    events = (
        f"  why: aws ecs describe-services --cluster {cluster} --services {service}"
        " --query 'services[0].events[:10]'"
    )
    if others:
        lines = [
            f"smoke FAILED: ECS service {service} runs {', '.join(others)}, not {want}, the task definition "
            "this deploy made",
            "  the deployment circuit breaker rolled the deploy back, or it has not finished: `pulumi up` "
            "reports success either way (hashicorp/terraform-provider-aws#20858)",
            events,
            "  nothing was published: the deploy is checked before the canary goes out",
        ]
        return lines, ""
    if not now.tasks:
        lines = [f"smoke FAILED: ECS service {service} runs {want} but has no running task", events]
        return lines, ""
    return [], f"deploy check: ECS service {service} runs {want}, this deploy's, in {len(now.tasks)} task(s)"
