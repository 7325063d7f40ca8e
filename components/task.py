"""HandlerTask: the handler's Fargate task definition, its two roles and its log group."""

from enum import StrEnum
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _container, _names
from components._component import register_annotated_outputs, require
from components._fargate import check_size
from handler.contract import API_STAGE, DEFAULTS, KEEP_ALIVE_SECONDS


class CpuArchitecture(StrEnum):
    """The CPU the Fargate task runs on (ECS `runtimePlatform.cpuArchitecture`); the image is built for it."""

    X86_64 = "X86_64"
    """Intel or AMD: the image is built for `linux/amd64`."""
    ARM64 = "ARM64"
    """AWS Graviton: the image is built for `linux/arm64`. The default."""


#: ECS `cpu_architecture` -> the Docker platform an image must be built for to run on it.
PLATFORMS = {CpuArchitecture.X86_64.value: "linux/amd64", CpuArchitecture.ARM64.value: "linux/arm64"}
DEFAULT_CPU_ARCHITECTURE = CpuArchitecture.ARM64.value
DEFAULT_CPU = 256
DEFAULT_MEMORY = 512
DEFAULT_LOG_RETENTION_DAYS = 14
DEFAULT_CONTAINER_USER = "10001:10001"


class HandlerTaskArgs(TypedDict):
    """Inputs of :class:`HandlerTask`. The image and the database's endpoint and secret are needed;
    `Pipeline` wires them, with the architecture (the image's) and the API stage (the API's).

    The architecture and the user are plain values, checked here: a wrong platform or a root user never
    reaches ECS.
    """

    image: NotRequired[pulumi.Input[str]]
    """The image to run, by digest (`<repo>@sha256:...`). Needed."""
    database_endpoint: NotRequired[pulumi.Input[str]]
    """The DocumentDB cluster endpoint. Needed."""
    database_secret_arn: NotRequired[pulumi.Input[str]]
    """The cluster's managed master secret (JSON keys `username`, `password`). Needed."""
    repository_arn: NotRequired[pulumi.Input[str]]
    """The ECR repository the image comes from; the execution role may pull from it only."""
    cpu_architecture: NotRequired[CpuArchitecture]
    """`X86_64` or `ARM64` (the default); must match the image's platform."""
    cpu: NotRequired[pulumi.Input[int]]
    """Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (Fargate's)."""
    memory: NotRequired[pulumi.Input[int]]
    """Task memory in MiB, one Fargate runs with `cpu` (256: 512, 1024, 2048; 512: 1024..4096 by 1024...)."""
    log_retention_days: NotRequired[pulumi.Input[int]]
    """Retention of the container log group."""
    container_user: NotRequired[str]
    """The non-root `uid:gid` the container runs as."""
    store_deadline_seconds: NotRequired[pulumi.Input[float]]
    """The handler's per-request store deadline; the handler's own default when left out."""
    api_stage: NotRequired[pulumi.Input[str]]
    """The API stage whose name prefixes the backend path; the handler serves its routes under it too."""
    keep_alive_seconds: NotRequired[pulumi.Input[int]]
    """How long the handler keeps an idle connection: longer than its load balancer's idle timeout (`Service`
    wires its ALB's, plus a margin); the handler's own default when left out."""


class HandlerTask(pulumi.ComponentResource):
    """Read-only, non-root container; DB credentials only via `secrets`; a role that reads one secret."""

    arn: pulumi.Output[str]
    """The task definition's ARN (with its revision), for the service."""

    def __init__(self, name: str, args: HandlerTaskArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:HandlerTask", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        trust = _container.assume_role_policy("ecs-tasks.amazonaws.com")

        logs = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            retention_in_days=args.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS),
            opts=child,
        )
        execution_role = _execution_role(name, args, logs, trust, child)
        # The handler calls no AWS API, so its task role has no permissions at all.
        task_role = aws.iam.Role(
            f"{name}-role",
            name=_names.autoname_or_fit(f"{name}-role", _names.IAM_ROLE),
            assume_role_policy=trust,
            opts=child,
        )
        task = aws.ecs.TaskDefinition(
            f"{name}-def",
            family=name,
            cpu=pulumi.Output.from_input(args.get("cpu", DEFAULT_CPU)).apply(str),
            memory=pulumi.Output.from_input(args.get("memory", DEFAULT_MEMORY)).apply(str),
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            runtime_platform=aws.ecs.TaskDefinitionRuntimePlatformArgs(
                cpu_architecture=args.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE),
                operating_system_family="LINUX",
            ),
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=_container_definitions(self, args, logs),
            opts=child,
        )
        self.arn = task.arn
        register_annotated_outputs(self)


def check_settings(args: HandlerTaskArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    architecture = args.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE)
    if architecture not in PLATFORMS:
        raise ValueError(f"`cpu_architecture` must be one of {tuple(PLATFORMS)}, got {architecture!r}")
    if args.get("container_user", DEFAULT_CONTAINER_USER).split(":")[0] in ("0", "root"):
        raise ValueError("`container_user` must not be root")
    check_size(args.get("cpu", DEFAULT_CPU), args.get("memory", DEFAULT_MEMORY))


def _check(args: HandlerTaskArgs) -> None:
    require(args, "image", "database_endpoint", "database_secret_arn")
    check_settings(args)


def _execution_role(
    name: str, args: HandlerTaskArgs, logs: aws.cloudwatch.LogGroup, trust: str, opts: pulumi.ResourceOptions
) -> aws.iam.Role:
    """The role ECS starts the task with: pull the image, write its logs, read the one DB secret."""
    role = aws.iam.Role(
        f"{name}-execution",
        name=_names.autoname_or_fit(f"{name}-execution", _names.IAM_ROLE),
        assume_role_policy=trust,
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-execution-policy",
        name=_names.autoname_or_fit(f"{name}-execution-policy", _names.IAM_POLICY),
        role=role.id,
        policy=pulumi.Output.all(args["database_secret_arn"], logs.arn, args.get("repository_arn")).apply(
            lambda a: _container.execution_policy(secret_arn=a[0], log_group_arn=a[1], repository_arn=a[2])
        ),
        opts=opts,
    )
    return role


def _container_definitions(
    task: HandlerTask, args: HandlerTaskArgs, logs: aws.cloudwatch.LogGroup
) -> pulumi.Output[str]:
    region = aws.get_region_output(opts=pulumi.InvokeOutputOptions(parent=task)).region
    return pulumi.Output.all(
        args["image"],
        args["database_endpoint"],
        args["database_secret_arn"],
        logs.name,
        region,
        args.get("store_deadline_seconds", DEFAULTS["store_deadline_seconds"]),
        args.get("api_stage", API_STAGE),
        args.get("keep_alive_seconds", KEEP_ALIVE_SECONDS),
    ).apply(
        lambda a: _container.container_definitions(
            image=a[0],
            endpoint=a[1],
            secret_arn=a[2],
            log_group=a[3],
            region=a[4],
            user=args.get("container_user", DEFAULT_CONTAINER_USER),
            deadline=a[5],
            api_stage=a[6],
            keep_alive=int(a[7]),  # a whole number of seconds, as the handler reads it
        )
    )
