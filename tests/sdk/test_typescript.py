"""The TypeScript SDK and examples/typescript: compiled with tsc, and the example run under Pulumi's mocks."""

import json
from pathlib import Path

import pytest
import yaml

from provider.schema import served
from tests.package.examples import TS_EXAMPLE, as_yaml_numbers, yaml_pipeline
from tests.sdk import build

PROJECT = yaml.safe_load((TS_EXAMPLE / "Pulumi.yaml").read_text())["name"]
RUNNER = Path(__file__).with_name("ts_mocks.js")


@pytest.fixture(scope="module")
def example(generated: Path) -> Path:
    """The example beside its SDK, both compiled: the SDK as its install script compiles it."""
    build.tool("node")
    where = build.workspace(TS_EXAMPLE, generated / "nodejs", "typescript")
    build.npm_install(where)
    build.run([build.tool("npm"), "run", "--silent", "postinstall"], where / "sdks" / "order-events")
    build.run([str(where / "node_modules" / ".bin" / "tsc"), "-p", "."], where)
    return where


def test_the_sdk_compiles_to_a_package_node_can_load(example):
    # Given the SDK compiled by its own install step (tsc over every generated .ts file)
    sdk = example / "sdks" / "order-events"
    # Then each component has a compiled class with declarations beside it
    for component in ("pipeline", "network", "database", "service"):
        assert (sdk / "bin" / f"{component}.js").exists() and (sdk / "bin" / f"{component}.d.ts").exists()
    script = "const p = require('@pulumi/order-events'); console.log(typeof p.Pipeline, typeof p.Network)"
    assert build.run([build.tool("node"), "-e", script], example).split() == ["function", "function"]


def test_the_example_registers_the_pipeline_the_yaml_example_declares(example):
    # Given both examples' config at its declared defaults
    config = yaml.safe_load((TS_EXAMPLE / "Pulumi.yaml").read_text())["config"]
    env = {"PULUMI_CONFIG": json.dumps({f"{PROJECT}:{k}": str(v["default"]) for k, v in config.items()})}
    outputs = list(served()["resources"]["order-events:index:Pipeline"]["properties"])
    # When the compiled example runs under @pulumi/pulumi's mocks
    out = build.run(
        [build.tool("node"), str(RUNNER), str(example), PROJECT, "dev", ",".join(outputs)], example, env
    )
    ran = json.loads(out)
    # Then it registered one Pipeline, with the inputs the YAML example gives its `orders`
    token, name, inputs = yaml_pipeline()
    assert [(r["type"], r["name"]) for r in ran["registered"]] == [(token, name)]
    assert as_yaml_numbers(ran["registered"][0]["inputs"]) == inputs
    # And every output it exports is one the Pipeline has
    assert ran["exported"] and all(v == f"mock-{v.removeprefix('mock-')}" for v in ran["exported"].values())
    assert {v.removeprefix("mock-") for v in ran["exported"].values()} <= set(outputs)
