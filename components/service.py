"""Service: the handler on ECS Fargate in private subnets, behind an internal ALB, with autoscaling."""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _container
from components._autoscaling import track_cpu
from components._component import register_annotated_outputs, require
from components.alb import InternalAlb, InternalAlbArgs
from components.database import DOCDB_PORT
from components.endpoints import HTTPS_PORT
from components.security import allow_in, allow_out, allow_out_anywhere, allow_out_to_prefix_list
from components.task import HandlerTask, HandlerTaskArgs
from handler.contract import CONTAINER_PORT, KEEP_ALIVE_MARGIN_SECONDS

#: What Service fills in its load balancer's args: `alb` may not set them.
ALB_WIRED = ("vpc_id", "subnet_ids", "target_security_group_id", "client_security_group_ids")
#: What Service fills in its task's args: `task` may not set it.
TASK_WIRED = ("keep_alive_seconds",)
DEFAULT_MIN_TASKS = 1
DEFAULT_MAX_TASKS = 2
DEFAULT_CPU_TARGET_PERCENT = 60.0


class ServiceArgs(TypedDict):
    """Inputs of :class:`Service`. The VPC, subnets, task and database group are needed; `Pipeline` wires
    them (and the task's own wiring), so its `service` holds only the sizes and the task's settings.

    The task bounds are plain values, checked here.
    """

    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC of the tasks and the ALB. Needed."""
    subnet_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets for the tasks and the ALB. Needed."""
    task: NotRequired[HandlerTaskArgs]
    """What to run: image, database wiring, architecture, size. Needed."""
    alb: NotRequired[InternalAlbArgs]
    """The load balancer's own settings (its access logs' retention, among others); its VPC, subnets, targets
    and clients come from the fields here."""
    database_security_group_id: NotRequired[pulumi.Input[str]]
    """The cluster's security group: the tasks' only egress inside the VPC. Needed."""
    task_security_group_id: NotRequired[pulumi.Input[str]]
    """A pre-made (empty) group for the tasks, so the database can admit it before the service exists."""
    alb_client_security_group_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The only security groups the ALB admits (the API's VPC link)."""
    endpoint_security_group_id: NotRequired[pulumi.Input[str]]
    """The VPC endpoints' group (ECR, Secrets Manager, CloudWatch Logs): with it, the tasks' HTTPS goes there
    and to `s3_prefix_list_id` only; without it, anywhere through NAT. Not without `s3_prefix_list_id`."""
    s3_prefix_list_id: NotRequired[pulumi.Input[str]]
    """S3's prefix list, routed by a gateway endpoint: where image layers come from. Not without
    `endpoint_security_group_id`."""
    endpoint_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """The VPC endpoints themselves (`Endpoints.endpoint_ids`): the ECS service is made after all of them,
    since a task that starts before they are available cannot pull its image or read its secret."""
    min_tasks: NotRequired[int]
    """Autoscaling floor (and the initial desired count)."""
    max_tasks: NotRequired[int]
    """Autoscaling ceiling."""
    cpu_target_percent: NotRequired[pulumi.Input[float]]
    """Target-tracking goal for the service's average CPU."""


class Service(pulumi.ComponentResource):
    """ECS cluster (Container Insights), task, private service with rollback, internal ALB, autoscaling."""

    cluster_name: pulumi.Output[str]
    """The ECS cluster: `aws ecs` commands and the service's metrics (`ClusterName`) need it."""
    service_name: pulumi.Output[str]
    """The ECS service: `aws ecs` commands and its metrics (`ServiceName`) need it."""
    alb_arn: pulumi.Output[str]
    """The internal ALB, the API's integration target."""
    alb_dns_name: pulumi.Output[str]
    """The ALB's host, for the API's integration URIs."""
    alb_security_group_id: pulumi.Output[str]
    """The ALB's group: the one a client (the VPC link) may reach."""
    alb_arn_suffix: pulumi.Output[str]
    """The ALB as CloudWatch's `LoadBalancer` knows it."""
    target_group_arn_suffix: pulumi.Output[str]
    """The tasks' target group as CloudWatch's `TargetGroup` knows it (healthy and unhealthy targets)."""
    alb_log_bucket: pulumi.Output[str]
    """The S3 bucket the ALB's access logs go to, for on-call."""
    task_definition_arn: pulumi.Output[str]
    """The task definition (with its revision) this deploy made: after a rollback the service runs another."""

    def __init__(self, name: str, args: ServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        lo, hi = _check(args)
        super().__init__("order-events:index:Service", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        task_sg = args.get("task_security_group_id") or _task_group(name, args, child)
        wiring = InternalAlbArgs(
            vpc_id=args["vpc_id"],
            subnet_ids=args["subnet_ids"],
            target_security_group_id=task_sg,
            client_security_group_ids=args.get("alb_client_security_group_ids", []),
        )
        alb = InternalAlb(f"{name}-alb", args.get("alb", InternalAlbArgs()) | wiring, opts=child)
        _open_paths(name, args, task_sg, alb.security_group_id, child)
        insights = aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")
        cluster = aws.ecs.Cluster(f"{name}-cluster", settings=[insights], opts=child)
        task = HandlerTask(f"{name}-task", args["task"] | _keep_alive(alb), opts=child)
        service = _ecs_service(self, name, args, cluster, task, alb, task_sg)
        cpu = args.get("cpu_target_percent", DEFAULT_CPU_TARGET_PERCENT)
        track_cpu(name, cluster=cluster, service=service, bounds=(lo, hi), cpu_percent=cpu, opts=child)
        self.cluster_name = cluster.name
        self.service_name = service.name
        self.alb_arn = alb.arn
        self.alb_dns_name = alb.dns_name
        self.alb_security_group_id = alb.security_group_id
        self.alb_arn_suffix = alb.arn_suffix
        self.target_group_arn_suffix = alb.target_group_arn_suffix
        self.alb_log_bucket = alb.access_log_bucket
        self.task_definition_arn = task.arn
        register_annotated_outputs(self)


def check_settings(args: ServiceArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything.

    None of the ALB's wiring, the task bounds in order, the endpoints' two fields together.
    """
    if taken := [field for field in ALB_WIRED if field in args.get("alb", {})]:
        raise ValueError(f"`alb.{taken[0]}` is wired by `Service` from its own fields; leave it out")
    if taken := [field for field in TASK_WIRED if field in args.get("task", {})]:
        raise ValueError(f"`task.{taken[0]}` is wired by `Service` from its ALB's idle timeout; leave it out")
    lo, hi = args.get("min_tasks", DEFAULT_MIN_TASKS), args.get("max_tasks", DEFAULT_MAX_TASKS)
    if not 1 <= lo <= hi:
        raise ValueError(f"`min_tasks` must be 1..`max_tasks`, got {lo}..{hi}")
    if (args.get("endpoint_security_group_id") is None) != (args.get("s3_prefix_list_id") is None):
        raise ValueError(
            "`endpoint_security_group_id` and `s3_prefix_list_id` go together: give both or neither"
        )


def _check(args: ServiceArgs) -> tuple[int, int]:
    """The wiring a service needs, its settings, and its task bounds."""
    require(args, "vpc_id", "subnet_ids", "task", "database_security_group_id")
    check_settings(args)
    return args.get("min_tasks", DEFAULT_MIN_TASKS), args.get("max_tasks", DEFAULT_MAX_TASKS)


def _keep_alive(alb: InternalAlb) -> HandlerTaskArgs:
    """The handler's keep-alive from the idle timeout the ALB was given, not from a constant: the ALB must
    close an idle connection first ("Edit attributes for your Application Load Balancer", "Connection idle
    timeout"), whatever idle timeout a stack chooses."""
    return HandlerTaskArgs(
        keep_alive_seconds=alb.idle_timeout_seconds.apply(lambda idle: int(idle) + KEEP_ALIVE_MARGIN_SECONDS)
    )


def _task_group(name: str, args: ServiceArgs, opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
    return aws.ec2.SecurityGroup(f"{name}-tasks", vpc_id=args["vpc_id"], opts=opts).id


def _open_paths(
    name: str,
    args: ServiceArgs,
    task_sg: pulumi.Input[str],
    alb_sg: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """The tasks' rules: in from the ALB only; out to the database, and to AWS's APIs over HTTPS (to pull the
    image, read the database secret and write logs): through the VPC endpoints when given, else anywhere."""
    allow_in(f"{name}-from-alb", group=task_sg, source=alb_sg, port=CONTAINER_PORT, opts=opts)
    allow_out(
        f"{name}-to-db", group=task_sg, target=args["database_security_group_id"], port=DOCDB_PORT, opts=opts
    )
    endpoints = args.get("endpoint_security_group_id")
    if endpoints is None:  # ECR, Secrets Manager and CloudWatch Logs, through the NAT gateway
        allow_out_anywhere(f"{name}-to-https", group=task_sg, port=HTTPS_PORT, opts=opts)
        return
    allow_out(f"{name}-to-endpoints", group=task_sg, target=endpoints, port=HTTPS_PORT, opts=opts)
    # Image layers come from S3 through the gateway endpoint, whose addresses are S3's prefix list.
    allow_out_to_prefix_list(
        f"{name}-to-s3", group=task_sg, prefix_list=args["s3_prefix_list_id"], port=HTTPS_PORT, opts=opts
    )


def _ecs_service(
    parent: Service,
    name: str,
    args: ServiceArgs,
    cluster: aws.ecs.Cluster,
    task: HandlerTask,
    alb: InternalAlb,
    task_sg: pulumi.Input[str],
) -> aws.ecs.Service:
    return aws.ecs.Service(
        f"{name}-service",
        cluster=cluster.arn,
        task_definition=task.arn,
        launch_type="FARGATE",
        desired_count=args.get("min_tasks", DEFAULT_MIN_TASKS),
        network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
            subnets=args["subnet_ids"], security_groups=[task_sg], assign_public_ip=False
        ),
        load_balancers=[
            aws.ecs.ServiceLoadBalancerArgs(
                target_group_arn=alb.target_group_arn,
                container_name=_container.CONTAINER_NAME,
                container_port=CONTAINER_PORT,
            )
        ],
        deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
        # `pulumi up` returns once the service is stable, "like `aws ecs wait services-stable`" (pulumi-aws
        # `ecs.Service` reference, `wait_for_steady_state`; terraform-provider-aws `aws_ecs_service`): the
        # new tasks serve when the post-deploy `orders smoke` runs. A rollback by the circuit breaker
        # also ends stable, and the provider still reports success (hashicorp/terraform-provider-aws#20858).
        wait_for_steady_state=True,
        health_check_grace_period_seconds=30,
        propagate_tags="SERVICE",
        # The target group must be behind a listener first, and the endpoints must be there for the first
        # task; autoscaling owns the count afterwards.
        opts=pulumi.ResourceOptions(
            parent=parent, depends_on=[alb, *_after_endpoints(args, alb)], ignore_changes=["desiredCount"]
        ),
    )


def _after_endpoints(args: ServiceArgs, alb: InternalAlb) -> list[pulumi.Output[InternalAlb]]:
    """`depends_on` entries that carry the endpoints: an Output's own resources are dependencies too
    (Pulumi docs, "Resource option: dependsOn" takes `Input`s; pulumi `runtime/_depends_on.py`), so an
    Output of the ALB (already a dependency) made from `endpoint_ids` orders the service after each endpoint.
    Ids, not resources, since a caller of the package can pass only values. A task whose HTTPS may go only
    to the endpoints, started before they are available, cannot pull its image or read its secret and
    stops with `ResourceInitializationError` (ECR guide, "Amazon ECR interface VPC endpoints (AWS
    PrivateLink)").
    """
    ids = args.get("endpoint_ids")
    return [] if ids is None else [pulumi.Output.from_input(ids).apply(lambda _: alb)]
