"""Pipeline: EventBridge -> REST API -> VPC Link V2 -> internal ALB -> Fargate -> DocumentDB, watched."""

from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components._component import register_annotated_outputs
from components._wiring import (
    api_args,
    check,
    database_args,
    endpoints_args,
    events_args,
    operations_args,
    service_args,
)
from components.api import Api, ApiArgs
from components.database import Database, DatabaseArgs
from components.endpoints import Endpoints, EndpointsArgs
from components.events import Events, EventsArgs
from components.image import Image, ImageArgs
from components.network import Network, NetworkArgs
from components.observability import Alarms, Dashboard
from components.service import Service, ServiceArgs
from components.task import DEFAULT_CPU_ARCHITECTURE
from handler.contract import API_STAGE


class PipelineArgs(TypedDict):
    """Inputs of :class:`Pipeline`: each child's own args type, holding what the user chooses.

    `Pipeline` wires the rest: the VPC, subnets and security groups, the other components' ARNs and names,
    the task's image and architecture (the image's) and the stage it serves under (the API's). Setting one
    of those here is a `ValueError` naming it. The dashboard and the alarms take everything from the other
    components (their sizes and deadline too), except where the alarms notify.
    """

    image: ImageArgs
    """Where to build the image from, and for which architecture (the task runs the same one)."""
    network: NotRequired[NetworkArgs]
    """VPC range, AZ count and NAT strategy."""
    endpoints: NotRequired[EndpointsArgs]
    """Given (it has nothing to set): the tasks reach ECR, Secrets Manager, CloudWatch Logs and S3 through VPC
    endpoints, and their HTTPS goes nowhere else. Left out: anywhere through NAT."""
    database: NotRequired[DatabaseArgs]
    """Instance class and count, backups, deletion protection, final snapshot."""
    service: NotRequired[ServiceArgs]
    """Autoscaling bounds; in `task`, the task's size, log retention, user and store deadline; in `alb`, the
    load balancer's settings (its access logs' retention)."""
    api: NotRequired[ApiArgs]
    """Stage name, throttling, access-log retention, and whether to set the account's logging role."""
    events: NotRequired[EventsArgs]
    """Archive retention and the retry policy."""
    alarm_email: NotRequired[pulumi.Input[str]]
    """Alarms notify a new encrypted topic with this address subscribed (it must confirm); not with
    `alarm_topic_arn`. Neither: the alarms exist, and notify nobody."""
    alarm_topic_arn: NotRequired[pulumi.Input[str]]
    """Alarms notify this existing SNS topic instead; not with `alarm_email`."""
    runbook_url: NotRequired[pulumi.Input[str]]
    """The absolute URL of `docs/runbook.md` that each alarm's description links (`<url>#<section>`).
    Default: the project repository's."""


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
    schema_registry_name: pulumi.Output[str]
    """The registry that holds the event's schema, for producers."""
    schema_name: pulumi.Output[str]
    """The event's schema in that registry (`ecommerce@CreateOrder`)."""
    repository_url: pulumi.Output[str]
    """The image repository."""
    image_uri: pulumi.Output[str]
    """The image the tasks run, by digest."""
    rds_ca_bundle_sha256: pulumi.Output[str]
    """The RDS CA bundle the image trusts, to pin."""
    database_endpoint: pulumi.Output[str]
    """The DocumentDB endpoint only: the credentials stay in Secrets Manager."""
    db_cluster_identifier: pulumi.Output[str]
    """The DocumentDB cluster, for `aws docdb` (the runbook)."""
    cluster_name: pulumi.Output[str]
    """The ECS cluster, for `aws ecs` (the runbook)."""
    service_name: pulumi.Output[str]
    """The ECS service, for `aws ecs` (the runbook)."""
    task_definition_arn: pulumi.Output[str]
    """The task definition this deploy made: `orders smoke` checks that the service runs it."""
    dashboard_name: pulumi.Output[str]
    """The CloudWatch dashboard that follows an event hop by hop."""
    alb_log_bucket: pulumi.Output[str]
    """The S3 bucket of the ALB's access logs (the runbook)."""
    alarm_topic_arn: pulumi.Output[str] | None
    """The SNS topic the alarms notify (made for `alarm_email`, or `alarm_topic_arn`); None for neither."""

    def __init__(self, name: str, args: PipelineArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        check(args)
        super().__init__("order-events:index:Pipeline", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        network = Network(f"{name}-network", args.get("network", NetworkArgs()), opts=child)
        # Empty groups made first, so each server can admit its one client before that client exists.
        link_sg = aws.ec2.SecurityGroup(
            f"{name}-link", vpc_id=network.vpc_id, description="API VPC link", opts=child
        )
        task_sg = aws.ec2.SecurityGroup(
            f"{name}-tasks", vpc_id=network.vpc_id, description="Handler tasks", opts=child
        )
        endpoints = (
            Endpoints(
                f"{name}-endpoints",
                endpoints_args(args["endpoints"], network=network, client=task_sg),
                opts=child,
            )
            if "endpoints" in args
            else None
        )
        database = Database(
            f"{name}-db",
            database_args(args.get("database", DatabaseArgs()), network=network, client=task_sg),
            opts=child,
        )
        image = Image(f"{name}-image", args["image"], opts=child)
        # Known before any resource: the handler needs it (the backend path starts with it, see
        # `contract.API_STAGE`), and the task must exist before the API, so it cannot wait for the stage.
        stage = args.get("api", ApiArgs()).get("stage_name", API_STAGE)
        wiring = service_args(
            args.get("service", ServiceArgs()),
            network=network,
            database=database,
            built=image,
            groups=(task_sg, link_sg),
            stage=stage,
            endpoints=endpoints,
            cpu_architecture=args["image"].get("cpu_architecture", DEFAULT_CPU_ARCHITECTURE),
        )
        service = Service(f"{name}-svc", wiring, opts=child)
        api = Api(
            f"{name}-api",
            api_args(args.get("api", ApiArgs()), network=network, service=service, link=link_sg, stage=stage),
            opts=child,
        )
        events = Events(f"{name}-events", events_args(args.get("events", EventsArgs()), api=api), opts=child)
        board, alarm_args = operations_args(args, events=events, api=api, service=service, database=database)
        dashboard = Dashboard(f"{name}-dashboard", board, opts=child)
        alarms = Alarms(f"{name}-alarms", alarm_args, opts=child)
        self._expose(api, events, image, database, service, dashboard, alarms)

    def _expose(
        self,
        api: Api,
        events: Events,
        image: Image,
        database: Database,
        service: Service,
        dashboard: Dashboard,
        alarms: Alarms,
    ) -> None:
        """Assign each output from the component that owns it, then register exactly those."""
        self.api_invoke_url = api.invoke_url
        self.api_stage = api.stage_name
        self.reader_policy_arn = api.reader_policy_arn
        self.bus_name = events.bus_name
        self.bus_arn = events.bus_arn
        self.rule_arn = events.rule_arn
        self.dlq_url = events.dlq_url
        self.schema_registry_name = events.schema_registry_name
        self.schema_name = events.schema_name
        self.repository_url = image.repository_url
        self.image_uri = image.image_uri
        self.rds_ca_bundle_sha256 = image.rds_ca_bundle_sha256
        self.database_endpoint = database.endpoint
        self.db_cluster_identifier = database.cluster_identifier
        self.cluster_name = service.cluster_name
        self.service_name = service.service_name
        self.task_definition_arn = service.task_definition_arn
        self.alb_log_bucket = service.alb_log_bucket
        self.dashboard_name = dashboard.dashboard_name
        self.alarm_topic_arn = alarms.topic_arn
        register_annotated_outputs(self)
