"""How `Pipeline` fills in each child's args: what the user chose, plus what comes from the other children.

A field Pipeline wires is one the user may not set in `PipelineArgs`: `check` refuses it, by its path, before
`Pipeline` makes anything; and it runs each child's own settings checks then too, so that a bad setting
of a child made late (the database, the image) is refused before the network is being created.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

import pulumi_aws as aws

from components import alb, api, database, events, image, network, service, task
from components._docdb_serverless import is_serverless
from components.api import Api, ApiArgs
from components.database import DEFAULT_INSTANCE_CLASS, Database, DatabaseArgs
from components.endpoints import Endpoints, EndpointsArgs
from components.events import Events, EventsArgs
from components.image import Image
from components.network import Network
from components.observability import AlarmsArgs, DashboardArgs, check_notification, check_runbook_url
from components.service import Service, ServiceArgs
from components.task import HandlerTaskArgs

Args = TypeVar("Args", DatabaseArgs, EndpointsArgs, ServiceArgs, HandlerTaskArgs, ApiArgs, EventsArgs)
Watching = TypeVar("Watching", DashboardArgs, AlarmsArgs)


#: What Pipeline fills in, by the path of the child's args in `PipelineArgs`: a user may not set it.
WIRED = {
    "database": {"vpc_id", "subnet_ids", "client_security_group_ids"},
    "endpoints": {"vpc_id", "subnet_ids", "route_table_ids", "client_security_group_id"},
    "service": {
        "vpc_id", "subnet_ids", "database_security_group_id", "task_security_group_id",
        "alb_client_security_group_ids", "endpoint_security_group_id", "s3_prefix_list_id", "endpoint_ids",
    },
    "service.alb": set(service.ALB_WIRED),
    "service.task": {
        "image", "repository_arn", "database_endpoint", "database_secret_arn", "cpu_architecture",
        "api_stage",
    },
    "api": {
        "vpc_id", "subnet_ids", "alb_arn", "alb_dns_name", "alb_security_group_id", "link_security_group_id",
    },
    "events": {"target_arn"},
}  # fmt: skip


def check(args: Mapping[str, Any]) -> None:
    """Refuse, before anything is made, a field Pipeline wires that the user set, naming its path, and
    any child's bad setting."""
    for path, fields in WIRED.items():
        settings: Mapping[str, Any] = args
        for part in path.split("."):
            settings = settings.get(part, {})
        if taken := sorted(fields & settings.keys()):
            raise ValueError(
                f"`{path}.{taken[0]}` is wired by `Pipeline` from the other components; leave it out"
            )
    for path, check_settings in SETTINGS_CHECKS.items():
        settings = args
        for part in path.split("."):
            settings = settings.get(part, {})
        check_settings(settings)
    check_notification(args)
    check_runbook_url(args)


#: Each child's own settings check, by the path of its args in `PipelineArgs`.
SETTINGS_CHECKS: dict[str, Any] = {
    "network": network.check_settings,
    "database": database.check_settings,
    "image": image.check_settings,
    "service": service.check_settings,
    "service.task": task.check_settings,
    "service.alb": alb.check_settings,
    "api": api.check_settings,
    "events": events.check_settings,
}


def wired(path: str, settings: Args, wiring: Args) -> Args:
    """What the user chose for one child (`settings`, checked by `check`) plus what Pipeline wires into it."""
    if not wiring.keys() <= WIRED[path]:
        raise AssertionError(f"{path}: wires {sorted(wiring.keys() - WIRED[path])}, not in WIRED")
    return settings | wiring


def database_args(settings: DatabaseArgs, *, network: Network, client: aws.ec2.SecurityGroup) -> DatabaseArgs:
    """The database in the network's private subnets, admitting the tasks' group."""
    wiring = DatabaseArgs(
        vpc_id=network.vpc_id, subnet_ids=network.private_subnet_ids, client_security_group_ids=[client.id]
    )
    return wired("database", settings, wiring)


def endpoints_args(
    settings: EndpointsArgs, *, network: Network, client: aws.ec2.SecurityGroup
) -> EndpointsArgs:
    """The endpoints in the network's private subnets and on their route tables, admitting the tasks."""
    wiring = EndpointsArgs(
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        route_table_ids=network.private_route_table_ids,
        client_security_group_id=client.id,
    )
    return wired("endpoints", settings, wiring)


def service_args(
    settings: ServiceArgs,
    *,
    network: Network,
    database: Database,
    built: Image,
    groups: tuple[aws.ec2.SecurityGroup, aws.ec2.SecurityGroup],
    stage: str,
    endpoints: Endpoints | None,
    cpu_architecture: str,
) -> ServiceArgs:
    """The service in the network, its tasks reaching the database and, when there are endpoints, AWS through
    them only, admitting the link (`groups` is (tasks, link)); the task runs the image built, on its
    architecture, serving under the API's stage."""
    tasks, link = groups
    wiring = ServiceArgs(
        vpc_id=network.vpc_id,
        subnet_ids=network.private_subnet_ids,
        database_security_group_id=database.security_group_id,
        task_security_group_id=tasks.id,
        alb_client_security_group_ids=[link.id],
    )
    if endpoints is not None:
        wiring["endpoint_security_group_id"] = endpoints.security_group_id
        wiring["s3_prefix_list_id"] = endpoints.s3_prefix_list_id
        wiring["endpoint_ids"] = endpoints.endpoint_ids
    service = wired("service", settings, wiring)
    service["task"] = wired(
        "service.task",
        settings.get("task", HandlerTaskArgs()),
        HandlerTaskArgs(
            image=built.image_uri,
            repository_arn=built.repository_arn,
            database_endpoint=database.endpoint,
            database_secret_arn=database.secret_arn,
            cpu_architecture=cpu_architecture,
            api_stage=stage,
        ),
    )
    return service


def api_args(
    settings: ApiArgs, *, network: Network, service: Service, link: aws.ec2.SecurityGroup, stage: str
) -> ApiArgs:
    """The API in the network, its link (in the pre-made group) reaching the service's ALB."""
    api = wired(
        "api",
        settings,
        ApiArgs(
            vpc_id=network.vpc_id,
            subnet_ids=network.private_subnet_ids,
            alb_arn=service.alb_arn,
            alb_dns_name=service.alb_dns_name,
            alb_security_group_id=service.alb_security_group_id,
            link_security_group_id=link.id,
        ),
    )
    api["stage_name"] = stage  # the one the task was told (the same value when the user chose one)
    return api


def events_args(settings: EventsArgs, *, api: Api) -> EventsArgs:
    """The rule's target: the API's `PUT /orders` route."""
    return wired("events", settings, EventsArgs(target_arn=api.orders_execute_arn))


def operations_args(
    args: Mapping[str, Any], *, events: Events, api: Api, service: Service, database: Database
) -> tuple[DashboardArgs, AlarmsArgs]:
    """One dashboard and one set of alarms over the other components, with the service's own minimum and
    the task's own store deadline. Left out when the user left them out: then the service, the task, the
    dashboard and the alarms all read the same default constant."""
    board = _watching(DashboardArgs, events=events, api=api, service=service, database=database)
    alarms = _watching(AlarmsArgs, events=events, api=api, service=service, database=database)
    service_settings = args.get("service", ServiceArgs())
    if (
        deadline := service_settings.get("task", HandlerTaskArgs()).get("store_deadline_seconds")
    ) is not None:
        board["store_deadline_seconds"] = alarms["store_deadline_seconds"] = deadline
    if (floor := service_settings.get("min_tasks")) is not None:
        alarms["min_tasks"] = floor
    if (email := args.get("alarm_email")) is not None:
        alarms["alarm_email"] = email
    if (topic := args.get("alarm_topic_arn")) is not None:
        alarms["alarm_topic_arn"] = topic
    if (runbook := args.get("runbook_url")) is not None:
        alarms["runbook_url"] = runbook
    if is_serverless(args.get("database", DatabaseArgs()).get("instance_class", DEFAULT_INSTANCE_CLASS)):
        board["db_serverless"] = alarms["db_serverless"] = True
    return board, alarms


def _watching(
    kind: type[Watching], *, events: Events, api: Api, service: Service, database: Database
) -> Watching:
    """`DashboardArgs` or `AlarmsArgs` naming each hop as CloudWatch knows it."""
    return kind(
        bus_name=events.bus_name,
        rule_name=events.rule_name,
        dlq_name=events.dlq_name,
        api_name=api.rest_api_name,
        api_stage=api.stage_name,
        alb_arn_suffix=service.alb_arn_suffix,
        target_group_arn_suffix=service.target_group_arn_suffix,
        cluster_name=service.cluster_name,
        service_name=service.service_name,
        db_cluster_identifier=database.cluster_identifier,
    )
