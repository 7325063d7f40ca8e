"""The API's routes, made through one `Routes` object so that the deployment's trigger covers all of them.

A REST API serves a *deployment*: a snapshot of its resources, methods and integrations. Changing
one of those in place changes nothing live until a new deployment is made, so the deployment is
replaced whenever its trigger changes. The trigger is the hash of exactly the args each route
resource was created with, taken from the same dict that created it, so a new input can't be left out.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi
import pulumi_aws as aws

from components._edge import body_validation
from handler.contract import EVENTBRIDGE_TARGET_TIMEOUT_SECONDS, ORDERS_METHOD, ORDERS_PATH

#: `GET /orders/{order_id}`: read one stored order back (the smoke check and operators).
READ_METHOD = "GET"
ORDER_ID = "order_id"
ORDER_PATH = f"{ORDERS_PATH}/{{{ORDER_ID}}}"

R = TypeVar("R", bound=pulumi.CustomResource)


def reader_policy(stage_execution_arn: str) -> str:
    """May call `GET /orders/{order_id}` on this stage and nothing else (the `*` is the order id).

    AWS: "Control access to a REST API with IAM permissions": the resource is
    `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<HTTP-VERB>/<resource-path>`.
    """
    resource = f"{stage_execution_arn}/{READ_METHOD}{ORDERS_PATH}/*"
    statement = {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def fingerprint(wiring: dict[str, dict[str, Any]]) -> str:
    """sha256 of the resolved args of every route resource, as canonical JSON.

    No `default=`: a value JSON cannot carry fails here, rather than hashing a `repr` that differs
    between runs (which would redeploy on every `pulumi up`).
    """
    canonical = json.dumps(wiring, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Routes:
    """Makes the API's resources, methods and integrations, and remembers the args each one was given."""

    def __init__(self, opts: pulumi.ResourceOptions) -> None:
        self._opts = opts
        self._args: dict[str, dict[str, Any]] = {}
        self.made: list[pulumi.CustomResource] = []

    def make(self, kind: type[R], name: str, /, **args: Any) -> R:
        """Create `kind(name, **args)` and record `args`, under `name`, for the trigger (`name` is
        positional-only: some resources take a `name` arg too)."""
        self._args[name] = args
        made = kind(name, **args, opts=self._opts)
        self.made.append(made)
        return made

    def trigger(self) -> pulumi.Output[str]:
        """The hash of every recorded args dict, once its Outputs (ids, ARNs, DNS names) resolve."""
        return pulumi.Output.from_input(self._args).apply(fingerprint)


@dataclass(frozen=True)
class _ViaAlb:
    """Makes routes on one REST API, each proxied over the VPC link to the ALB, through one `Routes`."""

    routes: Routes
    rest_api: aws.apigateway.RestApi
    link_id: pulumi.Input[str]
    alb_arn: pulumi.Input[str]
    alb_origin: pulumi.Input[str]

    def resource(self, name: str, parent_id: pulumi.Input[str], path_part: str) -> aws.apigateway.Resource:
        return self.routes.make(
            aws.apigateway.Resource, name, rest_api=self.rest_api.id, parent_id=parent_id, path_part=path_part
        )

    def iam_method(
        self, name: str, on: aws.apigateway.Resource, verb: str, **extra: Any
    ) -> aws.apigateway.Method:
        return self.routes.make(
            aws.apigateway.Method,
            name,
            rest_api=self.rest_api.id,
            resource_id=on.id,
            http_method=verb,
            authorization="AWS_IAM",
            **extra,
        )

    def integration(self, name: str, method: aws.apigateway.Method, path: str, **extra: Any) -> None:
        # AWS: "Set up a private integration": HTTP_PROXY over a VPC link V2, the ALB's ARN as the target.
        self.routes.make(
            aws.apigateway.Integration,
            name,
            rest_api=self.rest_api.id,
            resource_id=method.resource_id,
            http_method=method.http_method,
            type="HTTP_PROXY",
            integration_http_method=method.http_method,
            uri=pulumi.Output.concat(self.alb_origin, path),
            connection_type="VPC_LINK",
            connection_id=self.link_id,
            integration_target=self.alb_arn,
            # EventBridge stops waiting after this long and retries; waiting longer only holds a connection.
            # A read is as short: the handler's store deadline is shorter still.
            timeout_milliseconds=EVENTBRIDGE_TARGET_TIMEOUT_SECONDS * 1000,
            **extra,
        )


def order_routes(
    name: str,
    *,
    rest_api: aws.apigateway.RestApi,
    link_id: pulumi.Input[str],
    alb_arn: pulumi.Input[str],
    alb_origin: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> Routes:
    """`PUT /orders` and `GET /orders/{order_id}`: IAM-authorised, each proxied to the ALB over the link.

    `alb_origin` is `http://<ALB DNS name>:<port>`, the integration URIs' start.
    """
    routes = Routes(opts)
    api = _ViaAlb(routes, rest_api, link_id, alb_arn, alb_origin)

    orders = api.resource(f"{name}-orders", rest_api.root_resource_id, ORDERS_PATH.strip("/"))
    # The body is checked against the event's schema at the edge first (components/_edge.py).
    put = api.iam_method(
        f"{name}-put-orders", orders, ORDERS_METHOD, **body_validation(routes.make, name, rest_api)
    )
    api.integration(f"{name}-integration", put, ORDERS_PATH)

    order = api.resource(f"{name}-order", orders.id, f"{{{ORDER_ID}}}")
    # The method declares the path parameter (required) and the integration passes it on to the URI's
    # `{order_id}` (AWS: "Parameter mapping source reference for REST APIs in API Gateway").
    get = api.iam_method(
        f"{name}-get-order", order, READ_METHOD, request_parameters={f"method.request.path.{ORDER_ID}": True}
    )
    api.integration(
        f"{name}-get-order-integration",
        get,
        ORDER_PATH,
        request_parameters={f"integration.request.path.{ORDER_ID}": f"method.request.path.{ORDER_ID}"},
    )
    return routes
