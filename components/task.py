"""HandlerTask: the handler's Fargate task definition, its two roles and its log group."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components import _container
from handler.contract import API_STAGE

ARCHITECTURES = ("X86_64", "ARM64")


@dataclass(kw_only=True)
class HandlerTaskArgs:
    """Inputs of :class:`HandlerTask`."""

    image: pulumi.Input[str]
    """The image to run, by digest (`<repo>@sha256:...`)."""
    database_endpoint: pulumi.Input[str]
    """The DocumentDB cluster endpoint."""
    database_secret_arn: pulumi.Input[str]
    """The cluster's managed master secret (JSON keys `username`, `password`)."""
    repository_arn: pulumi.Input[str] | None = None
    """The ECR repository the image comes from; the execution role may pull from it only."""
    cpu_architecture: str = "ARM64"
    """`X86_64` or `ARM64`; must match the image's platform."""
    cpu: int = 256
    """Task CPU units."""
    memory: int = 512
    """Task memory in MiB."""
    log_retention_days: int = 14
    """Retention of the container log group."""
    container_user: str = "10001:10001"
    """The non-root `uid:gid` the container runs as."""
    store_deadline_seconds: float = 3.0
    """The handler's per-request store deadline."""
    api_stage: str = API_STAGE
    """The API stage whose name prefixes the backend path; the handler serves its routes under it too."""


class HandlerTask(pulumi.ComponentResource):
    """Read-only, non-root container; DB credentials only via `secrets`; a role that reads one secret."""

    arn: pulumi.Output[str]
    log_group_name: pulumi.Output[str]

    def __init__(self, name: str, args: HandlerTaskArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.cpu_architecture not in ARCHITECTURES:
            raise ValueError(
                f"`cpu_architecture` must be one of {ARCHITECTURES}, got {args.cpu_architecture!r}"
            )
        if args.container_user.split(":")[0] in ("0", "root"):
            raise ValueError("`container_user` must not be root")
        super().__init__("order-events:index:HandlerTask", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        trust = _container.assume_role_policy("ecs-tasks.amazonaws.com")

        logs = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days=args.log_retention_days, opts=child)
        execution_role = aws.iam.Role(f"{name}-execution", assume_role_policy=trust, opts=child)
        aws.iam.RolePolicy(
            f"{name}-execution-policy",
            role=execution_role.id,
            policy=pulumi.Output.all(args.database_secret_arn, logs.arn, args.repository_arn).apply(
                lambda a: _container.execution_policy(
                    secret_arn=a[0], log_group_arn=a[1], repository_arn=a[2]
                )
            ),
            opts=child,
        )
        # The handler calls no AWS API, so its task role has no permissions at all.
        task_role = aws.iam.Role(f"{name}-role", assume_role_policy=trust, opts=child)
        region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=self)).region
        settings = pulumi.Output.all(
            args.image, args.database_endpoint, args.database_secret_arn, logs.name, region
        )
        task = aws.ecs.TaskDefinition(
            f"{name}-def",
            family=name,
            cpu=str(args.cpu),
            memory=str(args.memory),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                cpu_architecture=args.cpu_architecture, operating_system_family="LINUX"
            ),
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=settings.apply(
                lambda a: _container.container_definitions(
                    image=a[0],
                    endpoint=a[1],
                    secret_arn=a[2],
                    log_group=a[3],
                    region=a[4],
                    user=args.container_user,
                    deadline=args.store_deadline_seconds,
                    api_stage=args.api_stage,
                )
            ),
            opts=child,
        )
        self.arn = task.arn
        self.log_group_name = logs.name
        self.register_outputs({"arn": self.arn, "log_group_name": self.log_group_name})
