"""Service: the handler on ECS Fargate in private subnets, behind an internal ALB, with autoscaling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components import _container
from components._security import allow_in, allow_out
from components.alb import InternalAlb, InternalAlbArgs
from components.database import DOCDB_PORT
from components.task import HandlerTask, HandlerTaskArgs
from handler.contract import CONTAINER_PORT

_SCALING = aws.appautoscaling  # the generated type names are long


@dataclass(kw_only=True)
class ServiceArgs:
    """Inputs of :class:`Service`."""

    vpc_id: pulumi.Input[str]
    """The VPC of the tasks and the ALB."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets for the tasks and the ALB."""
    task: HandlerTaskArgs
    """What to run: image, database wiring, architecture, size."""
    database_security_group_id: pulumi.Input[str]
    """The cluster's security group: the tasks' only egress inside the VPC."""
    task_security_group_id: pulumi.Input[str] | None = None
    """A pre-made (empty) group for the tasks, so the database can admit it before the service exists."""
    alb_client_security_group_ids: Sequence[pulumi.Input[str]] = field(default_factory=list)
    """The only security groups the ALB admits (the API's VPC link)."""
    min_tasks: int = 1
    """Autoscaling floor (and the initial desired count)."""
    max_tasks: int = 2
    """Autoscaling ceiling."""
    cpu_target_percent: float = 60.0
    """Target-tracking goal for the service's average CPU."""


class Service(pulumi.ComponentResource):
    """ECS cluster (Container Insights), task, private service with rollback, internal ALB, autoscaling."""

    cluster_name: pulumi.Output[str]
    service_name: pulumi.Output[str]
    alb_arn: pulumi.Output[str]
    alb_dns_name: pulumi.Output[str]
    alb_security_group_id: pulumi.Output[str]

    def __init__(self, name: str, args: ServiceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if not 1 <= args.min_tasks <= args.max_tasks:
            raise ValueError(f"`min_tasks` must be 1..`max_tasks`, got {args.min_tasks}..{args.max_tasks}")
        super().__init__("order-events:index:Service", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        task_sg = (
            args.task_security_group_id
            or aws.ec2.SecurityGroup(f"{name}-tasks", vpc_id=args.vpc_id, opts=child).id
        )
        alb = InternalAlb(
            f"{name}-alb",
            InternalAlbArgs(
                vpc_id=args.vpc_id,
                subnet_ids=args.subnet_ids,
                target_security_group_id=task_sg,
                client_security_group_ids=args.alb_client_security_group_ids,
            ),
            opts=child,
        )
        allow_in(
            f"{name}-from-alb", group=task_sg, source=alb.security_group_id, port=CONTAINER_PORT, opts=child
        )
        allow_out(
            f"{name}-to-db",
            group=task_sg,
            target=args.database_security_group_id,
            port=DOCDB_PORT,
            opts=child,
        )
        # ECR, Secrets Manager and CloudWatch Logs are reached over HTTPS through the NAT gateway.
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-to-https",
            security_group_id=task_sg,
            ip_protocol="tcp",
            cidr_ipv4="0.0.0.0/0",
            from_port=443,
            to_port=443,
            opts=child,
        )

        insights = aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")
        cluster = aws.ecs.Cluster(f"{name}-cluster", settings=[insights], opts=child)
        task = HandlerTask(f"{name}-task", args.task, opts=child)
        service = aws.ecs.Service(
            f"{name}-service",
            cluster=cluster.arn,
            task_definition=task.arn,
            launch_type="FARGATE",
            desired_count=args.min_tasks,
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=args.subnet_ids, security_groups=[task_sg], assign_public_ip=False
            ),
            load_balancers=[
                aws.ecs.ServiceLoadBalancerArgs(
                    target_group_arn=alb.target_group_arn,
                    container_name=_container.CONTAINER_NAME,
                    container_port=CONTAINER_PORT,
                )
            ],
            deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(
                enable=True, rollback=True
            ),
            health_check_grace_period_seconds=30,
            propagate_tags="SERVICE",
            # The target group must be behind a listener first; autoscaling owns the count afterwards.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[alb], ignore_changes=["desiredCount"]),
        )
        target = _SCALING.Target(
            f"{name}-scaling",
            service_namespace="ecs",
            scalable_dimension="ecs:service:DesiredCount",
            resource_id=pulumi.Output.concat("service/", cluster.name, "/", service.name),
            min_capacity=args.min_tasks,
            max_capacity=args.max_tasks,
            opts=child,
        )
        _SCALING.Policy(
            f"{name}-cpu",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration={
                "predefined_metric_specification": {
                    "predefined_metric_type": "ECSServiceAverageCPUUtilization"
                },
                "target_value": args.cpu_target_percent,
            },
            opts=child,
        )
        self.cluster_name = cluster.name
        self.service_name = service.name
        self.alb_arn = alb.arn
        self.alb_dns_name = alb.dns_name
        self.alb_security_group_id = alb.security_group_id
        self.register_outputs(
            {
                "cluster_name": self.cluster_name,
                "service_name": self.service_name,
                "alb_arn": self.alb_arn,
                "alb_dns_name": self.alb_dns_name,
                "alb_security_group_id": self.alb_security_group_id,
            }
        )
