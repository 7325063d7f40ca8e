"""Pipeline: EventBridge -> REST API -> VPC Link V2 -> internal ALB -> Fargate -> DocumentDB."""

from typing import NotRequired, TypedDict, TypeVar

import pulumi
import pulumi_aws as aws

from components._component import register_annotated_outputs
from components.api import Api, ApiArgs
from components.database import Database, DatabaseArgs
from components.events import Events, EventsArgs
from components.image import Image, ImageArgs
from components.network import Network, NetworkArgs
from components.service import Service, ServiceArgs
from components.task import DEFAULT_CPU_ARCHITECTURE, HandlerTaskArgs
from handler.contract import API_STAGE

_Args = TypeVar("_Args", DatabaseArgs, ServiceArgs, HandlerTaskArgs, ApiArgs, EventsArgs)


class PipelineArgs(TypedDict):
    """Inputs of :class:`Pipeline`: each child's own args type, holding what the user chooses.

    `Pipeline` wires the rest: the VPC, subnets and security groups, the other components' ARNs and names,
    the task's image and architecture (the image's) and the stage it serves under (the API's). Setting one
    of those here is a `ValueError` naming it.
    """

    image: ImageArgs
    """Where to build the image from, and for which architecture (the task runs the same one)."""
    network: NotRequired[NetworkArgs]
    """VPC range, AZ count and NAT strategy."""
    database: NotRequired[DatabaseArgs]
    """Instance class and count, backups, deletion protection, final snapshot."""
    service: NotRequired[ServiceArgs]
    """Autoscaling bounds; in `task`, the task's size, log retention, user and store deadline."""
    api: NotRequired[ApiArgs]
    """Stage name, throttling, access-log retention, and whether to set the account's logging role."""
    events: NotRequired[EventsArgs]
    """Archive retention and the retry policy."""


class Pipeline(pulumi.ComponentResource):
    """Wires the components; the security groups chain link -> ALB -> tasks -> DB and nothing wider."""

    api_invoke_url: pulumi.Output[str]
    """The API stage's base URL."""
    api_stage: pulumi.Output[str]
    """The stage the API serves and the handler serves under (the backend path starts with it)."""
    reader_policy_arn: pulumi.Output[str]
    """Attach it to whoever may read orders back (the smoke check, operators)."""
    bus_name: pulumi.Output[str]
    """The bus producers put events on."""
    bus_arn: pulumi.Output[str]
    """The bus, for a producer's `events:PutEvents` grant."""
    rule_arn: pulumi.Output[str]
    """The rule, to replay the archive through."""
    dlq_url: pulumi.Output[str]
    """The dead-letter queue, to read and redrive."""
    repository_url: pulumi.Output[str]
    """The image repository."""
    image_uri: pulumi.Output[str]
    """The image the tasks run, by digest."""
    rds_ca_bundle_sha256: pulumi.Output[str]
    """The RDS CA bundle the image trusts, to pin."""
    database_endpoint: pulumi.Output[str]
    """The DocumentDB endpoint only: the credentials stay in Secrets Manager."""
    service_name: pulumi.Output[str]
    """The ECS service."""

    def __init__(self, name: str, args: PipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("order-events:index:Pipeline", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        network = Network(f"{name}-network", args.get("network", NetworkArgs()), opts=child)
        vpc, private = network.vpc_id, network.private_subnet_ids
        # Empty groups made first, so each server can admit its one client before that client exists.
        link_sg = aws.ec2.SecurityGroup(f"{name}-link", vpc_id=vpc, description="API VPC link", opts=child)
        task_sg = aws.ec2.SecurityGroup(f"{name}-tasks", vpc_id=vpc, description="Handler tasks", opts=child)
        wiring = DatabaseArgs(vpc_id=vpc, subnet_ids=private, client_security_group_ids=[task_sg.id])
        database = Database(
            f"{name}-db", _wired("database", args.get("database", DatabaseArgs()), wiring), opts=child
        )
        image = Image(f"{name}-image", args["image"], opts=child)
        # Known before any resource: the handler needs it (the backend path starts with it, see
        # `contract.API_STAGE`), and the task must exist before the API, so it cannot wait for the stage.
        stage = args.get("api", ApiArgs()).get("stage_name", API_STAGE)
        service = Service(
            f"{name}-svc", _service_args(args, network, database, image, task_sg, link_sg, stage), opts=child
        )
        api = Api(f"{name}-api", _api_args(args, network, service, link_sg, stage), opts=child)
        wiring = EventsArgs(target_arn=api.orders_execute_arn)
        events = Events(
            f"{name}-events", _wired("events", args.get("events", EventsArgs()), wiring), opts=child
        )

        self.api_invoke_url = api.invoke_url
        self.api_stage = api.stage_name
        self.reader_policy_arn = api.reader_policy_arn
        self.bus_name = events.bus_name
        self.bus_arn = events.bus_arn
        self.rule_arn = events.rule_arn
        self.dlq_url = events.dlq_url
        self.repository_url = image.repository_url
        self.image_uri = image.image_uri
        self.rds_ca_bundle_sha256 = image.rds_ca_bundle_sha256
        self.database_endpoint = database.endpoint
        self.service_name = service.service_name
        register_annotated_outputs(self)


def _wired(field: str, settings: _Args, wiring: _Args) -> _Args:
    """What the user chose for one child (`settings`) plus what Pipeline wires into it, which they may not."""
    for key in wiring:
        if key in settings:
            raise ValueError(
                f"`{field}.{key}` is wired by `Pipeline` from the other components; leave it out"
            )
    return settings | wiring


def _service_args(
    args: PipelineArgs,
    network: Network,
    database: Database,
    image: Image,
    task_sg: aws.ec2.SecurityGroup,
    link_sg: aws.ec2.SecurityGroup,
    stage: str,
) -> ServiceArgs:
    settings = args.get("service", ServiceArgs())
    service = _wired(
        "service",
        settings,
        ServiceArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            database_security_group_id=database.security_group_id,
            task_security_group_id=task_sg.id,
            alb_client_security_group_ids=[link_sg.id],
        ),
    )
    service["task"] = _wired(
        "service.task",
        settings.get("task", HandlerTaskArgs()),
        HandlerTaskArgs(
            image=image.image_uri,
            repository_arn=image.repository_arn,
            database_endpoint=database.endpoint,
            database_secret_arn=database.secret_arn,
            cpu_architecture=args["image"].get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE),
            api_stage=stage,
        ),
    )
    return service


def _api_args(
    args: PipelineArgs, network: Network, service: Service, link_sg: aws.ec2.SecurityGroup, stage: str
) -> ApiArgs:
    api = _wired(
        "api",
        args.get("api", ApiArgs()),
        ApiArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            alb_arn=service.alb_arn,
            alb_dns_name=service.alb_dns_name,
            alb_security_group_id=service.alb_security_group_id,
            link_security_group_id=link_sg.id,
        ),
    )
    api["stage_name"] = stage  # the one the task was told (the same value when the user chose one)
    return api
