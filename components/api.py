"""Api: a regional, IAM-authorised REST API whose routes reach the internal ALB over VPC Link V2.

`PUT /orders` is EventBridge's; `GET /orders/{order_id}` is for the smoke check and operators, who get
its own managed policy (`reader_policy_arn`) to attach.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components._alarms import any_in_five_minutes
from components._routes import ORDER_PATH, READ_METHOD, order_routes
from components.api_account import ApiAccount
from components.vpc_link import VpcLink, VpcLinkArgs
from handler.contract import API_STAGE, ORDERS_METHOD, ORDERS_PATH

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


@dataclass(kw_only=True)
class ApiArgs:
    """Inputs of :class:`Api`."""

    vpc_id: pulumi.Input[str]
    """The VPC of the VPC link's security group."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Private subnets for the VPC link's network interfaces."""
    alb_arn: pulumi.Input[str]
    """The internal ALB the integration targets."""
    alb_dns_name: pulumi.Input[str]
    """The ALB's DNS name; becomes the integration URI's host."""
    alb_security_group_id: pulumi.Input[str]
    """The ALB's security group: the link's only egress."""
    link_security_group_id: pulumi.Input[str] | None = None
    """A pre-made (empty) group for the VPC link, so the ALB can admit it before the API exists."""
    alb_port: int = 80
    """The ALB listener's port."""
    stage_name: str = API_STAGE
    """The stage: part of the invoke URL, of the execute-api ARN and of the path the backend receives."""
    manage_cloudwatch_role: bool = True
    """Set API Gateway's CloudWatch Logs role, which access logs need; account-wide, per region."""
    throttle_rate: float = 50.0
    """Steady-state requests per second for the stage."""
    throttle_burst: int = 100
    """Burst capacity for the stage."""
    log_retention_days: int = 14
    """Retention of the access log group."""
    alarm_actions: Sequence[pulumi.Input[str]] = field(default_factory=list)
    """Where the 5xx alarm notifies (SNS topic ARNs)."""


def reader_policy(stage_execution_arn: str) -> str:
    """May call `GET /orders/{order_id}` on this stage and nothing else (the `*` is the order id).

    AWS: "Control access to a REST API with IAM permissions": the resource is
    `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<HTTP-VERB>/<resource-path>`.
    """
    resource = f"{stage_execution_arn}/{READ_METHOD}{ORDERS_PATH}/*"
    statement = {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class Api(pulumi.ComponentResource):
    """REST API, IAM routes proxied to the ALB, deployment, stage, throttling, 5xx alarm, reader policy."""

    invoke_url: pulumi.Output[str]
    orders_execute_arn: pulumi.Output[str]
    reader_policy_arn: pulumi.Output[str]
    rest_api_id: pulumi.Output[str]
    stage_name: pulumi.Output[str]

    def __init__(self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.throttle_rate <= 0 or args.throttle_burst < 1:
            raise ValueError("`throttle_rate` and `throttle_burst` must be positive")
        if not _STAGE_NAME.fullmatch(args.stage_name):
            raise ValueError(f"`stage_name` must be 1-128 of A-Z a-z 0-9 - _, got {args.stage_name!r}")
        super().__init__("order-events:index:Api", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        link = VpcLink(
            f"{name}-link",
            VpcLinkArgs(
                vpc_id=args.vpc_id,
                subnet_ids=args.subnet_ids,
                target_security_group_id=args.alb_security_group_id,
                target_port=args.alb_port,
                security_group_id=args.link_security_group_id,
            ),
            opts=child,
        )
        api = aws.apigateway.RestApi(
            f"{name}-rest",
            name=f"{name}-rest",
            endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(types="REGIONAL"),
            opts=child,
        )
        routes = order_routes(
            name,
            rest_api=api,
            link_id=link.id,
            alb_arn=args.alb_arn,
            alb_origin=pulumi.Output.concat("http://", args.alb_dns_name, f":{args.alb_port}"),
            opts=child,
        )
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=api.id,
            # Any input of any route changes the trigger, which replaces the deployment (see `Routes`).
            triggers={"redeployment": routes.trigger()},
            opts=pulumi.ResourceOptions(parent=self, depends_on=routes.made),
        )
        access_logs = aws.cloudwatch.LogGroup(
            f"{name}-access", retention_in_days=args.log_retention_days, opts=child
        )
        # Access logs need the account's CloudWatch Logs role first; see `ApiAccount`.
        account = [ApiAccount(f"{name}-account", opts=child)] if args.manage_cloudwatch_role else []
        stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=api.id,
            deployment=deployment.id,
            stage_name=args.stage_name,
            access_log_settings=aws.apigateway.StageAccessLogSettingsArgs(
                destination_arn=access_logs.arn, format=ACCESS_LOG_FORMAT
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=account),
        )
        aws.apigateway.MethodSettings(
            f"{name}-throttling",
            rest_api=api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings=aws.apigateway.MethodSettingsSettingsArgs(
                throttling_rate_limit=args.throttle_rate,
                throttling_burst_limit=args.throttle_burst,
                metrics_enabled=True,
            ),
            opts=child,
        )
        any_in_five_minutes(
            f"{name}-5xx",
            namespace="AWS/ApiGateway",
            metric_name="5XXError",
            dimensions={"ApiName": api.name, "Stage": stage.stage_name},
            alarm_actions=args.alarm_actions,
            opts=child,
        )
        # Its own grant: EventBridge's role stays limited to `PUT /orders`.
        reader = aws.iam.Policy(
            f"{name}-reader",
            description=f"Call {READ_METHOD} {ORDER_PATH} on the {name} API's stage",
            policy=stage.execution_arn.apply(reader_policy),
            opts=child,
        )
        self.invoke_url = stage.invoke_url
        self.orders_execute_arn = pulumi.Output.concat(stage.execution_arn, f"/{ORDERS_METHOD}{ORDERS_PATH}")
        self.reader_policy_arn = reader.arn
        self.rest_api_id = api.id
        self.stage_name = stage.stage_name
        self.register_outputs(
            {
                "invoke_url": self.invoke_url,
                "orders_execute_arn": self.orders_execute_arn,
                "reader_policy_arn": self.reader_policy_arn,
                "rest_api_id": self.rest_api_id,
                "stage_name": self.stage_name,
            }
        )
