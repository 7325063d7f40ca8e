"""The consumer examples in examples/ point at the package and say only what its schema accepts."""

import json

import yaml

from provider.schema import served
from tests.components.harness import ROOT
from tests.package.examples import TS_EXAMPLE, YAML_EXAMPLE, check, yaml_pipeline

TOKEN = "order-events:index:Pipeline"


def test_the_yaml_example_is_what_pulumi_yaml_accepts():
    # Pulumi YAML checks a resource's properties against the package schema before it sends them
    token, _, inputs = yaml_pipeline()
    assert token == TOKEN
    assert check(served(), token, inputs) == []


def test_the_schema_check_refuses_what_pulumi_yaml_refuses():
    # The check the example is held to is not vacuous
    _, _, inputs = yaml_pipeline()
    wrong = {key: value for key, value in inputs.items() if key != "image"}
    wrong |= {"network": {"natStrateg": "Single"}, "database": {"instanceCount": "1"}}
    assert check(served(), TOKEN, wrong) == [
        "image: required",
        "network.natStrateg: no such property",
        "database.instanceCount: integer expected, got '1'",
    ]


def test_both_examples_use_the_package_from_its_plugin_directory():
    for project in (YAML_EXAMPLE, TS_EXAMPLE / "Pulumi.yaml"):
        packages = yaml.safe_load(project.read_text())["packages"]
        assert (project.parent / packages["order-events"]).resolve() == ROOT / "provider", project
    # The TypeScript program imports the SDK `pulumi install` generates into sdks/ and links
    manifest = json.loads((TS_EXAMPLE / "package.json").read_text())
    assert manifest["dependencies"]["@pulumi/order-events"] == "file:sdks/order-events"
    assert 'from "@pulumi/order-events"' in (TS_EXAMPLE / "index.ts").read_text()


def test_the_examples_read_the_same_three_settings():
    yaml_config = yaml.safe_load(YAML_EXAMPLE.read_text())["config"]
    ts_config = yaml.safe_load((TS_EXAMPLE / "Pulumi.yaml").read_text())["config"]
    assert list(yaml_config) == ["natStrategy", "dbInstanceCount", "maxTasks"]
    assert {key: ts_config[key] for key in yaml_config} == yaml_config
