"""Task sizes: only the CPU and memory pairs Fargate runs pass, each refusal naming both values.

AWS's table: "Task CPU and memory", Amazon ECS developer guide
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
"""

import pytest

from components._fargate import FARGATE_SIZES
from components.pipeline import Pipeline, PipelineArgs
from components.service import ServiceArgs
from components.task import HandlerTask, HandlerTaskArgs
from tests.components.harness import ROOT, project_config, run
from tests.components.samples import task_args


@pytest.mark.parametrize(
    ("cpu", "memory", "allowed"),
    [
        (256, 30720, "512, 1024, 2048"),  # 30 GB is 4 vCPU's ceiling, not a quarter vCPU's
        (300, 512, "256, 512, 1024, 2048, 4096, 8192, 16384"),  # no such CPU value
        (1024, 1536, "2048..8192 by 1024"),  # whole GB only above 0.25 vCPU
        (8192, 18432, "16384..61440 by 4096"),  # 8 vCPU goes in 4 GB steps
        (16384, 36864, "32768..122880 by 8192"),  # 16 vCPU in 8 GB steps
    ],
)
def test_a_pair_fargate_does_not_run_is_refused_naming_both(cpu, memory, allowed):
    # When a task is given a pair outside AWS's table, Then it is refused before anything is made, naming
    # both values and what Fargate takes instead
    with pytest.raises(ValueError) as caught:
        HandlerTask("t", task_args(cpu=cpu, memory=memory))
    assert f"`cpu` {cpu} with `memory` {memory}" in str(caught.value)
    assert allowed in str(caught.value)


def test_a_stack_setting_a_bad_pair_is_refused_before_the_network_is_made():
    # Given the pipeline with a quarter vCPU and 30 GB, as `taskCpu: 256`, `taskMemory: 30720` would give it
    args = PipelineArgs(
        image={"context": str(ROOT)}, service=ServiceArgs(task=HandlerTaskArgs(cpu=256, memory=30720))
    )
    made = []

    def program() -> None:
        try:
            Pipeline("p", args)
        except ValueError as error:
            made.append(str(error))

    graph = run(program)
    # Then nothing is made, and the error names both settings' values
    assert graph.resources == [] and "`cpu` 256 with `memory` 30720" in made[0]


@pytest.mark.parametrize(
    ("cpu", "memory"), [(256, 512), (512, 4096), (4096, 30720), (8192, 61440), (16384, 32768)]
)
def test_every_row_of_the_table_is_accepted_at_its_edges(cpu, memory):
    graph = run(lambda: {"arn": HandlerTask("t", task_args(cpu=cpu, memory=memory)).arn})
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    assert (task["cpu"], task["memory"]) == (str(cpu), str(memory))


def test_pulumi_yaml_lists_the_values_fargate_takes():
    # Given the descriptions of taskCpu and taskMemory
    config = project_config()
    cpu, memory = config["taskCpu"]["description"], config["taskMemory"]["description"]
    # Then every CPU value is listed, and with each its memory values (as the check words them)
    for value in FARGATE_SIZES:
        assert str(value) in cpu
        assert str(value) in memory
    assert "16384 -> 32768..122880 by 8192" in memory and "256 -> 512, 1024, 2048" in memory
