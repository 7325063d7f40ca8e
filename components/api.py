"""Api: a regional, IAM-authorised REST API whose routes reach the internal ALB over VPC Link V2.

`PUT /orders` is EventBridge's; `GET /orders/{order_id}` is for the smoke check and operators, who get
its own managed policy (`reader_policy_arn`) to attach.
"""

import json
import re
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from components import _names, _reader
from components._component import register_annotated_outputs, require
from components._routes import ORDER_PATH, READ_METHOD, order_routes, reader_policy
from components.alb import DEFAULT_LISTENER_PORT
from components.api_account import ApiAccount
from components.vpc_link import VpcLink, VpcLinkArgs
from handler.contract import API_STAGE, ORDERS_METHOD, ORDERS_PATH

DEFAULT_MANAGE_CLOUDWATCH_ROLE = True
DEFAULT_THROTTLE_RATE = 50.0
DEFAULT_THROTTLE_BURST = 100
DEFAULT_LOG_RETENTION_DAYS = 14

#: API Gateway API reference, CreateStage: "Stage names can only contain alphanumeric characters,
#: hyphens, and underscores. Maximum length is 128 characters."
_STAGE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")

#: One JSON object per request in the access log: field -> `$context` variable.
_LOG_FIELDS = {
    "requestId": "requestId", "ip": "identity.sourceIp", "caller": "identity.caller",
    "user": "identity.userArn", "requestTime": "requestTime", "httpMethod": "httpMethod",
    "resourcePath": "resourcePath", "status": "status", "protocol": "protocol",
    "responseLength": "responseLength", "integrationError": "integration.error",
    "integrationStatus": "integration.status", "latency": "integration.latency",
}  # fmt: skip
ACCESS_LOG_FORMAT = json.dumps({key: f"$context.{path}" for key, path in _LOG_FIELDS.items()})


class ApiArgs(TypedDict):
    """Inputs of :class:`Api`. The VPC, subnets and the ALB's ARN, DNS name and group are needed;
    `Pipeline` wires them, and the stage name, which the task must know before the API exists.

    The stage name, the port and `manage_cloudwatch_role` are plain values: they are checked, or decide
    which resources exist.
    """

    vpc_id: NotRequired[pulumi.Input[str]]
    """The VPC of the VPC link's security group. Needed."""
    subnet_ids: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """Private subnets for the VPC link's network interfaces. Needed."""
    alb_arn: NotRequired[pulumi.Input[str]]
    """The internal ALB the integration targets. Needed."""
    alb_dns_name: NotRequired[pulumi.Input[str]]
    """The ALB's DNS name; becomes the integration URI's host. Needed."""
    alb_security_group_id: NotRequired[pulumi.Input[str]]
    """The ALB's security group: the link's only egress. Needed."""
    link_security_group_id: NotRequired[pulumi.Input[str]]
    """A pre-made (empty) group for the VPC link, so the ALB can admit it before the API exists."""
    alb_port: NotRequired[int]
    """The ALB listener's port (the internal ALB's unless given)."""
    stage_name: NotRequired[str]
    """The stage: part of the invoke URL, of the execute-api ARN and of the path the backend receives."""
    manage_cloudwatch_role: NotRequired[bool]
    """Set API Gateway's CloudWatch Logs role, which access logs need; account-wide, per region."""
    throttle_rate: NotRequired[pulumi.Input[float]]
    """Steady-state requests per second for the stage."""
    throttle_burst: NotRequired[pulumi.Input[int]]
    """Burst capacity for the stage."""
    log_retention_days: NotRequired[pulumi.Input[int]]
    """Retention of the access log group."""
    reader_role: NotRequired[pulumi.Input[str]]
    """An IAM role in this account (name or ARN) the reader policy is attached to: whoever reads orders back
    right after a deploy (the CI smoke check's role). Others attach `reader_policy_arn` themselves."""


class Api(pulumi.ComponentResource):
    """REST API, IAM routes proxied to the ALB, deployment, stage, throttling, reader policy.

    Its 5xx alarm is `Alarms`', by the API's name and stage.
    """

    invoke_url: pulumi.Output[str]
    """The stage's base URL (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`)."""
    orders_execute_arn: pulumi.Output[str]
    """`PUT /orders` on the stage: the EventBridge target, and all its role may invoke."""
    reader_policy_arn: pulumi.Output[str]
    """A managed policy that may only read orders back; attach it to whoever should."""
    rest_api_name: pulumi.Output[str]
    """The REST API's name, as CloudWatch's `ApiName` knows it. (Not its id: a route added from outside
    would not be in the deployment's trigger, so it would never go live.)"""
    stage_name: pulumi.Output[str]
    """The stage's name (CloudWatch's `Stage`)."""

    def __init__(self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _check(args)
        super().__init__("order-events:index:Api", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        link = _link(name, args, child)
        api = aws.apigateway.RestApi(
            f"{name}-rest",
            name=f"{name}-rest",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            opts=child,
        )
        deployment = _deployment(self, name, args, api, link)
        stage = _stage(self, name, args, api, deployment)
        # Its own grant: EventBridge's role stays limited to `PUT /orders`.
        reader = aws.iam.Policy(
            f"{name}-reader",
            name=_names.autoname_or_fit(f"{name}-reader", _names.IAM_POLICY),
            description=f"Call {READ_METHOD} {ORDER_PATH} on the {name} API's stage",
            policy=stage.execution_arn.apply(reader_policy),
            opts=child,
        )
        if (role := args.get("reader_role")) is not None:
            _reader.attach(f"{name}-reader-attachment", role, reader.arn, child)
        self.invoke_url = stage.invoke_url
        self.orders_execute_arn = pulumi.Output.concat(stage.execution_arn, f"/{ORDERS_METHOD}{ORDERS_PATH}")
        self.reader_policy_arn = reader.arn
        self.rest_api_name = api.name
        self.stage_name = stage.stage_name
        register_annotated_outputs(self)


def check_settings(args: ApiArgs) -> None:
    """Refuse a bad setting, naming it; `Pipeline` runs this for each child before it makes anything."""
    rate = args.get("throttle_rate", DEFAULT_THROTTLE_RATE)
    burst = args.get("throttle_burst", DEFAULT_THROTTLE_BURST)
    # Outputs are checked by AWS instead.
    if (isinstance(rate, int | float) and rate <= 0) or (isinstance(burst, int) and burst < 1):
        raise ValueError("`throttle_rate` and `throttle_burst` must be positive")
    stage = args.get("stage_name", API_STAGE)
    if not _STAGE_NAME.fullmatch(stage):
        raise ValueError(f"`stage_name` must be 1-128 of A-Z a-z 0-9 - _, got {stage!r}")
    if isinstance(role := args.get("reader_role"), str):
        _reader.role_name(role)


def _check(args: ApiArgs) -> None:
    require(args, "vpc_id", "subnet_ids", "alb_arn", "alb_dns_name", "alb_security_group_id")
    check_settings(args)


def _link(name: str, args: ApiArgs, opts: pulumi.ResourceOptions) -> VpcLink:
    link_args = VpcLinkArgs(
        vpc_id=args["vpc_id"],
        subnet_ids=args["subnet_ids"],
        target_security_group_id=args["alb_security_group_id"],
        target_port=args.get("alb_port", DEFAULT_LISTENER_PORT),
    )
    if (group := args.get("link_security_group_id")) is not None:
        link_args["security_group_id"] = group
    return VpcLink(f"{name}-link", link_args, opts=opts)


def _deployment(
    parent: Api, name: str, args: ApiArgs, api: aws.apigateway.RestApi, link: VpcLink
) -> aws.apigateway.Deployment:
    """The routes, and a deployment that is replaced whenever any input of any route changes."""
    routes = order_routes(
        name,
        rest_api=api,
        link_id=link.id,
        alb_arn=args["alb_arn"],
        alb_origin=pulumi.Output.concat(
            "http://", args["alb_dns_name"], f":{args.get('alb_port', DEFAULT_LISTENER_PORT)}"
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return aws.apigateway.Deployment(
        f"{name}-deployment",
        rest_api=api.id,
        # Any input of any route changes the trigger, which replaces the deployment (see `Routes`).
        triggers={"redeployment": routes.trigger()},
        opts=pulumi.ResourceOptions(parent=parent, depends_on=routes.made),
    )


def _stage(
    parent: Api, name: str, args: ApiArgs, api: aws.apigateway.RestApi, deployment: aws.apigateway.Deployment
) -> aws.apigateway.Stage:
    """The stage with JSON access logs, and its throttling."""
    child = pulumi.ResourceOptions(parent=parent)
    retention = args.get("log_retention_days", DEFAULT_LOG_RETENTION_DAYS)
    access_logs = aws.cloudwatch.LogGroup(f"{name}-access", retention_in_days=retention, opts=child)
    # Access logs need the account's CloudWatch Logs role first; see `ApiAccount`.
    manage_role = args.get("manage_cloudwatch_role", DEFAULT_MANAGE_CLOUDWATCH_ROLE)
    account = [ApiAccount(f"{name}-account", opts=child)] if manage_role else []
    stage = aws.apigateway.Stage(
        f"{name}-stage",
        rest_api=api.id,
        deployment=deployment.id,
        stage_name=args.get("stage_name", API_STAGE),
        access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
            destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=account),
    )
    aws.apigateway.MethodSettings(
        f"{name}-throttling",
        rest_api=api.id,
        stage_name=stage.stage_name,
        method_path="*/*",
        settings=aws.apigateway.MethodSettingsSettingsArgs(
            throttling_rate_limit=args.get("throttle_rate", DEFAULT_THROTTLE_RATE),
            throttling_burst_limit=args.get("throttle_burst", DEFAULT_THROTTLE_BURST),
            metrics_enabled=True,
        ),
        opts=child,
    )
    return stage
