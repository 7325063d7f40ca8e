"""The whole program's alarm links: absolute, to the runbook `runbookUrl` names (an e-mail has no repo)."""

import pytest

from components.observability import DEFAULT_RUNBOOK_URL
from tests.components.harness import project_config, run_main

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
MIRROR = "https://git.example.com/ops/order-events/-/blob/main/docs/runbook.md"


def _links(graph) -> set[str]:
    return {
        alarm.inputs["alarmDescription"].split(" Runbook: ")[1].split("#")[0]
        for alarm in graph.of_type(ALARM)
    }


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_every_alarm_links_the_runbook_by_an_absolute_url(stack):
    # Given a stack that does not set runbookUrl: Pulumi.yaml's default, the component's own
    assert project_config()["runbookUrl"]["default"] == DEFAULT_RUNBOOK_URL
    # Then every alarm links it, absolute; and one that does links its own
    assert _links(run_main(stack)) == {DEFAULT_RUNBOOK_URL}
    assert DEFAULT_RUNBOOK_URL.startswith("https://")
    assert _links(run_main(stack, runbookUrl=MIRROR)) == {MIRROR}


def test_a_relative_runbook_url_is_refused_naming_the_field():
    with pytest.raises(Exception, match="`runbook_url` must be an absolute http"):
        run_main("dev", runbookUrl="docs/runbook.md")
