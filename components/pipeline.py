"""Pipeline: EventBridge -> REST API -> VPC Link V2 -> internal ALB -> Fargate -> DocumentDB."""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.api import Api, ApiArgs
from components.database import Database, DatabaseArgs
from components.events import Events, EventsArgs
from components.image import Image, ImageArgs
from components.network import Network, NetworkArgs
from components.service import Service, ServiceArgs
from components.settings import ApiSettings, DatabaseSettings, EventsSettings, ServiceSettings, TaskSettings
from components.task import DEFAULT_CPU_ARCHITECTURE, HandlerTaskArgs
from handler.contract import API_STAGE


@dataclass(kw_only=True)
class PipelineArgs:
    """Inputs of :class:`Pipeline`: each component's settings, without the wiring `Pipeline` adds."""

    network: NetworkArgs
    """VPC shape and NAT strategy."""
    image: ImageArgs
    """Where to build the image from, and for which architecture (the task runs the same one)."""
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    """Instance class and count, backups, deletion protection, final snapshot."""
    task: TaskSettings = field(default_factory=TaskSettings)
    """Task CPU, memory and log retention."""
    service: ServiceSettings = field(default_factory=ServiceSettings)
    """Autoscaling bounds."""
    api: ApiSettings = field(default_factory=ApiSettings)
    """Stage throttling and log retention, alarm actions."""
    events: EventsSettings = field(default_factory=EventsSettings)
    """Archive retention, retry policy, alarm actions."""


class Pipeline(pulumi.ComponentResource):
    """Wires the components; the security groups chain link -> ALB -> tasks -> DB and nothing wider."""

    api_invoke_url: pulumi.Output[str]
    api_stage: str
    reader_policy_arn: pulumi.Output[str]
    bus_name: pulumi.Output[str]
    bus_arn: pulumi.Output[str]
    rule_arn: pulumi.Output[str]
    dlq_url: pulumi.Output[str]
    repository_url: pulumi.Output[str]
    image_uri: pulumi.Output[str]
    rds_ca_bundle_sha256: pulumi.Output[str]
    database_endpoint: pulumi.Output[str]
    service_name: pulumi.Output[str]

    def __init__(self, name: str, args: PipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("order-events:index:Pipeline", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # Known before any resource: the handler needs it (the backend path starts with it, see
        # `contract.API_STAGE`), and the task must exist before the API, so it cannot wait for the stage.
        api_stage = args.api.get("stage_name", API_STAGE)
        network = Network(f"{name}-network", args.network, opts=child)
        vpc, private = network.vpc_id, network.private_subnet_ids
        # Empty groups made first, so each server can admit its one client before that client exists.
        link_sg = aws.ec2.SecurityGroup(f"{name}-link", vpc_id=vpc, description="API VPC link", opts=child)
        task_sg = aws.ec2.SecurityGroup(f"{name}-tasks", vpc_id=vpc, description="Handler tasks", opts=child)

        database = Database(
            f"{name}-db",
            DatabaseArgs(
                vpc_id=vpc, subnet_ids=private, client_security_group_ids=[task_sg.id], **args.database
            ),
            opts=child,
        )
        image = Image(f"{name}-image", args.image, opts=child)
        task = HandlerTaskArgs(
            image=image.image_uri,
            repository_arn=image.repository_arn,
            database_endpoint=database.endpoint,
            database_secret_arn=database.secret_arn,
            cpu_architecture=args.image.get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE),
            api_stage=api_stage,
            **args.task,
        )
        service = Service(
            f"{name}-svc",
            ServiceArgs(
                vpc_id=vpc,
                subnet_ids=private,
                task=task,
                database_security_group_id=database.security_group_id,
                task_security_group_id=task_sg.id,
                alb_client_security_group_ids=[link_sg.id],
                **args.service,
            ),
            opts=child,
        )
        api = Api(
            f"{name}-api",
            ApiArgs(
                vpc_id=vpc,
                subnet_ids=private,
                alb_arn=service.alb_arn,
                alb_dns_name=service.alb_dns_name,
                alb_security_group_id=service.alb_security_group_id,
                link_security_group_id=link_sg.id,
                **(args.api | {"stage_name": api_stage}),
            ),
            opts=child,
        )
        events = Events(
            f"{name}-events", EventsArgs(target_arn=api.orders_execute_arn, **args.events), opts=child
        )
        outputs = {
            "api_invoke_url": api.invoke_url,
            "api_stage": api_stage,
            "reader_policy_arn": api.reader_policy_arn,  # attach it to whoever may read orders back
            "bus_name": events.bus_name,
            "bus_arn": events.bus_arn,
            "rule_arn": events.rule_arn,
            "dlq_url": events.dlq_url,
            "repository_url": image.repository_url,
            "image_uri": image.image_uri,
            "rds_ca_bundle_sha256": image.rds_ca_bundle_sha256,  # the bundle the image trusts, to pin
            "database_endpoint": database.endpoint,  # the endpoint only: credentials stay in Secrets Manager
            "service_name": service.service_name,
        }
        for key, value in outputs.items():
            setattr(self, key, value)
        self.register_outputs(outputs)
