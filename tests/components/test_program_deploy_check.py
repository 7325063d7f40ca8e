"""The outputs `orders smoke` checks a deploy with: the cluster, the service, and the task definition made."""

import pytest

from tests.components.harness import run_main


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_stack_exports_the_task_definition_its_service_is_given(stack):
    # Given the stack's graph
    graph = run_main(stack)
    task = graph.one("aws:ecs/taskDefinition:TaskDefinition").outputs["arn"]
    service = graph.one("aws:ecs/service:Service")
    # Then the exported task definition is the one this deploy gives the service, and the service and its
    # cluster are exported by the names `aws ecs describe-services` takes
    assert graph.values["task_definition_arn"] == task == service.inputs["taskDefinition"]
    assert graph.values["service_name"] == service.outputs["name"]
    assert graph.values["cluster_name"] == graph.one("aws:ecs/cluster:Cluster").outputs["name"]
