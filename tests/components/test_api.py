"""Api: IAM-authorised PUT /orders over VPC Link V2 to the ALB; throttled, logged, redeployed on change."""

import copy
import json
import re

import pytest

from components._routes import fingerprint
from components.api import Api, ApiArgs
from components.vpc_link import VpcLink, VpcLinkArgs
from handler import contract
from tests.components.harness import run
from tests.components.samples import ALB_ARN, api_alone, api_program

METHOD = "aws:apigateway/method:Method"


@pytest.fixture(scope="module")
def graph():
    return run(api_program(throttle_rate=20.0, throttle_burst=40))


def test_route_is_iam_authorised_and_private_over_vpc_link_v2(graph):
    rest = graph.one("aws:apigateway/restApi:RestApi")
    assert rest.inputs["endpointConfiguration"]["types"] == "REGIONAL"
    resource = graph.named("api-orders").inputs
    assert resource["pathPart"] == contract.ORDERS_PATH.strip("/") and resource["parentId"] == "root0"
    method = graph.named("api-put-orders").inputs
    assert (method["httpMethod"], method["authorization"]) == (contract.ORDERS_METHOD, "AWS_IAM")
    assert method["resourceId"] == graph.named("api-orders").outputs["id"]
    link = graph.one("aws:apigatewayv2/vpcLink:VpcLink")
    integration = graph.named("api-integration").inputs
    assert (integration["type"], integration["integrationHttpMethod"]) == (
        "HTTP_PROXY",
        contract.ORDERS_METHOD,
    )
    assert integration["connectionType"] == "VPC_LINK"
    assert integration["connectionId"] == link.outputs["id"]
    assert integration["integrationTarget"] == ALB_ARN
    assert integration["uri"] == f"http://internal-alb.elb.amazonaws.com:80{contract.ORDERS_PATH}"
    assert link.inputs["subnetIds"] == ["subnet-a", "subnet-b"]
    # The link's group may only reach the ALB's group, on the listener port
    link_sg = graph.one("aws:ec2/securityGroup:SecurityGroup").outputs["id"]
    assert link.inputs["securityGroupIds"] == [link_sg]
    (egress,) = graph.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert (egress.inputs["securityGroupId"], egress.inputs["referencedSecurityGroupId"]) == (
        link_sg,
        "sg-alb",
    )
    assert not graph.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")


def test_stage_is_throttled_logged_and_exposes_the_route_arn(graph):
    stage = graph.one("aws:apigateway/stage:Stage")
    logs = graph.one("aws:cloudwatch/logGroup:LogGroup")
    assert stage.inputs["accessLogSettings"]["destinationArn"] == logs.outputs["arn"]
    assert "$context.requestId" in json.loads(stage.inputs["accessLogSettings"]["format"]).values()
    assert stage.inputs["deployment"] == graph.one("aws:apigateway/deployment:Deployment").outputs["id"]
    settings = graph.one("aws:apigateway/methodSettings:MethodSettings").inputs
    assert settings["methodPath"] == "*/*"
    assert (settings["settings"]["throttlingRateLimit"], settings["settings"]["throttlingBurstLimit"]) == (
        20,
        40,
    )
    assert (
        graph.values["arn"]
        == f"{stage.outputs['executionArn']}/{contract.ORDERS_METHOD}{contract.ORDERS_PATH}"
    )
    # And it alarms on nothing itself: `Alarms` watches its 5xx by the name and stage it exposes
    assert not graph.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    rest = graph.one("aws:apigateway/restApi:RestApi")
    assert (graph.values["name"], graph.values["stage"]) == (rest.outputs["name"], stage.outputs["stageName"])


def test_reading_one_order_is_a_second_iam_route_over_the_same_link(graph):
    # Given the API, then `/orders/{order_id}` hangs under `/orders`
    orders, order = graph.named("api-orders"), graph.named("api-order")
    assert order.inputs == {
        "restApi": "api-rest-id",
        "parentId": orders.outputs["id"],
        "pathPart": "{order_id}",
    }
    # And all its methods, PUT and GET alike, are IAM-authorised; GET requires the path parameter
    assert {(m.inputs["httpMethod"], m.inputs["authorization"]) for m in graph.of_type(METHOD)} == {
        ("PUT", "AWS_IAM"),
        ("GET", "AWS_IAM"),
    }
    get = graph.named("api-get-order").inputs
    assert get["resourceId"] == order.outputs["id"]
    assert get["requestParameters"] == {"method.request.path.order_id": True}
    # And its integration is the same private HTTP proxy to the ALB, passing the order id into the path
    integration = graph.named("api-get-order-integration").inputs
    put_integration = graph.named("api-integration").inputs
    same = ("type", "connectionType", "connectionId", "integrationTarget", "timeoutMilliseconds")
    assert {k: integration[k] for k in same} == {k: put_integration[k] for k in same}
    assert (integration["resourceId"], integration["httpMethod"], integration["integrationHttpMethod"]) == (
        order.outputs["id"],
        "GET",
        "GET",
    )
    assert (
        integration["uri"] == f"http://internal-alb.elb.amazonaws.com:80{contract.ORDERS_PATH}/{{order_id}}"
    )
    assert integration["requestParameters"] == {
        "integration.request.path.order_id": "method.request.path.order_id"
    }


def test_readers_get_their_own_policy_for_get_only(graph):
    # Given the reader policy the API exposes
    reader = graph.one("aws:iam/policy:Policy")
    assert graph.values["reader"] == reader.outputs["arn"]
    # Then it allows invoking GET /orders/<any id> on this stage, and nothing else
    stage_arn = graph.one("aws:apigateway/stage:Stage").outputs["executionArn"]
    assert reader.json("policy")["Statement"] == [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": f"{stage_arn}/GET/orders/*"}
    ]
    # And EventBridge's route ARN stays the PUT one
    assert graph.values["arn"] == f"{stage_arn}/PUT/orders"


ROUTE_TYPES = {
    "aws:apigateway/resource:Resource",
    "aws:apigateway/method:Method",
    "aws:apigateway/integration:Integration",
    "aws:apigateway/model:Model",
    "aws:apigateway/requestValidator:RequestValidator",
    "aws:apigateway/response:Response",
}


def _trigger(graph):
    return graph.one("aws:apigateway/deployment:Deployment").inputs["triggers"]["redeployment"]


def _plain(value):
    # The engine carries numbers as doubles: 5000 arrives as 5000.0.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _registered_wiring(graph):
    """Every route resource's inputs as AWS received them, by name, in the args' snake_case."""
    return {
        r.name: {re.sub(r"[A-Z]", lambda m: "_" + m[0].lower(), k): _plain(v) for k, v in r.inputs.items()}
        for r in graph.resources
        if r.type in ROUTE_TYPES
    }


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, dict):
        return {**value, "changed": "yes"}
    return f"{value}-changed"


def test_redeploy_trigger_is_the_hash_of_every_input_of_every_route(graph):
    # Given every input each resource, method and integration was registered with
    wiring = _registered_wiring(graph)
    assert {"connection_id", "timeout_milliseconds", "integration_target", "uri"} <= set(
        wiring["api-integration"]
    )
    # Then the deployment's trigger is the hash of exactly those inputs, none left out
    assert _trigger(graph) == fingerprint(wiring)
    # And changing any single one of them changes the trigger
    unchanged = [
        (name, key)
        for name, args in wiring.items()
        for key in args
        if fingerprint({**wiring, name: {**args, key: _changed(args[key])}}) == _trigger(graph)
    ]
    assert unchanged == []
    assert fingerprint(copy.deepcopy(wiring)) == _trigger(graph)


@pytest.mark.parametrize(
    ("change", "run_kwargs"),
    [
        ({"dns": "internal-other.elb.amazonaws.com"}, {}),  # the ALB's DNS name: the integration's URI
        ({"alb_port": 8080}, {}),  # the listener port: the URI again
        ({"alb_arn": ALB_ARN.replace("/1", "/2")}, {}),  # another ALB: the integration target
        ({}, {"ids": {"api-link-link": "vpclink-replaced"}}),  # a replaced VPC link: the connection id
    ],
    ids=["alb-dns", "alb-port", "alb-arn", "vpc-link"],
)
def test_deployment_is_redeployed_when_the_wiring_changes(graph, change, run_kwargs):
    # Given the same API with one piece of its wiring different
    other = run(api_program(**{"throttle_rate": 20.0, "throttle_burst": 40, **change}), **run_kwargs)
    # Then the deployment's trigger changes, forcing a new deployment
    assert _trigger(other) != _trigger(graph)


def test_redeploy_trigger_is_stable_when_nothing_changes(graph):
    assert _trigger(run(api_program(throttle_rate=20.0, throttle_burst=40))) == _trigger(graph)


ACCOUNT = "aws:apigateway/account:Account"
PUSH_LOGS = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"


def test_account_logging_role_is_set_before_the_stage_and_kept_on_destroy(graph):
    # Given the API with its defaults, then API Gateway may assume a role that has only the managed policy
    role = graph.one("aws:iam/role:Role")
    (trust,) = role.json("assumeRolePolicy")["Statement"]
    assert trust == {
        "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    attachment = graph.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs == {"role": role.outputs["name"], "policyArn": PUSH_LOGS}
    assert not graph.of_type("aws:iam/rolePolicy:RolePolicy")
    # And the region's account setting names that role, once the policy is attached
    account = graph.one(ACCOUNT)
    assert account.inputs["cloudwatchRoleArn"] == role.outputs["arn"]
    assert graph.depends_on(account.name) == {attachment.name}
    # And the stage waits for it (a component dependency waits for all of the component's children)
    stage = graph.one("aws:apigateway/stage:Stage")
    assert graph.depends_on(stage.name) == {"api-account"}
    assert graph.options[account.name].parent._name == "api-account"
    # And none of the three is deleted with the stack: the setting is shared by the region's APIs
    assert all(graph.options[r.name].retain_on_delete for r in (role, attachment, account))


def test_account_logging_role_can_be_left_to_the_account():
    # Given an account whose CloudWatch Logs role is managed elsewhere
    graph = run(api_program(manage_cloudwatch_role=False))
    # Then the API neither creates nor sets one, and the stage waits for nothing extra
    assert not graph.of_type(ACCOUNT)
    assert not graph.of_type("aws:iam/role:Role")
    assert not graph.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert graph.depends_on(graph.one("aws:apigateway/stage:Stage").name) == set()


def test_stage_is_the_contracts_unless_given(graph):
    # Given the API with the default stage, then it is the one the handler also serves under
    assert graph.one("aws:apigateway/stage:Stage").inputs["stageName"] == contract.API_STAGE
    assert graph.values["url"].endswith(f"/{contract.API_STAGE}")
    # And another valid name is used as given
    other = run(api_program(stage_name="live_2"))
    assert other.one("aws:apigateway/stage:Stage").inputs["stageName"] == "live_2"


@pytest.mark.parametrize("bad", ["", "v1/orders", "v 1", "x" * 129])
def test_rejects_a_stage_name_api_gateway_would_refuse(bad):
    # AWS: stage names are 1-128 alphanumerics, hyphens and underscores; the name also becomes a path segment
    with pytest.raises(ValueError, match="`stage_name`"):
        api_alone(stage_name=bad)


def test_rejects_non_positive_throttling():
    with pytest.raises(ValueError, match="`throttle_rate`"):
        api_alone(throttle_rate=0)


def test_vpc_link_alone_creates_its_group_reaching_only_the_target():
    # Given a VPC link used on its own, without a pre-made group
    graph = run(
        lambda: {
            "sg": VpcLink(
                "link",
                VpcLinkArgs(vpc_id="vpc-1", subnet_ids=["subnet-a"], target_security_group_id="sg-alb"),
            ).security_group_id
        }
    )
    # Then it makes its own group, egress to the target's group only, and no ingress at all
    link = graph.one("aws:apigatewayv2/vpcLink:VpcLink").inputs
    assert link["securityGroupIds"] == [graph.values["sg"]] and link["subnetIds"] == ["subnet-a"]
    (egress,) = graph.of_type("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
    assert egress.inputs["referencedSecurityGroupId"] == "sg-alb" and egress.inputs["fromPort"] == 80
    assert not graph.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")


def test_used_alone_it_needs_the_albs_wiring():
    with pytest.raises(ValueError, match="`alb_arn` is required"):
        Api("api", ApiArgs(vpc_id="v", subnet_ids=[], alb_dns_name="d", alb_security_group_id="s"))
