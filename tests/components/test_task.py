"""HandlerTask: read-only non-root container, credentials only via `secrets`, least-privilege roles."""

import pytest

from components import _container
from components.task import HandlerTask
from handler import contract
from tests.components.harness import run
from tests.components.samples import IMAGE, REPO, SECRET, task_args


@pytest.fixture(scope="module")
def graph():
    # Given a task with prod-like sizing, on ARM
    return run(lambda: {"arn": HandlerTask("t", task_args(cpu=512, memory=1024)).arn})


def test_task_definition_is_hardened_and_wired(graph):
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition")
    assert task.inputs["runtimePlatform"] == {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("512", "1024")
    assert task.inputs["requiresCompatibilities"] == ["FARGATE"] and task.inputs["networkMode"] == "awsvpc"
    (c,) = task.json("containerDefinitions")
    assert c["image"] == IMAGE
    assert c["readonlyRootFilesystem"] is True and c["user"].split(":")[0] not in ("0", "root")
    assert c["linuxParameters"]["capabilities"]["drop"] == ["ALL"]
    # Credentials come only through `secrets`, from the managed master secret's JSON keys
    assert {s["name"]: s["valueFrom"] for s in c["secrets"]} == {
        contract.ENV_MONGODB_USERNAME: f"{SECRET}:username::",
        contract.ENV_MONGODB_PASSWORD: f"{SECRET}:password::",
    }
    env = {e["name"]: e["value"] for e in c["environment"]}
    assert contract.ENV_MONGODB_PASSWORD not in env and contract.ENV_MONGODB_USERNAME not in env
    assert env[contract.ENV_MONGODB_URI].startswith("mongodb://db.local:27017/?tls=true&replicaSet=rs0")
    assert "@" not in env[contract.ENV_MONGODB_URI] and "retryWrites=false" in env[contract.ENV_MONGODB_URI]
    assert env[contract.ENV_MONGODB_TLS_CA_FILE] == contract.RDS_CA_BUNDLE_PATH
    assert env[contract.ENV_HOST] == "0.0.0.0"
    assert env[contract.ENV_PORT] == str(contract.CONTAINER_PORT)
    assert env[contract.ENV_EMF_ENVIRONMENT] == "Local"
    assert c["portMappings"] == [{"containerPort": contract.CONTAINER_PORT, "protocol": "tcp"}]
    assert f"{contract.CONTAINER_PORT}{contract.HEALTH_PATH}" in c["healthCheck"]["command"][-1]
    # Nothing is writable: with MONGODB_URI set the handler writes no file, and a task volume on /tmp
    # would be a root-owned mount that uid 10001 could not write to anyway
    assert not c.get("mountPoints") and not task.inputs.get("volumes")
    logs = graph.one("aws:cloudwatch/logGroup:LogGroup")
    assert c["logConfiguration"]["options"]["awslogs-group"] == logs.outputs["name"]
    assert c["logConfiguration"]["options"]["awslogs-region"] == "us-east-1"
    assert logs.inputs["retentionInDays"] == 14


def test_execution_role_reads_exactly_the_db_secret_and_task_role_has_nothing(graph):
    (policy,) = graph.of_type("aws:iam/rolePolicy:RolePolicy")
    execution = graph.named("t-execution")
    assert policy.inputs["role"] == execution.outputs["id"]
    statements = policy.json("policy")["Statement"]
    by_action = {a: s["Resource"] for s in statements for a in s["Action"]}
    assert by_action["secretsmanager:GetSecretValue"] == SECRET
    assert by_action["ecr:BatchGetImage"] == REPO
    assert (
        by_action["logs:PutLogEvents"] == graph.one("aws:cloudwatch/logGroup:LogGroup").outputs["arn"] + ":*"
    )
    # Only GetAuthorizationToken (which has no resource-level permissions) is on "*"
    assert [a for a, r in by_action.items() if r == "*"] == ["ecr:GetAuthorizationToken"]
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    assert task["executionRoleArn"] == execution.outputs["arn"]
    assert task["taskRoleArn"] == graph.named("t-role").outputs["arn"]


def test_health_check_command_is_valid_python():
    command = _container.health_command()
    assert command[:3] == ["CMD", "python", "-c"]
    compile(command[-1], "healthcheck", "exec")


@pytest.mark.parametrize(
    ("args", "field"),
    [({"container_user": "0:0"}, "container_user"), ({"cpu_architecture": "arm"}, "cpu_architecture")],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        HandlerTask("t", task_args(**args))


def test_used_alone_it_needs_an_image_and_a_database():
    args = task_args()
    del args["image"]
    with pytest.raises(ValueError, match="`image` is required"):
        HandlerTask("t", args)
