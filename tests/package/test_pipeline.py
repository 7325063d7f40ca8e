"""The YAML example's pipeline, built through the plugin, is the graph `__main__.py` builds for dev.

The plugin is started offline (tests/package/offline_entry.py: an unpinned pipeline fetches AWS's RDS
CA bundle, answered as the rest of the suite answers it) from the YAML example's directory, where the
engine starts it for that program, so the example's relative image context is read as it would be.
"""

from collections.abc import Iterator

import pytest

from tests.components.harness import ROOT, run_main
from tests.package.examples import yaml_pipeline
from tests.package.plugin import Constructed, Plugin, Refused

TOKEN = "order-events:index:Pipeline"


@pytest.fixture(scope="module")
def offline_plugin() -> Iterator[Plugin]:
    running = Plugin(offline=True, cwd=ROOT / "examples" / "yaml")
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def built(offline_plugin) -> tuple[str, Constructed]:
    token, name, inputs = yaml_pipeline()
    assert token == TOKEN
    return name, offline_plugin.construct(token, name, inputs)


def test_the_yaml_example_builds_the_graph_main_builds_for_dev(built):
    # Given the YAML example's pipeline, constructed through the plugin as `pulumi up` would
    name, constructed = built
    assert isinstance(constructed, Constructed), constructed
    # And __main__.py run with the dev stack's config
    program = run_main("dev")
    # Then both register the same resources: the same types under the same names, the pipeline's own
    # name aside (the program calls it `orders-dev`, the example `orders`)
    own = "orders-dev"
    renamed = sorted((r.type, own + r.name.removeprefix(name)) for r in constructed.resources)
    assert all(r.name == name or r.name.startswith(f"{name}-") for r in constructed.resources)
    assert renamed == sorted((r.type, r.name) for r in program.resources)


def test_the_example_config_reaches_the_components(built):
    # natStrategy, dbInstanceCount and maxTasks, each as its component reads it (an int stays an int)
    _, constructed = built
    (vpc,) = [r for r in constructed.resources if r.type == "awsx:ec2:Vpc"]
    assert vpc.inputs["natGateways"]["strategy"] == "Single"
    instances = [r for r in constructed.resources if r.type == "aws:docdb/clusterInstance:ClusterInstance"]
    assert len(instances) == 1
    (target,) = [r for r in constructed.resources if r.type == "aws:appautoscaling/target:Target"]
    assert target.inputs["maxCapacity"] == 2


def test_the_consumer_gets_every_output_the_schema_promises(built, outputs_promised):
    _, constructed = built
    always, every = outputs_promised("Pipeline")
    assert always <= set(constructed.state) <= every
    assert constructed.state["apiInvokeUrl"].startswith("https://")


BAD = {  # id -> (what the consumer changes in the YAML example's properties, property path, reason says)
    "a wrong enum string": ({"network": {"natStrategy": "Double"}}, "network.natStrategy", "got 'Double'"),
    "a negative integer": ({"database": {"instanceCount": -1}}, "database.instanceCount", "got -1"),
    "an integer with a fraction": ({"service": {"maxTasks": 2.5}}, "service.maxTasks", "a whole number"),
    "a malformed string": ({"alarmEmail": "ops"}, "alarmEmail", "`alarmEmail`"),
    "a field Pipeline wires itself": (
        {"database": {"vpcId": "vpc-9"}},
        "database.vpcId",
        "wired by `Pipeline`",
    ),
    "a field name two args types share": (
        {"image": {"context": "../..", "cpuArchitecture": "ARM"}},
        "image.cpuArchitecture",
        "`image.cpuArchitecture` must be one of",
    ),
    "a required object left out": ({"image": None}, "image", "Missing required input 'image' on 'Pipeline'"),
}


def _refuse(plugin: Plugin, change: dict) -> Refused:
    token, name, inputs = yaml_pipeline()
    refused = plugin.construct(token, name, {k: v for k, v in (inputs | change).items() if v is not None})
    assert isinstance(refused, Refused), "the pipeline was built despite a bad arg"
    return refused


@pytest.mark.parametrize(("change", "path", "reason"), BAD.values(), ids=BAD.keys())
def test_a_bad_arg_to_the_pipeline_is_refused_on_the_field_the_consumer_wrote(
    offline_plugin, change, path, reason
):
    # Given the YAML example with one bad arg, nested or not
    # When the plugin is asked to construct it
    refused = _refuse(offline_plugin, change)
    # Then it is refused as the consumer's mistake, on that field, in their spelling
    ((got_path, got_reason),) = refused.property_errors
    assert got_path == path and reason in got_reason, (got_path, got_reason)


@pytest.mark.parametrize("change", [change for change, _, _ in BAD.values()], ids=BAD.keys())
def test_a_bad_arg_is_refused_before_any_aws_resource_is_registered(offline_plugin, change):
    # Given a bad arg of any child, even one Pipeline makes late (the database, the image), when the
    # plugin is asked to construct the pipeline, then nothing but components was registered: `Pipeline`
    # ran every child's settings checks before it made the network
    refused = _refuse(offline_plugin, change)
    registered = offline_plugin.settled(refused.registered)
    assert all(r.type.startswith("order-events:index:") for r in registered), [r.type for r in registered]
