"""The whole program, `__main__.py`, under mocks with each stack's config: the full graph, end to end."""

import runpy

from handler import contract
from handler import metrics as handler_metrics
from tests.components.harness import ROOT, deployed_config, run, run_main

EXPECTED = {  # stack -> (NAT strategy, AZs, DB instances, backup days, protected, min/max tasks)
    "dev": ("Single", 2, 1, 1, False, (1, 2)),
    "prod": ("OnePerAz", 3, 3, 7, True, (2, 10)),
}


def test_exports_every_promised_output_and_no_credentials(graph, stack):
    assert set(graph.values) == {
        "api_invoke_url",
        "reader_policy_arn",
        "event_bus_name",
        "event_bus_arn",
        "rule_arn",
        "dlq_url",
        "schema_registry_name",
        "schema_name",
        "repository_url",
        "image_uri",
        "rds_ca_bundle_sha256",
        "database_endpoint",
        "db_cluster_identifier",
        "cluster_name",
        "service_name",
        "task_definition_arn",
        "dashboard_name",
        "alb_log_bucket",
        "alarm_topic_arn",
    }
    assert graph.values["api_invoke_url"].startswith("https://")
    assert not any("password" in str(v).lower() or "secret" in str(v) for v in graph.values.values())
    assert all(r.name.startswith(f"orders-{stack}") for r in graph.resources)


def test_stack_config_reaches_the_components(graph, stack):
    nat, azs, instances, backups, protected, (lo, hi) = EXPECTED[stack]
    vpc = graph.one("awsx:ec2:Vpc").inputs
    assert (vpc["natGateways"]["strategy"], len(vpc["availabilityZoneNames"])) == (nat, azs)
    assert len(graph.of_type("aws:docdb/clusterInstance:ClusterInstance")) == instances
    cluster = graph.one("aws:docdb/cluster:Cluster").inputs
    assert (cluster["backupRetentionPeriod"], cluster["deletionProtection"]) == (backups, protected)
    assert cluster["skipFinalSnapshot"] is not protected
    target = graph.one("aws:appautoscaling/target:Target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (lo, hi)


#: Every metric the stack alarms on, once each (components/observability/_alarm_specs.py, docs/runbook.md).
ALARMED = [
    "5XXError", "ApproximateNumberOfMessagesVisible", "FailedInvocations", "UnHealthyHostCount",
    "RunningTaskCount", handler_metrics.STORE_FAILURES, handler_metrics.STORE_LATENCY, "CPUUtilization",
]  # fmt: skip

SIZING = {  # stack -> (task cpu/memory, log retention, throttle rate/burst, archive retention)
    "dev": (("256", "512"), 7, (50, 100), 7),
    "prod": (("1024", "2048"), 90, (500, 1000), 30),
}


def test_every_security_and_resilience_point_of_the_issue_holds(graph, stack):
    (cpu_mem, retention, throttle, archive) = SIZING[stack]
    # Database: encrypted, TLS enforced, logs exported
    cluster = graph.one("aws:docdb/cluster:Cluster").inputs
    assert cluster["storageEncrypted"] and cluster["manageMasterUserPassword"]
    params = graph.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup").inputs["parameters"]
    assert any(p["name"] == "tls" and p["value"] == "enabled" for p in params)
    assert "audit" in cluster["enabledCloudwatchLogsExports"]
    # Image: scanned, with a lifecycle policy on the same repository
    repo = graph.one("aws:ecr/repository:Repository")
    assert repo.inputs["imageScanningConfiguration"]["scanOnPush"] is True
    assert graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["repository"] == repo.outputs["name"]
    # Service: insights, sizing and log retention from config, rollback
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    assert (task["cpu"], task["memory"]) == cpu_mem
    assert {lg.inputs["retentionInDays"] for lg in graph.of_type("aws:cloudwatch/logGroup:LogGroup")} == {
        retention
    }
    assert graph.one("aws:ecs/cluster:Cluster").inputs["settings"][0]["value"] == "enabled"
    assert graph.one("aws:ecs/service:Service").inputs["deploymentCircuitBreaker"]["rollback"] is True
    assert graph.one("aws:ecs/service:Service").inputs["waitForSteadyState"] is True
    # API: throttled from config, access-logged, redeployable
    settings = graph.one("aws:apigateway/methodSettings:MethodSettings").inputs["settings"]
    assert (settings["throttlingRateLimit"], settings["throttlingBurstLimit"]) == throttle
    assert graph.one("aws:apigateway/stage:Stage").inputs["accessLogSettings"]["destinationArn"]
    assert graph.one("aws:apigateway/deployment:Deployment").inputs["triggers"]["redeployment"]
    # Events: archive retention from config, 24 h / 185 retries, encrypted 14-day DLQ
    assert graph.one("aws:cloudwatch/eventArchive:EventArchive").inputs["retentionDays"] == archive
    target = graph.one("aws:cloudwatch/eventTarget:EventTarget").inputs
    assert target["retryPolicy"] == {"maximumEventAgeInSeconds": 86_400, "maximumRetryAttempts": 185}
    dlq = graph.one("aws:sqs/queue:Queue").inputs
    assert dlq["sqsManagedSseEnabled"] is True and dlq["messageRetentionSeconds"] == 14 * 86_400
    # Alarms: each of the runbook's, once (the API and events components no longer make their own)
    alarms = [a.inputs["metricName"] for a in graph.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")]
    # (dev's database is serverless: its capacity in DCUs is watched too)
    assert sorted(alarms) == sorted(ALARMED + (["DCUUtilization"] if stack == "dev" else []))


ACCOUNT = "aws:apigateway/account:Account"
ACCOUNT_PARTS = (ACCOUNT, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")


def test_api_gateway_account_logging_role_is_set_before_the_stage(graph, stack):
    # Given the stack's default config, then the region's account setting names a role with the push policy
    account = graph.one(ACCOUNT)
    attachment = graph.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs
    assert attachment["policyArn"].endswith(
        ":iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
    )
    role = next(
        r
        for r in graph.of_type("aws:iam/role:Role")
        if r.outputs["arn"] == account.inputs["cloudwatchRoleArn"]
    )
    assert attachment["role"] == role.outputs["name"]
    assert role.json("assumeRolePolicy")["Statement"][0]["Principal"] == {
        "Service": "apigateway.amazonaws.com"
    }
    # And the stage depends on the component that holds it
    stage = graph.one("aws:apigateway/stage:Stage")
    assert graph.depends_on(stage.name) == {f"orders-{stack}-api-account"}


def test_api_gateway_account_is_left_alone_when_managed_centrally(stack):
    # Given `manageApiGatewayAccount: false`
    graph = run_main(stack, manageApiGatewayAccount="false")
    # Then no setting, no role for it, and the stage depends on nothing extra
    assert not any(graph.of_type(t) for t in ACCOUNT_PARTS)
    trusted = [
        r.json("assumeRolePolicy")["Statement"][0]["Principal"] for r in graph.of_type("aws:iam/role:Role")
    ]
    assert {"Service": "apigateway.amazonaws.com"} not in trusted
    assert graph.depends_on(graph.one("aws:apigateway/stage:Stage").name) == set()


def test_the_pipeline_hands_on_the_stage_the_api_serves(stack):
    # Given the program run with the stack's config, keeping the pipeline it builds
    def program():
        return {
            "api_stage": runpy.run_path(str(ROOT / "__main__.py"), run_name="__main__")["pipeline"].api_stage
        }

    graph = run(program, stack=stack, config=deployed_config(stack))
    # Then the stage is the contract's, and the pipeline offers that same name to its task
    stage = graph.one("aws:apigateway/stage:Stage")
    assert stage.inputs["stageName"] == graph.values["api_stage"] == contract.API_STAGE
    assert stage.outputs["invokeUrl"].endswith(f"/{contract.API_STAGE}")
    # And the task tells the handler that stage, so it serves the backend path API Gateway sends
    (container,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    env = {e["name"]: e["value"] for e in container["environment"]}
    assert env[contract.ENV_API_STAGE] == stage.inputs["stageName"]


def test_everything_runs_in_private_subnets_from_one_vpc(graph):
    private = graph.one("awsx:ec2:Vpc").outputs["privateSubnetIds"]
    assert graph.one("aws:ecs/service:Service").inputs["networkConfiguration"]["subnets"] == private
    assert graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["subnets"] == private
    assert graph.one("aws:apigatewayv2/vpcLink:VpcLink").inputs["subnetIds"] == private
    assert graph.one("aws:docdb/subnetGroup:SubnetGroup").inputs["subnetIds"] == private
    assert graph.one("aws:ecs/service:Service").inputs["networkConfiguration"]["assignPublicIp"] is False
    assert graph.one("aws:lb/loadBalancer:LoadBalancer").inputs["internal"] is True


def test_image_service_and_database_are_wired(graph):
    # The task runs the pushed image by digest, built for its own architecture
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition")
    (container,) = task.json("containerDefinitions")
    assert container["image"] == graph.values["image_uri"] and "@sha256:" in container["image"]
    arch = task.inputs["runtimePlatform"]["cpuArchitecture"]
    assert graph.one("awsx:ecr:Image").inputs["dockerfile"].endswith("/Dockerfile")
    assert (
        graph.one("awsx:ecr:Image").inputs["platform"]
        == {"ARM64": "linux/arm64", "X86_64": "linux/amd64"}[arch]
    )
    # It reaches the cluster's endpoint, with credentials from exactly the cluster's managed secret
    secret = graph.one("aws:docdb/cluster:Cluster").outputs["masterUserSecrets"][0]["secretArn"]
    env = {e["name"]: e["value"] for e in container["environment"]}
    assert env[contract.ENV_MONGODB_URI].startswith(f"mongodb://{graph.values['database_endpoint']}:27017/")
    assert {s["valueFrom"] for s in container["secrets"]} == {f"{secret}:username::", f"{secret}:password::"}
    execution = next(
        r for r in graph.of_type("aws:iam/role:Role") if r.outputs["arn"] == task.inputs["executionRoleArn"]
    )
    (policy,) = [
        p.json("policy")
        for p in graph.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == execution.outputs["id"]
    ]
    assert [s["Resource"] for s in policy["Statement"] if "secretsmanager:GetSecretValue" in s["Action"]] == [
        secret
    ]
    assert "masterPassword" not in graph.one("aws:docdb/cluster:Cluster").inputs


def _method(graph, verb):
    (method,) = [m for m in graph.of_type("aws:apigateway/method:Method") if m.inputs["httpMethod"] == verb]
    return method


def test_event_target_invokes_exactly_the_route_the_api_creates(graph):
    rest = graph.one("aws:apigateway/restApi:RestApi").outputs["id"]
    stage = graph.one("aws:apigateway/stage:Stage")
    method = _method(graph, contract.ORDERS_METHOD).inputs
    resource = graph.by_id(method["resourceId"]).inputs
    assert stage.inputs["restApi"] == method["restApi"] == resource["restApi"] == rest
    expected = (
        f"arn:aws:execute-api:us-east-1:123456789012:{rest}/{stage.inputs['stageName']}"
        f"/{method['httpMethod']}/{resource['pathPart']}"
    )
    assert expected.endswith(f"/{contract.ORDERS_METHOD}{contract.ORDERS_PATH}")
    target = graph.one("aws:cloudwatch/eventTarget:EventTarget").inputs
    assert target["arn"] == expected
    # The role the target assumes may invoke that ARN and nothing else
    role = graph.one("aws:cloudwatch/eventTarget:EventTarget").inputs["roleArn"]
    invoke_role = next(r for r in graph.of_type("aws:iam/role:Role") if r.outputs["arn"] == role)
    policies = [
        p
        for p in graph.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == invoke_role.outputs["id"]
    ]
    assert [p.json("policy")["Statement"] for p in policies] == [
        [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": expected}]
    ]
    assert target["deadLetterConfig"]["arn"] == graph.one("aws:sqs/queue:Queue").outputs["arn"]
    assert graph.one("aws:cloudwatch/eventRule:EventRule").outputs["arn"] == graph.values["rule_arn"]


def test_orders_can_be_read_back_only_by_whoever_gets_the_reader_policy(graph):
    # Given GET /orders/{order_id}: IAM-authorised, the path parameter mapped into the integration
    get = _method(graph, "GET")
    assert get.inputs["authorization"] == "AWS_IAM"
    assert graph.by_id(get.inputs["resourceId"]).inputs["pathPart"] == "{order_id}"
    (integration,) = [
        i
        for i in graph.of_type("aws:apigateway/integration:Integration")
        if i.inputs["resourceId"] == get.inputs["resourceId"]
    ]
    assert integration.inputs["requestParameters"] == {
        "integration.request.path.order_id": "method.request.path.order_id"
    }
    assert (
        integration.inputs["integrationTarget"]
        == graph.one("aws:lb/loadBalancer:LoadBalancer").outputs["arn"]
    )
    # Then the exported reader policy may invoke exactly that route on this stage
    reader = next(
        p
        for p in graph.of_type("aws:iam/policy:Policy")
        if p.outputs["arn"] == graph.values["reader_policy_arn"]
    )
    stage = graph.one("aws:apigateway/stage:Stage").outputs["executionArn"]
    assert reader.json("policy")["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "execute-api:Invoke",
            "Resource": f"{stage}/GET{contract.ORDERS_PATH}/*",
        }
    ]
    # And no inline role policy grants GET: EventBridge's role keeps PUT /orders only
    granted = [
        s["Resource"]
        for p in graph.of_type("aws:iam/rolePolicy:RolePolicy")
        for s in p.json("policy")["Statement"]
        if "execute-api:Invoke" in s["Action"]
    ]
    assert granted == [f"{stage}/{contract.ORDERS_METHOD}{contract.ORDERS_PATH}"]
