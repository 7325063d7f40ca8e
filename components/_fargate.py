"""The task sizes Fargate accepts: AWS's table, once, and a check that names both values.

AWS, "Task CPU and memory" (Amazon ECS developer guide,
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size)
and "Troubleshoot Amazon ECS task definition invalid CPU or memory errors"
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html): any other pair
fails only at `pulumi up`, with RegisterTaskDefinition's "Invalid 'cpu' setting for task" or the
provider's "No Fargate configuration exists for given values". pulumi-awsx keeps the same table in
`awsx/ecs/fargateMemoryAndCpu.ts` (there 8 and 16 vCPU take any whole GB; AWS's page says 4 GB and 8 GB
steps, which is what is kept here). 8 and 16 vCPU need Linux platform version 1.4.0 or later, which
`LATEST` is.
"""

GIB = 1024


def _steps(low_gib: int, high_gib: int, step_gib: int) -> tuple[int, ...]:
    return tuple(range(low_gib * GIB, high_gib * GIB + 1, step_gib * GIB))


#: Task CPU units -> the task memory values (MiB) Fargate accepts with it.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _steps(1, 4, 1),
    1024: _steps(2, 8, 1),
    2048: _steps(4, 16, 1),
    4096: _steps(8, 30, 1),
    8192: _steps(16, 60, 4),
    16384: _steps(32, 120, 8),
}


def describe(cpu: int) -> str:
    """The memory values Fargate accepts with `cpu`, short: `512, 1024, 2048` or `8192..30720 by 1024`."""
    values = FARGATE_SIZES[cpu]
    if len(values) <= 4:
        return ", ".join(map(str, values))
    return f"{values[0]}..{values[-1]} by {values[1] - values[0]}"


def check_size(cpu: object, memory: object) -> None:
    """Refuse a task CPU and memory pair Fargate does not run, naming both (plain ints only: an Output's
    value is not known before the deploy, and then Fargate itself judges it).

    Raises:
        ValueError: `cpu` is not a Fargate CPU value, or `memory` does not go with it.
    """
    if not isinstance(cpu, int | float) or not isinstance(memory, int | float):
        return
    if cpu not in FARGATE_SIZES:
        raise ValueError(
            f"`cpu` {cpu:g} with `memory` {memory:g}: Fargate's task CPU is one of "
            f"{', '.join(map(str, FARGATE_SIZES))}"
        )
    if memory not in FARGATE_SIZES[int(cpu)]:
        raise ValueError(
            f"`cpu` {cpu:g} with `memory` {memory:g}: with {cpu:g} CPU units Fargate's task memory (MiB) "
            f"is {describe(int(cpu))}"
        )
