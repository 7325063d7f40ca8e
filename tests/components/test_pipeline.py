"""Pipeline: holds each child's args; wires what comes from the other components, and only that."""

import pytest

from components._wiring import WIRED
from components.alb import InternalAlbArgs
from components.api import ApiArgs
from components.database import DatabaseArgs
from components.endpoints import EndpointsArgs
from components.events import EventsArgs
from components.image import ImageArgs
from components.pipeline import Pipeline, PipelineArgs
from components.service import ServiceArgs
from components.task import HandlerTaskArgs
from handler import contract
from handler import metrics as handler_metrics
from tests.components.harness import ROOT, run

PIN = "ab" * 32


def _pipeline(**args):
    def program():
        pipeline = Pipeline(
            "p", PipelineArgs(image=ImageArgs(context=str(ROOT), rds_ca_bundle_sha256=PIN), **args)
        )
        return {"service": pipeline.service_name}

    return program


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"database": DatabaseArgs(vpc_id="vpc-elsewhere")}, "database.vpc_id"),
        ({"endpoints": EndpointsArgs(route_table_ids=["rtb-x"])}, "endpoints.route_table_ids"),
        ({"service": ServiceArgs(s3_prefix_list_id="pl-x")}, "service.s3_prefix_list_id"),
        ({"service": ServiceArgs(alb=InternalAlbArgs(vpc_id="vpc-x"))}, "service.alb.vpc_id"),
        ({"service": ServiceArgs(task_security_group_id="sg-x")}, "service.task_security_group_id"),
        (
            {"service": ServiceArgs(task=HandlerTaskArgs(cpu_architecture="X86_64"))},
            "service.task.cpu_architecture",
        ),
        ({"service": ServiceArgs(task=HandlerTaskArgs(image="repo@sha256:0"))}, "service.task.image"),
    ],
)
def test_rejects_what_it_wires_itself_naming_the_field(args, field):
    # Given a value the pipeline takes from another component (the VPC, the image and its architecture)
    # Then setting it in the pipeline's args is refused, by its path in those args, before anything is
    # made (no Pulumi runtime is running here: registering a resource would fail otherwise)
    with pytest.raises(ValueError, match=f"`{field}` is wired by `Pipeline`"):
        Pipeline("p", PipelineArgs(image=ImageArgs(context=str(ROOT)), **args))


def test_rejects_an_address_and_a_topic_together_before_making_anything():
    args = PipelineArgs(
        image=ImageArgs(context=str(ROOT)),
        alarm_email="oncall@example.com",
        alarm_topic_arn="arn:aws:sns:x:1:t",
    )
    with pytest.raises(ValueError, match="`alarm_email` and `alarm_topic_arn` are exclusive"):
        Pipeline("p", args)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"network": {"nat_strategy": "Many"}}, "`nat_strategy` must be one of"),
        ({"database": DatabaseArgs(instance_count=0)}, "`instance_count` must be at least 1"),
        ({"service": ServiceArgs(min_tasks=3, max_tasks=2)}, "`min_tasks` must be 1..`max_tasks`"),
        ({"service": ServiceArgs(task=HandlerTaskArgs(container_user="0:0"))}, "must not be root"),
        ({"service": ServiceArgs(alb=InternalAlbArgs(idle_timeout_seconds=4001))}, "`idle_timeout_seconds`"),
        ({"api": ApiArgs(stage_name="v1/orders")}, "`stage_name` must be"),
        ({"events": EventsArgs(max_retry_attempts=200)}, "`max_retry_attempts` must be 0-185"),
    ],
)
def test_a_childs_bad_setting_is_refused_before_anything_is_made(args, message):
    # Given a bad setting of a child Pipeline would make after the network (or the network itself)
    made = []

    def program():
        try:
            _pipeline(**args)()
        except ValueError as error:
            made.append(str(error))

    graph = run(program)
    # Then Pipeline refuses it, naming the field, before registering any resource at all
    assert len(made) == 1 and message in made[0]
    assert graph.resources == []


def test_an_images_bad_setting_is_refused_before_anything_is_made():
    with pytest.raises(ValueError, match="`cpu_architecture` must be one of"):
        Pipeline("p", PipelineArgs(image=ImageArgs(context=str(ROOT), cpu_architecture="SPARC")))


def test_every_field_it_wires_is_one_it_refuses():
    # Given the pipeline built, with and without endpoints, every field it filled in for a child is
    # declared in WIRED (`wired` checks)
    run(_pipeline())
    run(_pipeline(endpoints=EndpointsArgs()))
    # And each declared field exists in that child's args type
    types = {"database": DatabaseArgs, "endpoints": EndpointsArgs, "service": ServiceArgs,
             "service.alb": InternalAlbArgs, "service.task": HandlerTaskArgs, "api": ApiArgs,
             "events": EventsArgs}  # fmt: skip
    for path, fields in WIRED.items():
        assert fields <= set(types[path].__annotations__), path


def test_the_childrens_settings_reach_their_resources():
    # Given settings for the database, the service and, inside it, the task
    graph = run(
        _pipeline(
            database=DatabaseArgs(instance_count=2, deletion_protection=True),
            service=ServiceArgs(min_tasks=2, max_tasks=4, task=HandlerTaskArgs(cpu=512, memory=1024)),
        )
    )
    # Then each lands on the resource that uses it, beside what the pipeline wired in
    assert len(graph.of_type("aws:docdb/clusterInstance:ClusterInstance")) == 2
    assert graph.one("aws:docdb/cluster:Cluster").inputs["deletionProtection"] is True
    target = graph.one("aws:appautoscaling/target:Target").inputs
    assert (target["minCapacity"], target["maxCapacity"]) == (2, 4)
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition")
    assert (task.inputs["cpu"], task.inputs["memory"]) == ("512", "1024")
    assert task.json("containerDefinitions")[0]["image"] == graph.one("awsx:ecr:Image").outputs["imageUri"]


def test_the_dashboard_and_alarms_follow_the_services_own_floor_and_deadline():
    # Given a service whose floor and store deadline are not the defaults
    graph = run(
        _pipeline(
            service=ServiceArgs(min_tasks=3, max_tasks=6, task=HandlerTaskArgs(store_deadline_seconds=2.0))
        )
    )
    # Then the task is told that deadline, and the dashboard and the alarms measure against the same values
    (container,) = graph.one("aws:ecs/taskDefinition:TaskDefinition").json("containerDefinitions")
    env = {e["name"]: e["value"] for e in container["environment"]}
    assert env[contract.ENV_STORE_DEADLINE_SECONDS] == "2.0"
    body = graph.one("aws:cloudwatch/dashboard:Dashboard").json("dashboardBody")
    lines = [
        w["properties"]["annotations"] for w in body["widgets"] if "annotations" in w.get("properties", {})
    ]
    assert {"horizontal": [{"value": 2000.0, "label": "store deadline (503 beyond)"}]} in lines
    alarms = {
        a.inputs["metricName"]: a.inputs for a in graph.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    assert alarms["RunningTaskCount"]["threshold"] == 3
    assert alarms[handler_metrics.STORE_LATENCY]["threshold"] == 1600  # 80 % of 2 s, in ms
