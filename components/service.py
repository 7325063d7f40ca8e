"""Service: the handler on ECS Fargate in private subnets, behind an internal ALB, with autoscaling."""

from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _container
from components._component import register_annotated_outputs, require
from components._security import allow_in, allow_out
from components.alb import InternalAlb, InternalAlbArgs
from components.database import DOCDB_PORT
from components.task import HandlerTask, HandlerTaskArgs
from handler.contract import CONTAINER_PORT

_SCALING = aws.appautoscaling  # the generated type names are long
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
    database_security_group_id: NotRequired[pulumi.Input[str]]
    """The cluster's security group: the tasks' only egress inside the VPC. Needed."""
    task_security_group_id: NotRequired[pulumi.Input[str]]
    """A pre-made (empty) group for the tasks, so the database can admit it before the service exists."""
    alb_client_security_group_ids: NotRequired[Sequence[pulumi.Input[str]]]
    """The only security groups the ALB admits (the API's VPC link)."""
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

    def __init__(self, name: str, args: ServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        require(args, "vpc_id", "subnet_ids", "task", "database_security_group_id")
        lo, hi = args.get("min_tasks", DEFAULT_MIN_TASKS), args.get("max_tasks", DEFAULT_MAX_TASKS)
        if not 1 <= lo <= hi:
            raise ValueError(f"`min_tasks` must be 1..`max_tasks`, got {lo}..{hi}")
        super().__init__("order-events:index:Service", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        task_sg = args.get("task_security_group_id") or _task_group(name, args, child)
        alb = InternalAlb(
            f"{name}-alb",
            InternalAlbArgs(
                vpc_id=args["vpc_id"],
                subnet_ids=args["subnet_ids"],
                target_security_group_id=task_sg,
                client_security_group_ids=args.get("alb_client_security_group_ids", []),
            ),
            opts=child,
        )
        _open_paths(name, task_sg, alb.security_group_id, args["database_security_group_id"], child)
        insights = aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")
        cluster = aws.ecs.Cluster(f"{name}-cluster", settings=[insights], opts=child)
        task = HandlerTask(f"{name}-task", args["task"], opts=child)
        service = _ecs_service(self, name, args, cluster, task, alb, task_sg)
        _autoscaling(name, args, cluster, service, child)
        self.cluster_name = cluster.name
        self.service_name = service.name
        self.alb_arn = alb.arn
        self.alb_dns_name = alb.dns_name
        self.alb_security_group_id = alb.security_group_id
        self.alb_arn_suffix = alb.arn_suffix
        self.target_group_arn_suffix = alb.target_group_arn_suffix
        register_annotated_outputs(self)


def _task_group(name: str, args: ServiceArgs, opts: pulumi.ResourceOptions) -> pulumi.Output[str]:
    return aws.ec2.SecurityGroup(f"{name}-tasks", vpc_id=args["vpc_id"], opts=opts).id


def _open_paths(
    name: str,
    task_sg: pulumi.Input[str],
    alb_sg: pulumi.Input[str],
    db_sg: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """The tasks' rules: in from the ALB only; out to the database, and to HTTPS anywhere."""
    allow_in(f"{name}-from-alb", group=task_sg, source=alb_sg, port=CONTAINER_PORT, opts=opts)
    allow_out(f"{name}-to-db", group=task_sg, target=db_sg, port=DOCDB_PORT, opts=opts)
    # ECR, Secrets Manager and CloudWatch Logs are reached over HTTPS through the NAT gateway.
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-to-https",
        security_group_id=task_sg,
        ip_protocol="tcp",
        cidr_ipv4="0.0.0.0/0",
        from_port=443,
        to_port=443,
        opts=opts,
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
        # The target group must be behind a listener first; autoscaling owns the count afterwards.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[alb], ignore_changes=["desiredCount"]),
    )


def _autoscaling(
    name: str,
    args: ServiceArgs,
    cluster: aws.ecs.Cluster,
    service: aws.ecs.Service,
    opts: pulumi.ResourceOptions,
) -> None:
    """Between the bounds, tracking the service's average CPU."""
    target = _SCALING.Target(
        f"{name}-scaling",
        service_namespace="ecs",
        scalable_dimension="ecs:service:DesiredCount",
        resource_id=pulumi.Output.concat("service/", cluster.name, "/", service.name),
        min_capacity=args.get("min_tasks", DEFAULT_MIN_TASKS),
        max_capacity=args.get("max_tasks", DEFAULT_MAX_TASKS),
        opts=opts,
    )
    _SCALING.Policy(
        f"{name}-cpu",
        policy_type="TargetTrackingScaling",
        service_namespace=target.service_namespace,
        scalable_dimension=target.scalable_dimension,
        resource_id=target.resource_id,
        target_tracking_scaling_policy_configuration={
            "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
            "target_value": args.get("cpu_target_percent", DEFAULT_CPU_TARGET_PERCENT),
        },
        opts=opts,
    )
